// What a journal says about a run that stopped: which steps passed (and their outputs), which jobs
// are still out there (their handles), the last run state. `seqrun resume` continues from this.
import type { RunEvent, RunFinished, RunStarted } from './events.ts';
import type { ResumePoint } from './executor.ts';

export interface JournalSummary extends ResumePoint {
  readonly started: RunStarted | null;
  /** The last `run-finished`, null when the runner died before writing one. */
  readonly finished: RunFinished | null;
}

export function summarizeJournal(events: readonly RunEvent[]): JournalSummary {
  let started: RunStarted | null = null;
  let finished: RunFinished | null = null;
  let state: Readonly<Record<string, unknown>> = {};
  const passed = new Map<string, unknown>();
  const handles = new Map<string, unknown>();
  /** Parts recorded since a step's last handle; a handle or a pass covers them. */
  const progress = new Map<string, unknown[]>();
  /** Steps whose latest attempt has finished: a handle arriving after that belongs to an abandoned attempt. */
  const closed = new Set<string>();
  for (const event of events) {
    switch (event.type) {
      case 'run-started':
        started ??= event;
        break;
      case 'run-resumed':
        finished = null;
        break;
      case 'run-finished':
        finished = event;
        break;
      case 'state':
        state = event.state;
        break;
      case 'step-started':
        closed.delete(event.stepId);
        break;
      case 'job-started':
        // A late start (after its attempt timed out or the run stopped) is cancelled by the runtime.
        if (!closed.has(event.stepId)) {
          handles.set(event.stepId, event.handle);
          progress.delete(event.stepId);
        }
        break;
      case 'step-progress':
        progress.set(event.stepId, [...(progress.get(event.stepId) ?? []), event.part]);
        break;
      case 'step-finished':
        closed.add(event.stepId);
        if (event.status === 'passed') {
          passed.set(event.stepId, event.output);
          handles.delete(event.stepId);
          progress.delete(event.stepId);
        } else if (event.error?.name !== 'JobLeftRunning') {
          // Failed, or cancelled through its handler: a resume starts it afresh.
          handles.delete(event.stepId);
        }
        break;
      default:
        break;
    }
  }
  return { started, finished, state, passed, openJobs: handles, progress };
}
