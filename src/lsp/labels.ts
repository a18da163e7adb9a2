// mermaid's block labels that bind like steps (a `loop` text, the conditions of `alt`, `opt`, `break` and
// `critical`'s options): found by line for hover and definition, and listed for find references.
import type { Handler, Plan, PlanNode, PlannedBranch, PlannedLabel } from '../bind/types.ts';
import type { Part } from './document.ts';

export interface LabelAt {
  readonly part: Part;
  readonly plan: Plan;
  readonly label: PlannedLabel;
  /** `loop` for a loop's text, else `condition`. */
  readonly kind: 'loop' | 'condition';
}

function* branchLabels(branch: PlannedBranch): Generator<[PlannedLabel, 'loop' | 'condition']> {
  yield [branch.label, 'condition'];
  yield* nodeLabels(branch.body);
}

function* nodeLabels(nodes: readonly PlanNode[]): Generator<[PlannedLabel, 'loop' | 'condition']> {
  for (const node of nodes) {
    if (node.kind === 'step') continue;
    if (node.kind === 'loop') {
      yield [node.label, 'loop'];
      yield* nodeLabels(node.body);
    } else if (node.kind === 'critical') {
      yield* nodeLabels(node.body.body);
      for (const option of node.options) yield* branchLabels(option);
    } else if (node.kind === 'break') {
      yield* branchLabels(node.branch);
    } else {
      for (const branch of node.branches) yield* branchLabels(branch);
    }
  }
}

/** The labels of `part` that bind to handlers (par branches and critical's own label are documentation). */
export function* boundLabels(part: Part): Generator<LabelAt> {
  for (const plan of part.plans) {
    for (const [label, kind] of nodeLabels(plan.tree ?? [])) if (label.binding !== null) yield { part, plan, label, kind };
  }
}

export function labelHandlers(at: LabelAt): readonly Handler[] {
  const binding = at.label.binding;
  if (binding?.status === 'bound') return [binding.handler];
  if (binding?.status === 'ambiguous') return binding.candidates;
  return [];
}

/** The bound label written on 0-based document `line` of `part`, if any. */
export function labelOn(part: Part, line: number): LabelAt | undefined {
  for (const at of boundLabels(part)) if (at.label.span.start.line - 1 + part.line === line) return at;
  return undefined;
}
