// What the Step Functions workers share about a run, read from its S3 journal (not from a worker's
// memory, so that any worker, or one restarted, answers any step): the outputs of the steps that
// passed, the run state after them, the jobs started and what their steps recorded. And how a step's
// changes to the state are merged into the newest state, since other workers change it meanwhile.
import type { JobStarted, RunEvent, StepFinished } from '../run/events.ts';

export interface SharedRun {
  /** Passed steps' outputs by step id (`s4`, `s4#2` in a loop iteration). */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** The last `state` event's state ({} before any). */
  readonly state: Readonly<Record<string, unknown>>;
  /** The last `step-finished` by step id. */
  readonly finished: ReadonlyMap<string, StepFinished>;
  /** The attempt of each step's last `step-started`. */
  readonly started: ReadonlyMap<string, number>;
  /** `job-started` by step id and attempt (`s4@1`): a retry starts a job of its own. */
  readonly jobs: ReadonlyMap<string, JobStarted>;
  /** What `ctx.progress` recorded, by step id, every attempt's. */
  readonly progress: ReadonlyMap<string, readonly unknown[]>;
}

export const jobKey = (stepId: string, attempt: number): string => `${stepId}@${attempt}`;

/** One pass over the events; a job-started belongs to the attempt of its step's last step-started. */
export function foldSharedRun(events: readonly RunEvent[]): SharedRun {
  const outputs = new Map<string, unknown>();
  const finished = new Map<string, StepFinished>();
  const jobs = new Map<string, JobStarted>();
  const progress = new Map<string, unknown[]>();
  const started = new Map<string, number>();
  let state: Record<string, unknown> = {};
  for (const event of events) {
    if (event.type === 'state') state = event.state as Record<string, unknown>;
    else if (event.type === 'step-started') started.set(event.stepId, event.attempt);
    else if (event.type === 'job-started') jobs.set(jobKey(event.stepId, started.get(event.stepId) ?? 1), event);
    else if (event.type === 'step-progress') progress.set(event.stepId, [...(progress.get(event.stepId) ?? []), event.part]);
    else if (event.type === 'step-finished') {
      finished.set(event.stepId, event);
      if (event.status === 'passed') outputs.set(event.stepId, event.output);
    }
  }
  return { outputs, state, finished, started, jobs, progress };
}

/** One change a step made to the state: a value set at `path`, or the key there deleted. */
export type StateChange =
  { readonly path: readonly string[]; readonly value: unknown } | { readonly path: readonly string[]; readonly deleted: true };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The changes from `before` to `after` (JSON values, as the journal holds them), as deep as both are
 * plain objects: arrays and other values are replaced whole.
 */
export function stateChanges(before: unknown, after: unknown, path: readonly string[] = []): StateChange[] {
  if (isRecord(before) && isRecord(after)) {
    const changes: StateChange[] = [];
    for (const key of Object.keys(before)) if (!(key in after)) changes.push({ path: [...path, key], deleted: true });
    for (const [key, value] of Object.entries(after)) {
      // A key this step added is merged key by key: another step may have added the same one meanwhile.
      if (!(key in before))
        changes.push(
          ...(isRecord(value) && Object.keys(value).length > 0
            ? stateChanges({}, value, [...path, key])
            : [{ path: [...path, key], value }]),
        );
      else changes.push(...stateChanges(before[key], value, [...path, key]));
    }
    return changes;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, value: after }];
}

/** A copy of `state` with `changes` applied (a path through a value that is not an object makes it one). */
export function applyStateChanges(state: Readonly<Record<string, unknown>>, changes: readonly StateChange[]): Record<string, unknown> {
  const root = structuredClone(state) as Record<string, unknown>;
  for (const change of changes) {
    const last = change.path.at(-1);
    if (last === undefined) continue;
    let at = root;
    for (const key of change.path.slice(0, -1)) {
      const next = at[key];
      at = isRecord(next) ? next : (at[key] = {});
    }
    if ('deleted' in change) delete at[last];
    else at[last] = structuredClone(change.value);
  }
  return root;
}
