// What a run says when it ends leaving jobs running (`--leave-jobs`, or a forced end before their
// cancel): which ones, with the handles a resume re-attaches them by.
import { escapeControls } from '../diagnostics/escape.ts';
import { JOB_LEFT_RUNNING, type RunEvent } from '../run/events.ts';

export class LeftJobs {
  private readonly handles = new Map<string, unknown>();
  private readonly left: string[] = [];

  /** Sees every event of the run (already redacted). */
  onEvent(event: RunEvent): void {
    if (event.type === 'job-started') this.handles.set(event.stepId, event.handle);
    if (event.type === 'step-finished' && event.status !== 'passed' && event.error?.name === JOB_LEFT_RUNNING) this.left.push(event.stepId);
  }

  /** The end-of-run line naming the jobs left running and how to pick them up, or null when none was left. */
  message(runId: string, label: (stepId: string) => string): string | null {
    if (this.left.length === 0) return null;
    const jobs = this.left.map((id) => `${id} ${label(id)} (handle ${JSON.stringify(this.handles.get(id)) ?? 'unknown'})`);
    const count = jobs.length === 1 ? '1 job' : `${jobs.length} jobs`;
    const text = `seqrun: left ${count} running: ${jobs.join('; ')}. 'seqrun resume ${runId}' re-attaches ${jobs.length === 1 ? 'it' : 'them'}; cancel ${jobs.length === 1 ? 'it' : 'them'} yourself otherwise`;
    return `${escapeControls(text)}\n`;
  }
}
