// What one answer of a Step Functions worker writes to the run's S3 journal, in the local engine's
// event shapes (src/run/events.ts), every event redacted: the attempt's step-started (with its first
// write, timed when the handler began), the handler's log lines and progress (each progress written at
// once, so that a redelivered job knows what its start did), a job's start with the state after it,
// and the step's end with the state after it, merged into the newest state.
import type { RunEvent, StepFinished } from '../run/events.ts';
import type { Redactor } from '../run/redact.ts';
import type { JournalView, SharedJournal } from '../store/shared-journal.ts';
import { applyStateChanges, foldSharedRun, stateChanges } from './stepfunctions-shared-run.ts';

type Emitted = RunEvent & { readonly at: string; readonly runId: string };

const jsonCopy = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value ?? {})) as Record<string, unknown>;

export class StepRecorder {
  private readonly journal: SharedJournal;
  private readonly runId: string;
  private readonly redactor: Redactor;
  private pending: RunEvent[] = [];
  private writes: Promise<unknown> = Promise.resolve();
  private failed: unknown = null;
  /** The state the step's changes are taken from: as loaded, then as it was when the job's start was recorded. */
  private before: Record<string, unknown>;
  /** The attempt this answer runs, until its step-started is written (null: none to write). */
  private unstarted: Emitted | null = null;

  constructor(journal: SharedJournal, runId: string, redactor: Redactor, state: Readonly<Record<string, unknown>>) {
    this.journal = journal;
    this.runId = runId;
    this.redactor = redactor;
    this.before = jsonCopy(state);
  }

  /**
   * The scope's `emit`: log lines wait for the next write; progress is durable before the handler goes
   * on (a redelivered job's `start` finds it in `ctx.recorded`), so this call blocks until S3 has it.
   * A part that cannot be written throws into the handler, which then starts nothing more.
   */
  readonly emit = (event: RunEvent): void => {
    this.pending.push(this.redactor.value(event));
    if (event.type === 'step-progress') this.journal.appendNow(this.runId, this.take());
  };

  /**
   * The handler of `stepId`'s `attempt` starts now: its step-started goes with the first events written,
   * unless the journal has it already (`journaled`: a job's start written by an earlier delivery).
   */
  begin(stepId: string, attempt: number, journaled: boolean): void {
    this.unstarted = journaled ? null : { type: 'step-started', at: new Date().toISOString(), runId: this.runId, stepId, attempt };
  }

  /** A job's start: what it logged and recorded, its handle and the state after it. */
  async jobStarted(stepId: string, handle: unknown, state: Readonly<Record<string, unknown>>): Promise<void> {
    const job: Emitted = {
      type: 'job-started',
      at: new Date().toISOString(),
      runId: this.runId,
      stepId,
      handle: this.redactor.value(handle),
    };
    await this.withState([...this.take(), job], state);
  }

  /** The step's end: what it logged, its step-finished and the state after it. */
  async finished(end: Omit<StepFinished, 'type' | 'at' | 'runId'>, state: Readonly<Record<string, unknown>>): Promise<void> {
    const event: Emitted = { type: 'step-finished', at: new Date().toISOString(), runId: this.runId, ...this.redactor.value(end) };
    await this.withState([...this.take(), event], state);
  }

  /** A line of the worker's own (a failed attempt the machine retries), written with what the handler logged. */
  async logged(line: { readonly stepId: string; readonly level: 'info' | 'warn' | 'error'; readonly message: string }): Promise<void> {
    const event: Emitted = { type: 'log', at: new Date().toISOString(), runId: this.runId, ...line };
    const batch = [...this.take(), this.redactor.value(event)];
    this.write(() => batch);
    await this.writes;
    if (this.failed !== null) throw this.failed;
  }

  /** The events waiting to be written, after the attempt's step-started when it was not written yet. */
  private take(): RunEvent[] {
    const taken = this.unstarted === null ? this.pending : [this.unstarted, ...this.pending];
    this.pending = [];
    this.unstarted = null;
    return taken;
  }

  /** Writes `events` and the state (when this step changed it), after the writes before; fails when one of those did. */
  private async withState(events: readonly RunEvent[], state: Readonly<Record<string, unknown>>): Promise<void> {
    const after = jsonCopy(state);
    const changes = stateChanges(this.before, after);
    const at = new Date().toISOString();
    this.write((view) => {
      const newest = foldSharedRun(view.events).state;
      const merged = this.redactor.value(applyStateChanges(newest, changes));
      const same = JSON.stringify(merged) === JSON.stringify(newest);
      return same ? events : [...events, { type: 'state', at, runId: this.runId, state: merged }];
    });
    await this.writes;
    if (this.failed !== null) throw this.failed;
    this.before = after;
  }

  private write(events: (view: JournalView) => readonly RunEvent[]): void {
    this.writes = this.writes.then(async () => {
      if (this.failed !== null) return;
      try {
        await this.journal.append(this.runId, events);
      } catch (error) {
        this.failed = error;
      }
    });
  }
}
