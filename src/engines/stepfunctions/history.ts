// An execution's history read back as seqrun's run events (issue 13, part 2: "the execution history is
// the journal"). Pure: history events in (as GetExecutionHistory pages them, in order, any batch size),
// run events out, timed by the history's timestamps. State names are mapped to the plan's steps and
// blocks through the machine compiled from the same plan (roles.ts); loop iterations are followed
// through each event's previousEventId, so a step in a Map's second item is `s4#2`, as the local engine names it.
import type { Plan } from '../../bind/types.ts';
import type { RunEvent, RunFinished, RunStarted, StepFinished } from '../../run/events.ts';
import { BlockReader } from './history-blocks.ts';
import { errorOf, type HistoryEventShape } from './history-shape.ts';
import { ERRORS, type StateMachine } from './asl.ts';
import { stateRoles, type StateRole } from './roles.ts';

export { errorOf, type HistoryEventShape } from './history-shape.ts';

/** What `run-started` says besides its time and run id: the same as a local run's. */
export type RunStart = Omit<RunStarted, 'type' | 'at' | 'runId'>;

/** Where an event happened: its loop iterations (`#2#1`), the state it belongs to, the par branches it is in. */
interface Place {
  readonly suffix: string;
  readonly state: string | null;
  readonly branches: readonly { readonly parallel: string; readonly index: number }[];
}

interface OpenStep {
  readonly id: string;
  readonly t0: number;
  attempt: number;
  error: { readonly message: string; readonly name: string } | null;
}

const ROOT: Place = { suffix: '', state: null, branches: [] };
const CONTAINER_EXITS = new Set(['ParallelStateExited', 'MapStateExited']);

/** Reads one execution's history, batch by batch; `finish` ends what the history left open. */
export class HistoryReader {
  private readonly plan: Plan;
  private readonly runId: string;
  private readonly start: RunStart;
  private readonly roles: Map<string, StateRole>;
  private readonly places = new Map<number, Place>();
  private readonly types = new Map<number, string>();
  /** Containers entered (by state name): where they were entered, when, and their branches' last event times. */
  private readonly entered = new Map<string, { place: Place; at: number; last: number[]; iterations: number }>();
  /** Ids of ParallelStateFailed/MapStateFailed events and of the events before them: the container's exit follows one of them. */
  private readonly failedAt = new Set<number>();
  private readonly steps = new Map<string, OpenStep>();
  private readonly seen = new Set<string>();
  private readonly pendingFailures = new Map<number, string>();
  private readonly blocks: BlockReader;
  /** Steps and blocks that failed the run, in order; a compensated critical forgives those inside it. */
  private failures: string[] = [];
  private readonly failureMarks = new Map<string, number>();
  private readonly reasons = new Map<string, string>();
  private startedAt: number | null = null;
  private ended = false;
  private out: RunEvent[] = [];

  constructor(plan: Plan, machine: StateMachine, runId: string, start: RunStart) {
    this.plan = plan;
    this.runId = runId;
    this.start = start;
    this.roles = stateRoles(plan, machine);
    this.blocks = new BlockReader({
      block: (fields, at) => this.emit({ type: 'block', ...fields }, at),
      failed: (id, reason) => {
        this.failures.push(id);
        this.reasons.set(id, reason);
      },
      forgive: (blockId) => {
        this.failures = this.failures.slice(0, this.failureMarks.get(blockId) ?? this.failures.length);
      },
    });
  }

  /** True once run-finished was read or made. */
  get finished(): boolean {
    return this.ended;
  }

  /** The run events the next history events say. */
  read(events: readonly HistoryEventShape[]): RunEvent[] {
    this.out = [];
    for (const event of events) if (!this.ended) this.readOne(event);
    return this.out;
  }

  /**
   * Ends the run as the history left it: a failure still waiting to be retried counts, running steps
   * are cancelled, steps never reached are skipped, and run-finished says `status` unless the history did.
   */
  finish(status: RunFinished['status'], at: Date, reason?: string): RunEvent[] {
    this.out = [];
    if (!this.ended) this.end(status, at.getTime(), reason === undefined ? {} : { reason });
    return this.out;
  }

  private emit(event: Record<string, unknown> & { type: RunEvent['type'] }, at: number): void {
    this.out.push({ ...event, at: new Date(at).toISOString(), runId: this.runId } as RunEvent);
  }

