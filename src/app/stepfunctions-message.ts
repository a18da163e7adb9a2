// Reading a worker message against the plan: which step instance it is (a loop iteration's `s4#2`),
// the run's vars, a Map iteration's item, and the block a loop or condition message names.
import type { HandlerContext, Plan, PlanNode, PlannedBlock, PlannedLabel } from '../bind/types.ts';

type Input = Record<string, unknown> | undefined;

/** The block ids of the loops around step `index`, outermost first; null when it is not in `nodes`. */
export function loopsAround(nodes: readonly PlanNode[], index: number, path: readonly string[] = []): string[] | null {
  for (const node of nodes) {
    if (node.kind === 'step') {
      if (node.index === index) return [...path];
      continue;
    }
    const inner = node.kind === 'loop' ? [...path, node.id] : path;
    for (const body of bodiesOf(node)) {
      const found = loopsAround(body, index, inner);
      if (found) return found;
    }
  }
  return null;
}

/** The block ids of the loops around block `id` (not itself), outermost first; null when it is not in `nodes`. */
export function loopsAroundBlock(nodes: readonly PlanNode[], id: string, path: readonly string[] = []): string[] | null {
  for (const node of nodes) {
    if (node.kind === 'step') continue;
    if (node.id === id) return [...path];
    const inner = node.kind === 'loop' ? [...path, node.id] : path;
    for (const body of bodiesOf(node)) {
      const found = loopsAroundBlock(body, id, inner);
      if (found) return found;
    }
  }
  return null;
}

/** Block `id`'s instance in the iterations the input names: `b1`, or `b1#2` inside a loop's second iteration. */
export function blockInstanceId(plan: Plan, id: string, input: unknown): string {
  const iterations = iterationsOf(loopsAroundBlock(plan.tree ?? [], id) ?? [], input);
  return `${id}${iterations.map((n) => `#${n}`).join('')}`;
}

/**
 * The iteration numbers (1-based, outermost first) of `loops` as the state input carries them: a Map
 * iteration's `index` (its `outer` the input around it), a guard cycle's `loop_<id>.iteration`.
 */
export function iterationsOf(loops: readonly string[], input: unknown): number[] {
  const found: number[] = [];
  let at = input as Input;
  for (const id of [...loops].reverse()) {
    const guard = at?.[`loop_${id.replace(/\W/g, '_')}`] as { iteration?: unknown } | undefined;
    if (typeof guard?.iteration === 'number') found.unshift(guard.iteration);
    else if (typeof at?.['index'] === 'number') {
      found.unshift(at['index'] + 1);
      at = at['outer'] as Input;
    }
  }
  return found;
}

/**
 * The id of step `index` in the iterations the input of step `inputOf`'s message names: `s4`, or
 * `s4#2` (`s4#1#3` nested). `inputOf` differs for the call an expectation or reply belongs to.
 */
export function stepInstanceId(plan: Plan, index: number, input: unknown, inputOf = index): string {
  const iterations = iterationsOf(loopsAround(plan.tree ?? [], inputOf) ?? [], input);
  const own = (loopsAround(plan.tree ?? [], index) ?? []).length;
  return `s${index}${iterations
    .slice(0, own)
    .map((n) => `#${n}`)
    .join('')}`;
}

/** The run's `--var` values: the execution's input (`seqrun run` puts them there), reached through Map iterations' `outer`. */
export function varsOf(input: unknown): Readonly<Record<string, string>> {
  let at = input as { vars?: unknown; outer?: unknown } | null | undefined;
  for (let depth = 0; at && typeof at === 'object' && depth < 100; depth++) {
    if (at.vars && typeof at.vars === 'object') return at.vars as Record<string, string>;
    at = at.outer as typeof at;
  }
  return {};
}

/** A Map iteration's item and 1-based iteration number, from the state input. */
export function withItem(ctx: HandlerContext, input: unknown): HandlerContext {
  const { item, index } = (input ?? {}) as { item?: unknown; index?: unknown };
  return typeof index === 'number' ? { ...ctx, item, iteration: index + 1 } : ctx;
}

function bodiesOf(node: PlannedBlock): readonly (readonly PlanNode[])[] {
  if (node.kind === 'loop') return [node.body];
  if (node.kind === 'break') return [node.branch.body];
  if (node.kind === 'critical') return [node.body.body, ...node.options.map((o) => o.body)];
  return node.branches.map((b) => b.body);
}

export function findBlock(nodes: readonly PlanNode[], id: string): PlannedBlock | undefined {
  for (const node of nodes) {
    if (node.kind === 'step') continue;
    if (node.id === id) return node;
    for (const body of bodiesOf(node)) {
      const found = findBlock(body, id);
      if (found) return found;
    }
  }
  return undefined;
}

export function labelOf(block: PlannedBlock, branch: number): PlannedLabel | undefined {
  if (block.kind === 'loop') return block.label;
  if (block.kind === 'break') return block.branch.label;
  if (block.kind === 'critical') return block.options[branch]?.label;
  if (block.kind === 'par') return undefined;
  return block.branches[branch]?.label;
}
