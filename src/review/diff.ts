// Two versions of a set of diagrams compared diagram by diagram (matched by file and slug). Pure.
import type { Plan } from '../bind/types.ts';
import { comparePlans } from './compare.ts';
import { stepRef } from './describe.ts';
import type { Identify } from './describe.ts';
import type { Change, DiagramDiff } from './types.ts';

/** One version: its diagrams' plans by name (`specs/final.seq`, `docs/release.md#release`). */
export interface Version {
  readonly diagrams: readonly { readonly key: string; readonly plan: Plan }[];
  readonly identify: Identify;
}

function wholeDiagram(plan: Plan, kind: 'diagram-added' | 'diagram-deleted'): Change {
  const count = `${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'}`;
  const first = plan.steps[0];
  const ref = first ? stepRef(first) : null;
  return kind === 'diagram-added' ? { kind, before: null, after: ref, now: count } : { kind, before: ref, after: null, was: count };
}

/** Every diagram of either version, in the working tree's order, then those deleted. */
export function diffVersions(before: Version, after: Version): DiagramDiff[] {
  const old = new Map(before.diagrams.map((d) => [d.key, d.plan]));
  const seen = new Set<string>();
  const diffs: DiagramDiff[] = [];
  for (const { key, plan } of after.diagrams) {
    if (seen.has(key)) continue;
    seen.add(key);
    const was = old.get(key);
    if (!was) {
      diffs.push({ diagram: key, status: 'added', changes: [wholeDiagram(plan, 'diagram-added')] });
      continue;
    }
    const changes = comparePlans({ plan: was, identify: before.identify }, { plan, identify: after.identify });
    diffs.push({ diagram: key, status: changes.length > 0 ? 'changed' : 'unchanged', changes });
  }
  for (const { key, plan } of before.diagrams) {
    if (seen.has(key)) continue;
    seen.add(key);
    diffs.push({ diagram: key, status: 'deleted', changes: [wholeDiagram(plan, 'diagram-deleted')] });
  }
  return diffs;
}
