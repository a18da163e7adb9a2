// `seqrun plan` as users run it: the real CLI in a child process on the seed diagrams.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const config = 'test/fixtures/seed-bindings/seqrun.config.ts';

function seqrun(args: readonly string[]) {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('seqrun plan', () => {
  test('interim: the ARM build runs while the three x86 steps run, and its Success joins it', () => {
    const run = seqrun(['plan', 'specs/interim.seq', '--config', config]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const jobs = run.stdout.slice(run.stdout.indexOf('Jobs (the steps that run while each job is open):'));
    expect(jobs).toBe(
      [
        'Jobs (the steps that run while each job is open):',
        '  line 5 Trigger CodeBuild (ARM) (joined at line 12)',
        '    line 8   Pay CI->Pay CI: Build project (x86)',
        '    line 9   Pay CI->Pay CI: Build image (x86)',
        '    line 10  Pay CI->AWS: Push #build-candidate to ECR (x86)',
        '    line 11  Note left of Pay CI: Await CodeBuild result',
        '  line 15 Trigger E2E CodeBuild (x86) (joined at line 17)',
        '    nothing else runs meanwhile',
        '',
      ].join('\n'),
    );
    // Each row starts with the step's id, as the CLI and every report number steps (s4 is line 5).
    const row = (line: number) =>
      run.stdout
        .split('\n')
        .map((l) => l.split(/\s{2,}/))
        .find((cells) => cells[1] === String(line));
    expect(row(5)).toEqual([
      's4',
      '5',
      'Pay CI->AWS: Trigger CodeBuild (ARM)',
      'call',
      'test/fixtures/seed-bindings/steps/interim.ts:10',
      '["ARM"]',
      'job',
      '1 h 00 min',
      'joined at line 12',
    ]);
    expect(row(6)).toEqual([
      's5',
      '6',
      'Note right of AWS: Fetch source from S3',
      'expect',
      'test/fixtures/seed-bindings/steps/interim.ts:11',
      '5 min 00 s',
      'checks line 5 (Trigger CodeBuild (ARM))',
    ]);
    expect(row(12)).toEqual([
      's11',
      '12',
      'AWS-->Pay CI: Success',
      'reply',
      'built-in Success',
      '5 min 00 s',
      'answers line 5 (Trigger CodeBuild (ARM))',
    ]);
    expect(row(11)).toEqual([
      's10',
      '11',
      'Note left of Pay CI: Await CodeBuild result',
      'note',
      'test/fixtures/seed-bindings/steps/interim.ts:16',
      '30 min 00 s',
    ]);
    // Every step has a time limit: its own (line 4: 2 min in the bindings) or the default of its kind.
    expect(row(4)?.at(-1)).toBe('2 min 00 s');
    expect(row(2)?.at(-1)).toBe('30 min 00 s');
  });

  test('final --json: the second Await/Success answers the manifest build', () => {
    const run = seqrun(['plan', 'specs/final.seq', '--config', config, '--profile', 'all', '--json']);
    expect(run.code).toBe(0);
    const [plan] = JSON.parse(run.stdout) as {
      steps: { id: string; line: number; kind: string; answers?: string; mode?: string; joinedAt?: string }[];
    }[];
    const byLine = (line: number) => plan?.steps.find((s) => s.line === line);
    expect(byLine(10)).toMatchObject({ id: 's9', kind: 'call', mode: 'job', joinedAt: 's12' });
    expect(byLine(13)).toMatchObject({ kind: 'reply', answers: 's9' });
    expect(byLine(9)).toMatchObject({ kind: 'reply', answers: 's4' });
  });

  test('undefined steps are shown in the table and reported with exit 1', () => {
    const run = seqrun(['plan', 'specs/final.seq', '--config', config]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^s9 +10 +Pay CI->AWS: Trigger manifest CodeBuild +call +UNDEFINED/m);
    expect(run.stderr).toContain('specs/final.seq:10:1 error SEQ301 Undefined call: "Trigger manifest CodeBuild".');
  });
});
