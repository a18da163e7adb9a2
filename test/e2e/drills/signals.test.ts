// Signal drills on the fixture project (no sandbox): the real CLI is started, sent SIGINT or SIGTERM
// while handlers misbehave, and must end with 130 or 143 and a journal that says so, whatever the
// handlers do. Bounds on waiting are generous and never assertions on time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  calls,
  count,
  journalOf,
  latestRun,
  runCli,
  spawnCli,
  statuses,
  tempProject,
  waitFor,
  type CliResult,
  type Running,
} from '../../run/support.ts';

/** The run's end, or a failure naming what it was doing, long before the test's own timeout. */
async function ended(run: Running, what: string, boundMs = 45_000): Promise<CliResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>(
    (_r, reject) => (timer = setTimeout(() => reject(new Error(`seqrun still running ${boundMs} ms after ${what}`)), boundMs)),
  );
  try {
    return await Promise.race([run.done, bound]);
  } finally {
    clearTimeout(timer);
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  }
}

function stepError(dir: string, stepId: string): { name?: string; message: string } | undefined {
  const event = journalOf(dir).events.find((e) => e.type === 'step-finished' && e.stepId === stepId);
  return event?.type === 'step-finished' ? event.error : undefined;
}

describe('signal drills', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s while a handler ignores its signal and holds a timer: the run ends (exit %i), journaled as interrupted',
    { timeout: 60_000 },
    async (signal, code) => {
      const dir = tempProject();
      const run = spawnCli(['run', 'ignore.seq', '--var', `workdir=${dir}`], dir);
      await waitFor(() => calls(dir).includes('ignoring'), 'the handler that ignores its signal to start');
      run.child.kill(signal);
      const r = await ended(run, signal);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(
        `seqrun: interrupted (${signal}; abandoned the handlers of s1: still running after their signal was aborted); resume with: seqrun resume ${latestRun(dir)}`,
      );
      const journal = journalOf(dir);
      expect(journal.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'interrupted', reason: expect.stringContaining(signal) });
      expect(statuses(journal)).toEqual({ s0: 'cancelled', s1: 'cancelled', s2: 'skipped' });
      expect(calls(dir)).toContain('cancel build-arm');
    },
  );

  it('a cancel that never returns: the grace period runs out, the interruption is journaled, exit 130', { timeout: 60_000 }, async () => {
    const dir = tempProject();
    // Jobs being cancelled get the longer grace period: 1.5 s here instead of 60.
    writeFileSync(
      join(dir, 'seqrun.config.ts'),
      "export default { bindings: ['steps.ts'], timeouts: { stopGrace: 500, cancelGrace: 1_500 } };\n",
    );
    const run = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`, '--var', 'slowCancel=true'], dir);
    await waitFor(() => calls(dir).includes('waiting'), 'the long step to start');
    run.child.kill('SIGINT');
    const r = await ended(run, 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('SIGINT, and the 1500 ms grace period ran out');
    const journal = journalOf(dir);
    expect(journal.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'interrupted' });
    expect(stepError(dir, 's0')).toMatchObject({ name: 'JobCancelled' });
  });

  it(
    'two Ctrl-C 30 ms apart: the cancellation is journaled before the exit, and resume starts the stopped build afresh',
    { timeout: 60_000 },
    async () => {
      const dir = tempProject();
      // The cancel stops the build and then takes its time: the second Ctrl-C comes while it runs.
      const run = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`, '--var', 'slowCancel=true'], dir);
      await waitFor(() => calls(dir).includes('waiting'), 'the long step to start');
      run.child.kill('SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 30));
      run.child.kill('SIGINT');
      const r = await ended(run, 'two SIGINTs');
      expect(r.code).toBe(130);
      expect(journalOf(dir).events.at(-1)).toMatchObject({ type: 'run-finished', status: 'interrupted' });
      expect(stepError(dir, 's0')).toMatchObject({ name: 'JobCancelled' });

      writeFileSync(join(dir, 'done-build-arm'), 'SUCCEEDED');
      const resumed = await runCli(['resume', '--var', 'waitMs=0'], dir);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      expect(count(calls(dir), 'start arm')).toBe(2);
      expect(count(calls(dir), 'attach build-arm')).toBe(0);
    },
  );
});