  private readOne(event: HistoryEventShape): void {
    const id = event.id ?? 0;
    const prevId = event.previousEventId ?? 0;
    const at = new Date(event.timestamp ?? 0).getTime();
    const type = event.type ?? '';
    this.types.set(id, type);
    const pending = this.pendingFailures.get(prevId);
    if (pending !== undefined) {
      this.pendingFailures.delete(prevId);
      if (type !== 'TaskScheduled') this.failStep(pending, at);
    }
    const place = this.placeOf(event, prevId, type);
    this.places.set(id, place);
    for (const mark of place.branches) {
      const container = this.entered.get(mark.parallel);
      if (container) container.last[mark.index] = at;
    }
    if (type === 'ParallelStateFailed' || type === 'MapStateFailed') {
      this.failedAt.add(id);
      this.failedAt.add(prevId);
      return;
    }
    const role = place.state === null ? undefined : this.roles.get(place.state);
    if (type.startsWith('Execution')) return this.onExecution(event, type, at);
    if (role?.kind === 'step') return this.onStep(event, type, role.index, place, id, at);
    if (role?.kind === 'label') return this.blocks.label(event, type, role, place.suffix, at);
    this.onBlock(event, type, role, place, this.failedAt.has(prevId), at);
  }

  /** The event's place: its previous event's, changed where containers and iterations begin and end. */
  private placeOf(event: HistoryEventShape, prevId: number, type: string): Place {
    const prev = this.places.get(prevId) ?? ROOT;
    const enteredName = event.stateEnteredEventDetails?.name;
    if (enteredName !== undefined) {
      let branches = prev.branches;
      let suffix = prev.suffix;
      // The first state of a Parallel's branch: which branch it is, by the branches' start states.
      if (this.types.get(prevId) === 'ParallelStateStarted' && prev.state !== null) {
        const role = this.roles.get(prev.state);
        const index = role?.kind === 'par' ? role.starts.indexOf(enteredName) : -1;
        if (index >= 0) branches = [...branches, { parallel: prev.state, index }];
      }
      const role = this.roles.get(enteredName);
      if (role?.kind === 'guard-choice') {
        const guard = this.blocks.guard(role.block.id);
        if (guard?.holds) suffix = `${guard.base}#${guard.n}`;
      }
      return { suffix, state: enteredName, branches };
    }
    const exitedName = event.stateExitedEventDetails?.name;
    if (exitedName !== undefined && CONTAINER_EXITS.has(type)) {
      const container = this.entered.get(exitedName);
      if (container) return { ...container.place, state: exitedName };
    }
    const iteration = event.mapIterationStartedEventDetails;
    if (type === 'MapIterationStarted' && iteration?.name !== undefined) {
      const container = this.entered.get(iteration.name);
      if (container) {
        container.iterations += 1;
        return { ...container.place, suffix: `${container.place.suffix}#${(iteration.index ?? 0) + 1}`, state: null };
      }
    }
    return prev;
  }

  private onExecution(event: HistoryEventShape, type: string, at: number): void {
    if (type === 'ExecutionStarted') {
      this.startedAt = at;
      this.emit({ type: 'run-started', ...this.start }, at);
      return;
    }
    if (type === 'ExecutionSucceeded') return this.end('passed', at, {});
    if (type === 'ExecutionAborted') return this.end('interrupted', at, { reason: 'the execution was stopped' });
    if (type === 'ExecutionTimedOut') return this.end('failed', at, { reason: 'the execution timed out (its TimeoutSeconds)' });
    if (type === 'ExecutionFailed') {
      const failure = event.executionFailedEventDetails;
      const broke = this.blocks.lastBreak;
      if (failure?.error === ERRORS.break && broke) return this.end('failed', at, { failedStepId: broke.id, reason: broke.reason });
      const failedStepId = this.failures[0];
      const reason = failedStepId === undefined ? `${errorOf(failure).name}: ${errorOf(failure).message}` : this.reasons.get(failedStepId);
      return this.end('failed', at, {
        ...(failedStepId === undefined ? {} : { failedStepId }),
        ...(reason === undefined ? {} : { reason }),
      });
    }
  }

