// The kill drill on the fixture project (no sandbox): drill.seq starts three builds in two jobs, the
// first of which starts two. SEQRUN_DRILL_KILL_AT=<n> SIGKILLs the runner right after the n-th point a
// resume relies on (a recorded part of a handle, a journaled handle); the drill kills at every such
// point in turn and checks that the resume starts each build exactly once and finishes green.
import { describe, expect, it } from 'vitest';
import { calls, childEnv, count, journalOf, runCli, statuses, tempProject } from '../../run/support.ts';

const BUILDS = ['arm', 'x86', 'e2e'];
/** Points in drill.seq: arm and x86 recorded, the pair's handle, e2e's handle. */
const POINTS = 4;

function startsPerBuild(dir: string): Record<string, number> {
  const log = calls(dir);
  return Object.fromEntries(BUILDS.map((b) => [b, count(log, `start ${b}`)]));
}

const once = Object.fromEntries(BUILDS.map((b) => [b, 1]));

describe('kill drill: the fixture project killed at every point a resume relies on', () => {
  it(
    'a run killed right after its n-th point, for every n: the resume starts only what was not started and finishes green',
    { timeout: 120_000 },
    async () => {
      for (let n = 1; ; n++) {
        const dir = tempProject();
        const killed = await runCli(['run', 'drill.seq', '--var', `workdir=${dir}`], dir, childEnv({ SEQRUN_DRILL_KILL_AT: String(n) }));
        if (killed.signal === null) {
          // Past the last point the run is not killed: every point was drilled.
          expect(killed.code).toBe(0);
          expect(n).toBe(POINTS + 1);
          expect(startsPerBuild(dir)).toEqual(once);
          break;
        }
        expect(killed.signal).toBe('SIGKILL');
        const journal = journalOf(dir);
        expect(['step-progress', 'job-started']).toContain(journal.events.at(-1)?.type);
        const resumed = await runCli(['resume'], dir);
        expect(resumed.stderr).toBe('');
        expect(resumed.code).toBe(0);
        expect({ n, starts: startsPerBuild(dir) }).toEqual({ n, starts: once });
        expect(Object.values(statuses(journalOf(dir))).every((s) => s === 'passed')).toBe(true);
      }
    },
  );

  it('the first build recorded, then killed: the resume re-attaches it and starts only the second', async () => {
    const dir = tempProject();
    const killed = await runCli(['run', 'drill.seq', '--var', `workdir=${dir}`], dir, childEnv({ SEQRUN_DRILL_KILL_AT: 's1:1' }));
    expect(killed.signal).toBe('SIGKILL');
    expect(journalOf(dir).events.at(-1)).toMatchObject({ type: 'step-progress', stepId: 's1', part: { id: 'build-arm' } });
    const resumed = await runCli(['resume'], dir);
    expect(resumed.code).toBe(0);
    expect(calls(dir).filter((c) => /^(start|reattach|attach) /.test(c))).toEqual(['start arm', 'reattach arm', 'start x86', 'start e2e']);
  });

  it('killed again at the next point by every resume, until one finishes: still each build started once', { timeout: 60_000 }, async () => {
    const dir = tempProject();
    const env = childEnv({ SEQRUN_DRILL_KILL_AT: '1' });
    let processes = 1;
    let last = await runCli(['run', 'drill.seq', '--var', `workdir=${dir}`], dir, env);
    while (last.signal === 'SIGKILL') {
      processes += 1;
      last = await runCli(['resume'], dir, env);
    }
    expect(last.code).toBe(0);
    expect(processes).toBe(POINTS + 1);
    expect(startsPerBuild(dir)).toEqual(once);
    expect(journalOf(dir).events.filter((e) => e.type === 'run-resumed')).toHaveLength(POINTS);
  });
});
