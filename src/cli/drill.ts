// A hook for the kill drills (test/e2e/drills/): SEQRUN_DRILL_KILL_AT=<n> or <step-id>:<n> makes the
// runner SIGKILL itself right after the n-th point a resume relies on (a part `ctx.progress` recorded,
// a job's handle) is in the journal. Drills kill a run at each such point in turn, not after a sleep.
import type { RunEvent } from '../run/events.ts';

const SPEC = /^(?:(s\d+):)?([1-9]\d*)$/;

/** The hook for `env`, or null when it is not set. */
export function drillKill(env: Readonly<Record<string, string | undefined>>): ((event: RunEvent) => void) | null {
  const spec = env['SEQRUN_DRILL_KILL_AT'];
  if (spec === undefined || spec === '') return null;
  const match = SPEC.exec(spec);
  if (!match) throw new Error(`SEQRUN_DRILL_KILL_AT=${spec} is not <n> or <step-id>:<n> (e.g. 3 or s4:2)`);
  const stepId = match[1];
  const n = Number(match[2]);
  let seen = 0;
  return (event) => {
    if (event.type !== 'step-progress' && event.type !== 'job-started') return;
    if (stepId !== undefined && event.stepId !== stepId) return;
    seen += 1;
    // The event is already written (and fsynced): this is a runner dying right after it.
    if (seen === n) process.kill(process.pid, 'SIGKILL');
  };
}
