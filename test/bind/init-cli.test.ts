// `seqrun init` as a new team runs it: the real CLI in a fresh folder, then check and run there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;

function seqrun(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqrun-init-'));
  writeFileSync(join(dir, 'package.json'), '{ "name": "site", "private": true, "type": "module" }\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules', 'seqrun'), 'dir');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('init writes a project that check and run pass on, and refuses to overwrite it', () => {
  const init = seqrun('init');
  expect(init.code).toBe(0);
  expect(init.stdout).toContain('wrote seqrun.config.ts\nwrote docs/release.md\nwrote steps/release.ts\nwrote tsconfig.json\n');
  expect(readFileSync(join(dir, 'docs/release.md'), 'utf8')).toContain('```sequence\nCI->Repository: Tag release v1.0.0\n');

  const check = seqrun('check');
  expect(check.stdout).toBe('1 diagram, 4 steps: 4 bound. diagrams and bindings are in sync.\n');
  expect(check.code).toBe(0);
  const run = seqrun('run', 'docs/release.md', '--format', 'plain');
  expect(run.stdout).toMatch(/^run passed/m);
  expect(run.code).toBe(0);

  writeFileSync(join(dir, 'steps/release.ts'), '// mine\n');
  const again = seqrun('init');
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('seqrun.config.ts, docs/release.md, steps/release.ts, tsconfig.json already exist');
  expect(readFileSync(join(dir, 'steps/release.ts'), 'utf8')).toBe('// mine\n');
});

test('with an empty bindings folder, check prints a snippet for every step instead of stopping at the config', () => {
  expect(seqrun('init').code).toBe(0);
  unlinkSync(join(dir, 'steps/release.ts'));
  const check = seqrun('check');
  expect(check.code).toBe(1);
  expect(check.stdout).toContain('seqrun.config.ts:5:1 warning SEQ314');
  expect(check.stdout).toContain("No binding module matches 'steps/*.ts' yet.");
  expect(check.stdout.match(/error SEQ301 Undefined/g)).toHaveLength(3);
  expect(check.stdout).toContain("s.call('Build the site', { from: 'CI', to: 'CI' }, async (_ctx) => {");
});
