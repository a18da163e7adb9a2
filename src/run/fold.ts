// The one fold of a journal: what its events say about the run, each step and each job. Resume,
// the renderers and the reporters all read a run through it, so they cannot disagree about it.
// Pure: events in, a value out; it works on a journal without `run-started` too (a torn start).
import type { HookKind } from '../bind/hooks.ts';
import type { BlockEvent, HookFinished, JournaledStep, RunEvent, RunFinished, RunStarted, StepFinished, StepStatus } from './events.ts';
import { JOB_LEFT_RUNNING } from './events.ts';

/** A step's status: the journal's statuses, plus `not-run` (no event for it) and `running` (started, not finished). */
export type StepState = StepStatus | 'not-run' | 'running';

/**
 * Where a job call stands. `not-started`: no handle journaled; `running`: a handle and no finish
 * (the runner died, or is still running); `left-running`: the run stopped without cancelling it.
 * A resume re-attaches `running` and `left-running` jobs. `done`: it passed; `stopped`: it failed,
 * was cancelled, or its handle came after its attempt was abandoned (the runtime cancels it).
 */
export type JobState = 'not-started' | 'running' | 'left-running' | 'done' | 'stopped';

export interface JobFold {
  readonly state: JobState;
  /** The handle `start` returned, once journaled. */
  readonly handle: unknown;
  /** The reply that joins it (null: the end); undefined when the journal predates step metadata. */
  readonly joinedAt: string | null | undefined;
  /** A resume picked it up again, so it finishes in another runner than it started in. */
  readonly reattached: boolean;
}

export interface StepFold {
  readonly id: string;
  readonly status: StepState;
  /** Highest attempt seen (0: never started). */
  readonly attempts: number;
  /** Of the last finish; a re-attached job's counts from its first start. Null until it finishes. */
  readonly durationMs: number | null;
  readonly output: unknown;
  readonly error: StepFinished['error'] | null;
  /** Parts `ctx.progress` recorded since the job's handle (or since the first attempt), until it passes. */
  readonly progress: readonly unknown[];
  /** When its current attempt (or a re-attached job) started; null: never. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  /** Job calls only. */
  readonly job: JobFold | null;
}

/** One run of a hook: `h0`, or `h2:s4` for an on-failure hook's run for step s4. The last run of each id counts. */
export interface HookFold {
  readonly hookRun: string;
  readonly hookId: string;
  readonly kind: HookKind;
  readonly name: string;
  readonly status: 'running' | 'passed' | 'failed';
  readonly durationMs: number | null;
  readonly error: HookFinished['error'] | null;
  /** On-failure hooks: the step that failed. */
  readonly failedStep: string | null;
}

export type RunState = 'running' | 'passed' | 'failed' | 'interrupted';

