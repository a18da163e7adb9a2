// What a journal says about one run, as the per-step view the renderers draw from. Renderers read
// journals only through the journal's one fold (src/run/fold.ts, pure); they never import the runtime.
import type { Diagram } from '../ast/types.ts';
import { baseId, type BlockEvent, type RunEvent, type RunStarted } from '../run/events.ts';
import { SUCCESS } from '../bind/plan.ts';
import { foldJournal, type HookFold, type JournalFold, type StepFold, type StepState } from '../run/fold.ts';

/** A step's status as drawn: the journal's statuses plus `not-run` (no event for the step) and `running`. */
export type DrawnStatus = StepState;

export interface StepView {
  readonly id: string;
  readonly status: DrawnStatus;
  /** Highest attempt seen (0 when the step never started). */
  readonly attempts: number;
  readonly durationMs: number | null;
  readonly output: unknown;
  readonly error: { readonly message: string; readonly name?: string } | null;
  /** The job handle, for job calls. */
  readonly handle: unknown;
  readonly isJob: boolean;
  /** A reply bound to the built-in `Success`: a check of the call's outcome, so it is drawn without a time. */
  readonly builtinSuccess: boolean;
}

export interface RunView {
  readonly runId: string;
  readonly diagram: string;
  readonly diagramHash: string;
  readonly title: string | null;
  readonly startedAt: string;
  readonly trigger: string;
  /** As journaled: the runtime has already replaced secrets with `***`. */
  readonly vars: Readonly<Record<string, string>>;
  readonly status: 'passed' | 'failed' | 'interrupted' | 'running';
  readonly durationMs: number | null;
  readonly failedStepId: string | null;
  /** Why the run ended so (run-finished's reason): a break's condition, a block's failure, a signal. */
  readonly reason: string | null;
  readonly steps: ReadonlyMap<string, StepView>;
  /** The steps as the run saw them (id, kind, text, line, column; mode and join point of calls). */
  readonly journaledSteps: RunStarted['steps'];
  /** Each job call's joining reply (null: the end), as journaled; null when the journal predates it. */
  readonly joins: ReadonlyMap<string, string | null> | null;
  /** mermaid blocks' decisions and ends (branches taken, loop items and iterations, par times, compensations). */
  readonly blocks: readonly BlockEvent[];
  /** A resume continued it (`seqrun resume`): its steps ran in more than one runner. */
  readonly resumed: boolean;
  /** The hook runs, in the order they started: drawn as hooks, beside the steps, never as steps. */
  readonly hooks: readonly HookFold[];
}

const NOT_RUN = {
  status: 'not-run',
  attempts: 0,
  durationMs: null,
  output: undefined,
  error: null,
  handle: undefined,
  isJob: false,
  builtinSuccess: false,
} as const;

/** Whether a journaled step is a reply the binder binds to the built-in `Success` (the same rule as src/bind/plan.ts). */
function isBuiltinSuccess(step: RunStarted['steps'][number] | undefined): boolean {
  return step?.kind === 'reply' && step.text === SUCCESS;
}

function viewOfStep(step: StepFold, journaled: RunStarted['steps'][number] | undefined): StepView {
  const started = step.job !== null && step.job.state !== 'not-started';
  return {
    id: step.id,
    status: step.status,
    attempts: step.attempts,
    durationMs: step.durationMs,
    output: step.output,
    error: step.error ?? null,
    handle: step.job?.handle,
    isJob: started,
    builtinSuccess: isBuiltinSuccess(journaled),
  };
}

/** Folds journal events into a RunView (through the journal's one fold); null without a `run-started` event. */
export function foldRun(events: readonly RunEvent[]): RunView | null {
  return runViewOf(foldJournal(events));
}

export function runViewOf(fold: JournalFold): RunView | null {
  const started = fold.started;
  if (!started) return null;
  const journaled = new Map(started.steps.map((s) => [s.id, s]));
  const joins = fold.stepMetadata
    ? new Map([...fold.steps.values()].flatMap((s) => (s.job ? [[s.id, s.job.joinedAt ?? null] as const] : [])))
    : null;
  return {
    runId: started.runId,
    diagram: started.diagram,
    diagramHash: started.diagramHash,
    title: started.title,
    startedAt: started.at,
    trigger: started.trigger,
    vars: started.vars,
    status: fold.status,
    durationMs: fold.durationMs,
    failedStepId: fold.failedStepId,
    reason: fold.finished?.reason ?? null,
    steps: new Map([...fold.steps.values()].map((s) => [s.id, viewOfStep(s, journaled.get(s.id))])),
    journaledSteps: started.steps,
    joins,
    blocks: fold.blocks,
    resumed: fold.resumed,
    hooks: [...fold.hooks.values()],
  };
}

/** The index in `diagram.steps` of a step id the run names (`s4`, `s4#2` → 4); null for a block (`b0`). */
export function stepIndexOf(id: string): number | null {
  const match = /^s(\d+)(#|$)/.exec(id);
  return match ? Number(match[1]) : null;
}

/** The id the plan gives the step at `index` of `diagram.steps`. */
export function stepId(index: number): string {
  return `s${index}`;
}

/** Step ids whose journaled text differs from the diagram's: the diagram was edited after the run. */
export function changedSteps(diagram: Diagram, run: RunView): string[] {
  const changed = run.journaledSteps.filter((s) => diagram.steps[Number(s.id.slice(1))]?.text !== s.text).map((s) => s.id);
  if (run.journaledSteps.length !== diagram.steps.length)
    changed.push(`(${run.journaledSteps.length} steps run, ${diagram.steps.length} drawn)`);
  return changed;
}

/** The views of the step at `index` in each loop iteration it ran in (`s4#1`, `s4#2`); none outside loops. */
export function iterationViews(run: RunView | null, index: number): StepView[] {
  if (!run) return [];
  const id = stepId(index);
  return [...run.steps.values()].filter((view) => view.id !== id && baseId(view.id) === id);
}

/** The view of the step at `index`, `not-run` when the run has nothing for it. */
export function viewOf(run: RunView | null, index: number): StepView | null {
  if (!run) return null;
  const id = stepId(index);
  return run.steps.get(id) ?? { id, ...NOT_RUN, builtinSuccess: isBuiltinSuccess(run.journaledSteps.find((j) => j.id === id)) };
}
