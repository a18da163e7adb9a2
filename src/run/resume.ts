// What a journal says about a run that stopped: which steps passed (and their outputs), which jobs
// are still out there (their handles), the last run state. `seqrun resume` continues from this.
import type { RunEvent, RunFinished, RunStarted } from './events.ts';
import type { ResumePoint } from './executor.ts';

export interface JournalSummary extends ResumePoint {
  readonly started: RunStarted | null;
  /** The last `run-finished`, null when the runner died before writing one. */
  readonly finished: RunFinished | null;
  /** The sandbox the run last ran against (null: none). */
  readonly sandbox: string | null;
}

export function summarizeJournal(events: readonly RunEvent[]): JournalSummary {
  let started: RunStarted | null = null;
  let finished: RunFinished | null = null;
  let state: Readonly<Record<string, unknown>> = {};
  let sandbox: string | null = null;
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
        sandbox = event.sandbox ?? null;
        break;
      case 'run-resumed':
        finished = null;
        sandbox = event.sandbox ?? null;
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
  return { started, finished, sandbox, state, passed, openJobs: handles, progress };
}

/**
 * Why a run cannot be resumed against the sandbox it would run against now (`current`, null: none),
 * or null. A sandbox starts empty, so a run that did something in another one (a step passed, a job
 * is open) would find its buckets, images and builds gone.
 */
export function sandboxGone(summary: JournalSummary, current: string | null): string | null {
  if (summary.sandbox === null || summary.sandbox === current) return null;
  if (summary.passed.size === 0 && summary.openJobs.size === 0) return null;
  const now = current === null ? 'no sandbox' : `sandbox ${current}`;
  return (
    `ran against sandbox ${summary.sandbox}, which is gone (this would run against ${now}). ` +
    "'seqrun sandbox up' starts an empty sandbox: the run's S3 objects, images and builds went with the old one, so a run cannot resume across a sandbox restart. " +
    `Start a new run instead: seqrun run --sandbox ${summary.started?.diagram ?? 'FILE'}${summary.started?.profile ? ` --profile ${summary.started.profile}` : ''}`
  );
}
