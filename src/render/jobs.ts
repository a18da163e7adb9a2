// Where each job's lifetime ends in the drawing: the reply that joins it (SEMANTICS §3), or the end.
// The journal records each job call's join point in `run-started`; for journals from before it did,
// the binder's pairing rule (a pure function of the steps) gives the same answer.
import type { Step } from '../ast/types.ts';
import { shapeSteps } from '../bind/structure.ts';
import { stepId } from './run-view.ts';

/**
 * For each job call (by index into `steps`), the index of the reply that joins it, or null when
 * nothing does (the job is joined at the end of the diagram). `journaled`: the run's own record
 * (step id to joining step id), null for an older journal.
 */
export function jobJoins(
  steps: readonly Step[],
  jobIndexes: ReadonlySet<number>,
  journaled: ReadonlyMap<string, string | null> | null = null,
): Map<number, number | null> {
  const shapes = journaled ? null : shapeSteps(steps, (index) => (jobIndexes.has(index) ? 'job' : 'sync'));
  const joins = new Map<number, number | null>();
  for (const index of [...jobIndexes].sort((a, b) => a - b)) {
    const at = journaled ? journaled.get(stepId(index)) : shapes?.[index]?.joinedAt;
    joins.set(index, typeof at === 'string' ? steps.findIndex((_, i) => stepId(i) === at) : (at ?? null));
  }
  return joins;
}
