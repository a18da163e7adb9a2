// `seqrun check` and `seqrun run` on a diagram with a misspelt participant (`Jenkins->Jenkns`): one
// error naming the typo and the participant meant, not an undefined step and an unused handler.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;

function seqrun(...args: string[]) {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', CI: 'true', SEQRUN_PROFILE: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqrun-typo-'));
  mkdirSync(join(dir, 'steps'));
  writeFileSync(join(dir, 'seqrun.config.ts'), "export default { bindings: ['steps/*.ts'], specs: ['release.seq'] };\n");
  writeFileSync(
    join(dir, 'release.seq'),
    'participant Jenkins\nparticipant GitHub\nJenkins->GitHub: Fetch the code\nJenkins->Jenkns: Build it\n',
  );
  writeFileSync(
    join(dir, 'steps/release.ts'),
    `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
export default defineSteps((s) => {
  s.call('Fetch the code', { from: 'Jenkins', to: 'GitHub' }, async () => {});
  s.call('Build it', { from: 'Jenkins', to: 'Jenkins' }, async () => {});
});
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('check reports the typo once, at the name, with the declared participant it means', () => {
  const check = seqrun('check');
  expect(check.stdout).toBe(
    [
      'release.seq:4:10 error SEQ325 Unknown participant "Jenkns": the diagram declares "Jenkins", "GitHub". Its steps are checked as if it were "Jenkins".',
      '  3 | Jenkins->GitHub: Fetch the code',
      '> 4 | Jenkins->Jenkns: Build it',
      '    |          ^^^^^^',
      '  hint: Did you mean "Jenkins"? Correct the name (line 4), or declare it with `participant Jenkns` if it is a participant of its own.',
      '',
      '1 diagram, 2 steps: 2 bound. 1 error.',
      '',
    ].join('\n'),
  );
  expect(check.code).toBe(1);
});

test('run refuses to start on it, with the same one error', () => {
  const run = seqrun('run', 'release.seq', '--format', 'plain');
  expect(run.stderr).toContain('release.seq:4:10 error SEQ325 Unknown participant "Jenkns"');
  expect(run.stderr).not.toContain('SEQ301');
  expect(run.stdout).not.toMatch(/run \S+ started/);
  expect(run.code).toBe(2);
});
