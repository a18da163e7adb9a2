// Jobs in flight: their handles, the background promise that waits for each one, and what happens
// to them when the run stops (cancelled through their handler, or left running with --leave-jobs).
import type { JobImplementation, PlannedStep } from '../bind/types.ts';
import { JOB_LEFT_RUNNING, type StepStatus } from './events.ts';
import { handlerContext, type RunScope } from './context.ts';
import { errorInfo } from './errors.ts';
import { withTimeout } from './retry.ts';
import { SeqrunError } from '../errors.ts';

export interface OpenJob {
  readonly planned: PlannedStep;
  readonly job: JobImplementation;
  readonly handle: unknown;
  readonly t0: number;
  /** running: still waited for; timed-out: failed by its timeout but maybe still running elsewhere. */
  state: 'running' | 'finished' | 'timed-out';
  /** Settles (never rejects) when the job and its expectations are done, or the run stopped. */
  done: Promise<void>;
}

/** Marks a job the run stopped without cancelling; `seqrun resume` re-attaches it. */
export class JobLeftRunning extends SeqrunError {
  override readonly name = JOB_LEFT_RUNNING;
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'JOB_LEFT_RUNNING', options);
  }
}

export class JobCancelled extends SeqrunError {
  override readonly name = 'JobCancelled';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'JOB_CANCELLED', options);
  }
}

export class JobSet {
  /** By the call's step id (`s4`, or `s4#2` in a loop's second iteration). */
  private readonly open = new Map<string, OpenJob>();
  private readonly late: Promise<void>[] = [];
  /** Starts in flight: a stopping run waits for them (bounded) so that no handle goes unjournaled. */
  private readonly starting = new Set<Promise<unknown>>();

  private readonly scope: RunScope;
  private readonly leaveJobs: boolean;
  private readonly cancelTimeoutMs: number;
  constructor(scope: RunScope, leaveJobs: boolean, cancelTimeoutMs: number) {
    this.scope = scope;
    this.leaveJobs = leaveJobs;
    this.cancelTimeoutMs = cancelTimeoutMs;
  }

  has(callId: string): boolean {
    return this.open.has(callId);
  }

  /** Whether a job is still running (not finished, not recorded as stopped). */
  anyRunning(finished: ReadonlySet<string>): boolean {
    for (const id of this.open.keys()) if (!finished.has(id)) return true;
    return false;
  }

  add(planned: PlannedStep, job: JobImplementation, handle: unknown, t0: number): OpenJob {
    const open: OpenJob = { planned, job, handle, t0, state: 'running', done: Promise.resolve() };
    this.open.set(planned.id, open);
    return open;
  }

  wait(open: OpenJob, signal: AbortSignal): Promise<unknown> {
    const ctx = (s: AbortSignal) => handlerContext(this.scope, open.planned, 1, s);
    return withTimeout((s) => open.job.wait(ctx(s), open.handle), open.planned.options.timeoutMs, signal);
  }

  /** The join point: a reply waits here for the job it answers. */
  async join(callId: string): Promise<void> {
    await this.open.get(callId)?.done;
  }

  /** The end of the diagram joins every job nobody waited for, in the order they started. */
  async joinAll(): Promise<void> {
    for (const open of this.open.values()) await open.done;
  }

  async settleAll(): Promise<void> {
    await Promise.all([...this.open.values()].map((o) => o.done));
  }

  /** Runs a job's start, remembering it until it settles. */
  track<T>(start: Promise<T>): Promise<T> {
    this.starting.add(start);
    const forget = (): void => void this.starting.delete(start);
    start.then(forget, forget);
    return start;
  }

  /**
   * A job whose start returned after its attempt was abandoned (timeout, stop): nobody will wait for
   * it, and a resume will not re-attach it, so it is cancelled even with --leave-jobs.
   */
  cancelLate(planned: PlannedStep, job: JobImplementation, handle: unknown, signal: AbortSignal): void {
    this.late.push(this.cancel(planned, job, handle, signal));
  }

  /**
   * Cancels (or leaves) every job still running. Each one's final status is recorded (journaled)
   * before its cancel is requested: a runner killed while cancelling (a second Ctrl-C) leaves a
   * journal that says the run cancelled it, so a resume starts it afresh instead of re-attaching a
   * stopped build. The cancels run side by side; `signal` aborts when the event loop drains.
   * `only`: the jobs of a failed mermaid `critical` block, cancelled (even with --leave-jobs) before
   * its compensation runs; the run goes on.
   */
  async stopOpen(
    record: (open: OpenJob, status: StepStatus, error: Error) => void,
    signal: AbortSignal,
    only?: ReadonlySet<string>,
  ): Promise<void> {
    const cancels: Promise<void>[] = [];
    for (const open of this.open.values()) {
      if (only && !only.has(open.planned.id)) continue;
      if (open.state === 'finished') continue;
      if (this.leaveJobs && !only) {
        if (open.state === 'running') record(open, 'cancelled', new JobLeftRunning('left running (--leave-jobs); resume re-attaches it'));
        continue;
      }
      const why = only ? 'cancelled because its block failed' : 'cancelled because the run stopped';
      if (open.state === 'running') record(open, 'cancelled', new JobCancelled(why));
      cancels.push(this.cancel(open.planned, open.job, open.handle, signal));
      // Stopped with its block: the run's own stop does not cancel it again.
      if (only) open.state = 'finished';
    }
    await Promise.all(cancels);
    if (only) return;
    if (this.starting.size > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.cancelTimeoutMs)));
      await Promise.race([Promise.allSettled([...this.starting]), bound]);
      clearTimeout(timer);
    }
    await Promise.all(this.late);
  }

  private async cancel(planned: PlannedStep, job: JobImplementation, handle: unknown, signal: AbortSignal): Promise<void> {
    if (!job.cancel) return;
    const cancel = job.cancel.bind(job);
    try {
      await withTimeout((s) => cancel(handlerContext(this.scope, planned, 1, s), handle), this.cancelTimeoutMs, signal);
    } catch (error) {
      const message = `could not cancel the job: ${errorInfo(error).message}`;
      this.scope.emit({
        type: 'log',
        at: this.scope.now().toISOString(),
        runId: this.scope.runId,
        stepId: planned.id,
        level: 'error',
        message,
      });
    }
  }
}
