// Where each job's lifetime ends in the drawing: the reply that joins it (SEMANTICS §3), or the end.
// The journal says which calls were jobs; the pairing rule is the binder's own (a pure function of the
// steps), so the drawing and the plan can never disagree.
import type { Step } from '../ast/types.ts';
import { shapeSteps } from '../bind/structure.ts';

/**
 * For each job call (by index into `steps`), the index of the reply that joins it, or null when
 * nothing does (the job is joined at the end of the diagram).
 */
export function jobJoins(steps: readonly Step[], jobIndexes: ReadonlySet<number>): Map<number, number | null> {
  const shapes = shapeSteps(steps, (index) => (jobIndexes.has(index) ? 'job' : 'sync'));
  const joins = new Map<number, number | null>();
  for (const index of [...jobIndexes].sort((a, b) => a - b)) joins.set(index, shapes[index]?.joinedAt ?? null);
  return joins;
}
