// What a journal says about one run, folded into a per-step view the renderers draw from.
// Renderers read journals only through these events; they never import the runtime.
import type { Diagram } from '../ast/types.ts';
import type { RunEvent, RunStarted, StepStatus } from '../run/events.ts';

/** A step's status as drawn: the journal's statuses plus `not-run` (no event for the step). */
export type DrawnStatus = StepStatus | 'not-run' | 'running';

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
  readonly steps: ReadonlyMap<string, StepView>;
  /** The steps as the run saw them (id, kind, text, line, column). */
  readonly journaledSteps: RunStarted['steps'];
}

interface MutableStep {
  status: DrawnStatus;
  attempts: number;
  durationMs: number | null;
  output: unknown;
  error: StepView['error'];
  handle: unknown;
  isJob: boolean;
}

/** When each step's current attempt started, and whether a resume re-attached it since (a job). */
interface Timing {
  startedAt: string;
  reattached: boolean;
}

function emptyStep(): MutableStep {
  return { status: 'not-run', attempts: 0, durationMs: null, output: undefined, error: null, handle: undefined, isJob: false };
}

/** Milliseconds between two journal timestamps. */
function between(from: string, to: string): number {
  return Date.parse(to) - Date.parse(from);
}

/** Folds journal events into a RunView; null when the journal has no `run-started` event. */
export function foldRun(events: readonly RunEvent[]): RunView | null {
  const started = events.find((e): e is RunStarted => e.type === 'run-started');
  if (!started) return null;
  const steps = new Map<string, MutableStep>(started.steps.map((s) => [s.id, emptyStep()]));
  const stepOf = (id: string): MutableStep => {
    let step = steps.get(id);
    if (!step) steps.set(id, (step = emptyStep()));
    return step;
  };
  let status: RunView['status'] = 'running';
  let durationMs: number | null = null;
  let failedStepId: string | null = null;
  // A job re-attached by `seqrun resume` finishes in another process than it started in: its
  // duration (and a resumed run's) is counted from its first start, not from the re-attachment.
  const timings = new Map<string, Timing>();
  let resumed = false;
  for (const event of events) {
    switch (event.type) {
      case 'run-resumed':
        resumed = true;
        break;
      case 'step-started': {
        const step = stepOf(event.stepId);
        const timing = timings.get(event.stepId);
        // Still open from before a crash, or left running by Ctrl-C with --leave-jobs.
        const open = step.status === 'running' || step.error?.name === 'JobLeftRunning';
        if (open && step.isJob && timing) timing.reattached = true;
        else timings.set(event.stepId, { startedAt: event.at, reattached: false });
        step.status = 'running';
        step.attempts = Math.max(step.attempts, event.attempt);
        break;
      }
      case 'job-started':
        Object.assign(stepOf(event.stepId), { isJob: true, handle: event.handle });
        break;
      case 'step-finished': {
        const step = stepOf(event.stepId);
        // A retried step finishes once per attempt; the last attempt decides.
        const timing = timings.get(event.stepId);
        const spanned = timing?.reattached ? between(timing.startedAt, event.at) : event.durationMs;
        Object.assign(step, { status: event.status, durationMs: spanned, output: event.output, error: event.error ?? null });
        step.attempts = Math.max(step.attempts, event.attempt);
        break;
      }
      case 'run-finished':
        status = event.status;
        durationMs = resumed ? between(started.at, event.at) : event.durationMs;
        failedStepId = event.failedStepId ?? null;
        break;
      default:
        break;
    }
  }
  return {
    runId: started.runId,
    diagram: started.diagram,
    diagramHash: started.diagramHash,
    title: started.title,
    startedAt: started.at,
    trigger: started.trigger,
    vars: started.vars,
    status,
    durationMs,
    failedStepId,
    steps: new Map([...steps].map(([id, s]) => [id, { id, ...s }])),
    journaledSteps: started.steps,
  };
}

/** The id the plan gives the step at `index` of `diagram.steps`. */
export function stepId(index: number): string {
  return `s${index}`;
}

/** Step ids whose journaled text differs from the diagram's: the diagram was edited after the run. */
export function changedSteps(diagram: Diagram, run: RunView): string[] {
  const changed = run.journaledSteps.filter((s) => diagram.steps[Number(s.id.slice(1))]?.text !== s.text).map((s) => s.id);
  if (run.journaledSteps.length !== diagram.steps.length) changed.push(`(${run.journaledSteps.length} steps run, ${diagram.steps.length} drawn)`);
  return changed;
}

/** The view of the step at `index`, `not-run` when the run has nothing for it. */
export function viewOf(run: RunView | null, index: number): StepView | null {
  if (!run) return null;
  const id = stepId(index);
  return run.steps.get(id) ?? { id, ...emptyStep() };
}