export interface JournalFold {
  /** The run id of the last event (empty for no events). */
  readonly runId: string;
  readonly started: RunStarted | null;
  /** The last `run-finished`, null when the run (or its resume) has not finished. */
  readonly finished: RunFinished | null;
  readonly status: RunState;
  readonly resumed: boolean;
  /** First start to last finish (a resumed run's time between runners included); null while running. */
  readonly durationMs: number | null;
  /** The time runners spent on it: the sum of every `run-finished` duration. */
  readonly activeMs: number;
  readonly failedStepId: string | null;
  /** The sandbox the run last ran against (null: none). */
  readonly sandbox: string | null;
  readonly state: Readonly<Record<string, unknown>>;
  /** True when `run-started` records each call's mode and join point; older journals do not. */
  readonly stepMetadata: boolean;
  /** In `run-started` order, then steps seen only in later events. */
  readonly steps: ReadonlyMap<string, StepFold>;
  /** mermaid blocks' decisions and ends (`block` events), in order. */
  readonly blocks: readonly BlockEvent[];
  /** Hook runs in the order they started (an after-run hook run again by a resume keeps its first place). */
  readonly hooks: ReadonlyMap<string, HookFold>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableStep = Omit<Mutable<StepFold>, 'job' | 'progress'> & { job: Mutable<JobFold> | null; progress: unknown[] };

function emptyStep(id: string, journaled?: JournaledStep): MutableStep {
  const job =
    journaled?.mode === 'job'
      ? { state: 'not-started' as const, handle: undefined, joinedAt: journaled.joinedAt ?? null, reattached: false }
      : null;
  return {
    id,
    status: 'not-run',
    attempts: 0,
    durationMs: null,
    output: undefined,
    error: null,
    progress: [],
    startedAt: null,
    finishedAt: null,
    job,
  };
}

/** A step that finished (as its last attempt left it), as opposed to one not run or still running. */
export function hasFinished(state: StepState): state is StepStatus {
  return state !== 'not-run' && state !== 'running';
}

/** A job a resume re-attaches: it has a handle and the run neither finished nor cancelled it. */
export function isOpenJob(job: JobFold | null): job is JobFold {
  return job !== null && (job.state === 'running' || job.state === 'left-running');
}

function between(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

function jobAfter(finished: StepFinished): JobState {
  if (finished.status === 'passed') return 'done';
  // The one place the journal's error name says a job is still out there.
  return finished.error?.name === JOB_LEFT_RUNNING ? 'left-running' : 'stopped';
}

function foldStep(step: MutableStep, event: RunEvent): void {
  switch (event.type) {
    case 'step-started': {
      // A job still open from before (the runner died, or --leave-jobs) is re-attached, not started:
      // its time counts from its first start.
      const reattach = isOpenJob(step.job) && step.startedAt !== null;
      if (step.job) step.job.reattached = reattach;
      if (!reattach) step.startedAt = event.at;
      step.status = 'running';
      step.attempts = Math.max(step.attempts, event.attempt);
      break;
    }
    case 'job-started': {
      step.job ??= { state: 'not-started', handle: undefined, joinedAt: undefined, reattached: false };
      step.job.handle = event.handle;
      // A handle after its attempt finished (timed out, the run stopped) was cancelled by the runtime.
      if (step.status === 'running' || step.status === 'not-run') {
        step.job.state = 'running';
        step.progress = [];
      } else step.job.state = 'stopped';
      break;
    }
    case 'step-progress':
      step.progress.push(event.part);
      break;
    case 'step-finished': {
      // A retried step finishes once per attempt; the last attempt decides.
      const spanned = step.job?.reattached && step.startedAt !== null ? between(step.startedAt, event.at) : event.durationMs;
      Object.assign(step, {
        status: event.status,
        durationMs: spanned,
        output: event.output,
        error: event.error ?? null,
        finishedAt: event.at,
      });
      step.attempts = Math.max(step.attempts, event.attempt);
      if (event.status === 'passed') step.progress = [];
      if (step.job && step.job.state !== 'not-started') step.job.state = jobAfter(event);
      break;
    }
    default:
      break;
  }
}

interface RunAcc {
  runId: string;
  started: RunStarted | null;
  finished: RunFinished | null;
  resumed: boolean;
  activeMs: number;
  sandbox: string | null;
  state: Readonly<Record<string, unknown>>;
}

function foldRunEvent(run: RunAcc, event: RunEvent): void {
  run.runId = event.runId;
  switch (event.type) {
    case 'run-started':
      run.started ??= event;
      run.sandbox = event.sandbox ?? null;
      break;
    case 'run-resumed':
      run.resumed = true;
      run.finished = null;
      run.sandbox = event.sandbox ?? null;
      break;
    case 'run-finished':
      run.finished = event;
      run.activeMs += event.durationMs;
      break;
    case 'state':
      run.state = event.state;
      break;
    default:
      break;
  }
}

function foldHook(hooks: Map<string, HookFold>, event: RunEvent): void {
  if (event.type !== 'hook-started' && event.type !== 'hook-finished') return;
  const finished = event.type === 'hook-finished' ? event : null;
  hooks.set(event.hookRun, {
    hookRun: event.hookRun,
    hookId: event.hookId,
    kind: event.hook,
    name: event.name,
    status: finished?.status ?? 'running',
    durationMs: finished?.durationMs ?? null,
    error: finished?.error ?? null,
    failedStep: event.failedStep ?? null,
  });
}

/** Folds a journal's events (in order) into what they say about the run. */
export function foldJournal(events: readonly RunEvent[]): JournalFold {
  const started = events.find((e): e is RunStarted => e.type === 'run-started') ?? null;
  const steps = new Map<string, MutableStep>((started?.steps ?? []).map((s) => [s.id, emptyStep(s.id, s)]));
  const run: RunAcc = { runId: '', started: null, finished: null, resumed: false, activeMs: 0, sandbox: null, state: {} };
  const hooks = new Map<string, HookFold>();
  const blocks: BlockEvent[] = [];
  for (const event of events) {
    foldRunEvent(run, event);
    if (event.type === 'block') blocks.push(event);
    foldHook(hooks, event);
    if (!('stepId' in event) || event.type === 'log') continue;
    // A step started after the run ended (and before a resume) does not reopen it: a Step Functions
    // worker that took a message late writes its attempt after the run's own end (docs/semantics.md).
    if (event.type === 'step-started' && run.finished !== null) continue;
    let step = steps.get(event.stepId);
    if (!step) steps.set(event.stepId, (step = emptyStep(event.stepId)));
    foldStep(step, event);
  }
  const { finished } = run;
  return {
    runId: run.runId,
    started: run.started,
    finished,
    status: finished?.status ?? 'running',
    resumed: run.resumed,
    durationMs: finished === null ? null : run.resumed && run.started ? between(run.started.at, finished.at) : finished.durationMs,
    activeMs: run.activeMs,
    failedStepId: finished?.failedStepId ?? null,
    sandbox: run.sandbox,
    state: run.state,
    stepMetadata: started !== null && started.steps.some((s) => s.mode !== undefined),
    steps,
    blocks,
    hooks,
  };
}

/** Each finished step's latest status, counted: the summary line of a run (a resumed one's whole run). */
export function tallySteps(fold: JournalFold): Record<StepStatus, number> {
  const tally: Record<StepStatus, number> = { passed: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const step of fold.steps.values()) if (hasFinished(step.status)) tally[step.status] += 1;
  return tally;
}