  private onStep(event: HistoryEventShape, type: string, index: number, place: Place, eventId: number, at: number): void {
    const key = `${place.state ?? ''}|${place.suffix}`;
    const stepId = `s${index}${place.suffix}`;
    switch (type) {
      case 'TaskStateEntered':
        this.steps.set(key, { id: stepId, t0: at, attempt: 0, error: null });
        this.seen.add(stepId);
        return;
      case 'PassStateEntered':
        this.steps.set(key, { id: stepId, t0: at, attempt: 1, error: null });
        this.seen.add(stepId);
        this.emit({ type: 'step-started', stepId, attempt: 1 }, at);
        return;
      case 'TaskScheduled': {
        const step = this.steps.get(key);
        if (!step) return;
        if (step.attempt > 0)
          this.emit(
            {
              type: 'log',
              stepId,
              level: 'warn',
              message: `attempt ${step.attempt} failed: ${step.error?.message ?? 'failed'}; Step Functions retries it`,
            },
            at,
          );
        step.attempt += 1;
        this.emit({ type: 'step-started', stepId, attempt: step.attempt }, at);
        return;
      }
      case 'TaskSucceeded':
      case 'PassStateExited':
        return this.finishStep(key, 'passed', at);
      case 'TaskFailed':
      case 'TaskTimedOut': {
        const step = this.steps.get(key);
        if (!step) return;
        step.error = errorOf(event.taskFailedEventDetails ?? event.taskTimedOutEventDetails);
        // A retry or not: the next event says (TaskScheduled again, or the failure going on).
        this.pendingFailures.set(eventId, key);
        return;
      }
      case 'TaskStateAborted':
        return this.finishStep(key, 'cancelled', at, { message: 'the execution stopped it', name: 'StepAbortedError' });
      default:
        return;
    }
  }

  private finishStep(key: string, status: StepFinished['status'], at: number, error?: { message: string; name: string }): void {
    const step = this.steps.get(key);
    if (!step) return;
    this.steps.delete(key);
    this.emit(
      {
        type: 'step-finished',
        stepId: step.id,
        status,
        attempt: step.attempt,
        durationMs: Math.max(0, at - step.t0),
        ...(error ? { error } : {}),
      },
      at,
    );
  }

  private failStep(key: string, at: number): void {
    const step = this.steps.get(key);
    if (!step) return;
    this.failures.push(step.id);
    this.finishStep(key, 'failed', at, step.error ?? { message: 'failed', name: 'Error' });
  }

  /** Containers entered (for their branches' times and iterations), and left: the block events they end with. */
  private onBlock(event: HistoryEventShape, type: string, role: StateRole | undefined, place: Place, failed: boolean, at: number): void {
    const name = place.state ?? '';
    if (type === 'ParallelStateEntered' || type === 'MapStateEntered') {
      this.entered.set(name, { place, at, last: [], iterations: 0 });
      if (role?.kind === 'critical') this.failureMarks.set(`${role.block.id}${place.suffix}`, this.failures.length);
      return;
    }
    if (!role || (!CONTAINER_EXITS.has(type) && type !== 'FailStateEntered')) return;
    const container = this.entered.get(name);
    this.blocks.exited(event, role, container ? { ...container, suffix: container.place.suffix } : null, place.suffix, failed, at);
  }

  private end(status: RunFinished['status'], at: number, extra: { failedStepId?: string; reason?: string }): void {
    for (const [eventId, key] of this.pendingFailures) {
      this.pendingFailures.delete(eventId);
      this.failStep(key, at);
    }
    for (const key of [...this.steps.keys()])
      this.finishStep(key, 'cancelled', at, { message: 'the run stopped before it finished', name: 'StepAbortedError' });
    for (const step of this.plan.steps) {
      const ran = this.seen.has(step.id) || [...this.seen].some((id) => id.startsWith(`${step.id}#`));
      if (!ran) this.emit({ type: 'step-finished', stepId: step.id, status: 'skipped', attempt: 0, durationMs: 0 }, at);
    }
    const failedStepId = extra.failedStepId ?? (status === 'failed' ? this.failures[0] : undefined);
    this.emit(
      {
        type: 'run-finished',
        status,
        durationMs: Math.max(0, at - (this.startedAt ?? at)),
        ...(failedStepId === undefined ? {} : { failedStepId }),
        ...(extra.reason === undefined ? {} : { reason: extra.reason }),
      },
      at,
    );
    this.ended = true;
  }
}
