// Hooks through the real CLI: before-run, on-failure and after-run hooks beside the steps, shown as
// hooks in the plain report and JUnit; a resume marked as such everywhere and not re-running a
// before-run hook that passed; --leave-jobs naming the jobs it leaves running.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, childEnv, journalOf, junitSummary, REPO, runCli, spawnCli, tempProject, waitFor } from './support.ts';

/** The runtime fixture project with test/fixtures/hooks/hooks.ts added to its bindings. */
function projectWithHooks(): string {
  const dir = tempProject();
  copyFileSync(join(REPO, 'test/fixtures/hooks/hooks.ts'), join(dir, 'hooks.ts'));
  const config = readFileSync(join(dir, 'seqrun.config.ts'), 'utf8');
  writeFileSync(join(dir, 'seqrun.config.ts'), config.replace("bindings: ['steps.ts']", "bindings: ['steps.ts', 'hooks.ts']"));
  return dir;
}

describe('hooks through the CLI', () => {
  it('run before and after the steps, shown as hooks (not steps) in the plain report and JUnit, their logs masked', async () => {
    const dir = projectWithHooks();
    const token = 'xoxb-1234567890-abcdefghijkl';
    const run = await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`, '--var', `API_TOKEN=${token}`, '--junit', 'run.xml'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(1, 4)).toEqual([
      'start hook [h0] before run: Announce',
      expect.stringMatching(/^ {2}h0 │ announcing \S+ with \*\*\*$/),
      expect.stringMatching(/^passed hook \[h0\] before run: Announce \(\d+ ms\)$/),
    ]);
    expect(lines.at(-4)).toBe('start hook [h2] after run: Clean up');
    expect(run.stdout).not.toContain(token);
    expect(calls(dir)[0]).toBe('before resumed=false');
    expect(calls(dir).at(-1)).toBe('after passed');
    // The summary counts the diagram's 10 steps; JUnit lists the two hook runs beside them.
    expect(run.stdout).toMatch(/run passed in .*: 10 passed, 0 failed/);
    expect(junitSummary(join(dir, 'run.xml'))).toMatchObject({ cases: 12, failures: [], skipped: 0 });
  });

  it('a failing before-run hook fails the run (exit 1) before any step; on-failure hooks run once per failed step', async () => {
    const dir = projectWithHooks();
    const refused = await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`, '--var', 'failBefore=true'], dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('failed hook [h0] before run: Announce: no announcement channel');
    expect(refused.stderr).toBe('seqrun: hook [h0] before run: Announce failed: no announcement channel\n');
    expect(calls(dir)).toEqual(['before resumed=false', 'after failed']); // no step ran
    expect(
      Object.values(
        journalOf(dir)
          .events.filter((e) => e.type === 'step-finished')
          .map((e) => e.type === 'step-finished' && e.status),
      ),
    ).toEqual(Array(10).fill('skipped'));

    const failing = projectWithHooks();
    const failed = await runCli(['run', 'fail.seq', '--var', `workdir=${failing}`], failing);
    expect(failed.code).toBe(1);
    expect(calls(failing).filter((c) => c.startsWith('failure'))).toEqual(['failure s2: compiler exploded']);
    expect(calls(failing).at(-1)).toBe('after failed');
    expect(failed.stdout).toContain('passed hook [h1] on failure of s2: Page on-call');
  });

  it('--leave-jobs names the jobs it leaves running; the resume is marked as resumed (JSON, JUnit) and skips the before-run hook', async () => {
    const dir = projectWithHooks();
    const run = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`, '--leave-jobs'], dir);
    await waitFor(() => calls(dir).includes('waiting'), 'the long step to start');
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(
      `seqrun: left 1 job running: s0 CI->AWS: Trigger build arm (handle {"id":"build-arm","dir":${JSON.stringify(dir)}}). 'seqrun resume `,
    );
    writeFileSync(join(dir, 'done-build-arm'), 'SUCCEEDED');

    const resumed = await runCli(['resume', '--var', 'waitMs=0', '--format', 'json', '--junit', 'resumed.xml'], dir, childEnv());
    expect(resumed.code).toBe(0);
    const events = resumed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; hookId?: string });
    expect(events[0]?.type).toBe('run-resumed');
    // The before-run hook passed in the first runner: not run again; the after-run hook runs at this end too.
    expect(events.filter((e) => e.type === 'hook-started').map((e) => e.hookId)).toEqual(['h2']);
    expect(calls(dir).filter((c) => c.startsWith('before'))).toEqual(['before resumed=false']);
    expect(readFileSync(join(dir, 'resumed.xml'), 'utf8')).toContain('<property name="seqrun.resumed" value="true"/>');
  });
});
