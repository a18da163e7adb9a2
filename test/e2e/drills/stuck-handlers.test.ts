// Stuck-handler drills on the fixture project: a handler whose promise never settles and holds nothing
// (Node would exit silently with code 13 mid-run), and one that ignores its timeout and holds a timer
// (seqrun must not stay alive for it). Each run ends with a documented code and a journal that says why.
import { describe, expect, it } from 'vitest';
import { calls, journalOf, runCli, statuses, tempProject } from '../../run/support.ts';

const NEVER_SETTLED =
  /seqrun: step s1 failed at stuck\.seq:2:1 \(CI->Box: Never settle\): handler never settled \(steps\.ts:\d+:\d+\): its promise is still pending/;

describe('stuck-handler drills', () => {
  it(
    'a promise that never settles and holds nothing: the step fails with "handler never settled" and its place, exit 1; resume does the same',
    { timeout: 60_000 },
    async () => {
      const dir = tempProject();
      const r = await runCli(['run', 'stuck.seq', '--var', `workdir=${dir}`], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(NEVER_SETTLED);
      const journal = journalOf(dir);
      expect(statuses(journal)).toEqual({ s0: 'passed', s1: 'failed', s2: 'skipped' });
      expect(journal.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed', failedStepId: 's1' });

      const resumed = await runCli(['resume', '--var', `workdir=${dir}`], dir);
      expect(resumed.code).toBe(1);
      expect(resumed.stderr).toMatch(NEVER_SETTLED);
      const events = journalOf(dir).events;
      expect(events.filter((e) => e.type === 'run-finished').map((e) => e.type === 'run-finished' && e.status)).toEqual([
        'failed',
        'failed',
      ]);
      expect(calls(dir)).toEqual(['tag']); // the step that passed is not run again
    },
  );

  it(
    'a handler that outlives its timeout holding a timer: the run fails at the timeout and seqrun exits without waiting for it',
    { timeout: 60_000 },
    async () => {
      const dir = tempProject();
      // faults.seq: Flaky passes on its third attempt, then Hang (timeout 200 ms) holds a 10-minute timer.
      const r = await runCli(['run', 'faults.seq', '--var', `workdir=${dir}`], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('seqrun: step s1 failed at faults.seq:2:1 (CI->Box: Hang): timed out after 200 ms');
      expect(r.stderr).toContain('seqrun: abandoned the handlers of s1: still running after their signal was aborted');
      expect(journalOf(dir).events.at(-1)).toMatchObject({
        type: 'run-finished',
        status: 'failed',
        reason: expect.stringContaining('abandoned the handlers of s1'),
      });
    },
  );
});
