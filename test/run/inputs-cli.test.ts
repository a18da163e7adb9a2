// Declared inputs through the real CLI: a run missing one refuses to start and records nothing;
// plan lists them; a secret input is masked in what the run prints and journals.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { childEnv, REPO, runCli } from './support.ts';

let dir: string;
const SECRET = 'planted-Input-Secret-7c1d';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqrun-inputs-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(join(dir, 'a.seq'), 'CI->Site: Publish release\n');
  writeFileSync(
    join(dir, 'seqrun.config.ts'),
    `export default {
  bindings: ['./steps.ts'],
  vars: {
    release: { description: 'the release number', required: true, pattern: '\\\\d+' },
    channel: { default: '#releases' },
    stamp: { required: true, secret: true },
  },
};
`,
  );
  writeFileSync(
    join(dir, 'steps.ts'),
    `import { defineSteps } from ${JSON.stringify(join(REPO, 'src/index.ts'))};
export default defineSteps((s) => {
  s.call('Publish release', { from: 'CI', to: 'Site' }, (ctx) => { ctx.log.info(\`release \${ctx.vars['release']} to \${ctx.vars['channel']} with \${ctx.vars['stamp']}\`); });
});
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runs = (): string[] =>
  existsSync(join(dir, '.seqrun/runs')) ? readdirSync(join(dir, '.seqrun/runs')).filter((f) => f !== 'latest') : [];

test('a run missing a required input or with a malformed one refuses to start (exit 2) and records nothing', async () => {
  const missing = await runCli(['run', 'a.seq', '--var', 'release=12'], dir, childEnv());
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain("seqrun run: the input 'stamp' is required: give it with --var stamp=...");
  const malformed = await runCli(['run', 'a.seq', '--var', 'release=v12', '--var', `stamp=${SECRET}`], dir, childEnv());
  expect(malformed.code).toBe(2);
  expect(malformed.stderr).toContain('seqrun run: the input \'release\' (the release number): "v12" does not match /\\d+/');
  expect(runs()).toEqual([]);
});

test('plan lists the inputs; a run with them passes, gets the defaults and masks the secret one', async () => {
  const plan = await runCli(['plan', 'a.seq'], dir, childEnv());
  expect(plan.stdout).toMatch(
    /inputs \(--var NAME=VALUE\):\n {2}release +required, \/\\d\+\/ {2}the release number\n {2}channel +optional, default "#releases"\n {2}stamp +required, secret\n/,
  );
  const run = await runCli(['run', 'a.seq', '--format', 'plain', '--var', 'release=12', '--var', `stamp=${SECRET}`], dir, childEnv());
  expect(run.code).toBe(0);
  const [runId] = runs();
  const journal = readFileSync(join(dir, '.seqrun/runs', runId ?? '', 'journal.ndjson'), 'utf8');
  expect(journal).toContain('release 12 to #releases with ***');
  expect(journal + run.stdout + run.stderr).not.toContain(SECRET);
});

test('run --help and resume --help inside the project list its inputs under the options; outside a project, nothing more', async () => {
  for (const command of ['run', 'resume']) {
    const help = await runCli([command, '--help'], dir, childEnv());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("This project's inputs (--var NAME=VALUE):");
    expect(help.stdout).toMatch(/^ {2}release +required, \/\\d\+\/ {2}the release number$/m);
    expect(help.stdout).toMatch(/^ {2}stamp +required, secret$/m);
  }
  const outside = await runCli(['run', '--help'], mkdtempSync(join(tmpdir(), 'seqrun-no-project-')), childEnv());
  expect(outside.code).toBe(0);
  expect(outside.stdout).not.toContain('inputs');
});
