// mermaid's blocks (par, loop, alt, opt, critical, break) compared: added, removed, or changed in their
// labels or in the steps they hold. `rect` is drawing only and never appears in a plan's tree.
import type { Binding, Plan, PlanNode, PlannedBranch } from '../bind/types.ts';
import { lcs, normalText } from './align.ts';
import { bindingWords, type Identify } from './describe.ts';
import type { Change } from './types.ts';

export interface BlockShape {
  readonly kind: string;
  readonly line: number;
  /** Each section's label: a loop's text, each branch's condition or documentation. */
  readonly labels: readonly string[];
  /** The indexes of every step inside it, nested blocks' included. */
  readonly steps: readonly number[];
  /** Each bound label's handler (loops, conditions) as compared: expression, file and code hash; '' when documentation. */
  readonly handlers: readonly string[];
  /** The same in words, for the change. */
  readonly handlerWords: readonly string[];
}

function stepsOf(nodes: readonly PlanNode[]): number[] {
  return nodes.flatMap((node) => (node.kind === 'step' ? [node.index] : blockSteps(node)));
}

function branchesOf(node: Exclude<PlanNode, { kind: 'step' }>): readonly PlannedBranch[] {
  switch (node.kind) {
    case 'loop':
      return [{ label: node.label, body: node.body }];
    case 'par':
    case 'alt':
    case 'opt':
      return node.branches;
    case 'critical':
      return [node.body, ...node.options];
    case 'break':
      return [node.branch];
  }
}

function blockSteps(node: Exclude<PlanNode, { kind: 'step' }>): number[] {
  return branchesOf(node).flatMap((b) => stepsOf(b.body));
}

/** Every block of a plan's tree, outer blocks before the blocks they hold, in document order. */
export function blockShapes(nodes: readonly PlanNode[], identify: Identify): BlockShape[] {
  const shapes: BlockShape[] = [];
  const handlerKey = (binding: Binding | null): string => {
    if (binding?.status !== 'bound') return binding?.status ?? '';
    const ref = identify(binding.handler);
    return `${ref.kind}\u0000${ref.expression}\u0000${ref.file}\u0000${ref.hash}`;
  };
  for (const node of nodes) {
    if (node.kind === 'step') continue;
    const branches = branchesOf(node);
    shapes.push({
      kind: node.kind,
      line: node.span.start.line,
      labels: branches.map((b) => normalText(b.label.text)),
      steps: blockSteps(node),
      handlers: branches.map((b) => handlerKey(b.label.binding)),
      handlerWords: branches.map((b) => (b.label.binding ? bindingWords(b.label.binding, identify) : '')),
    });
    for (const branch of branches) shapes.push(...blockShapes(branch.body, identify));
  }
  return shapes;
}

const words = (shape: BlockShape): string => `${shape.kind} ${shape.labels.map((l) => JSON.stringify(l)).join(' / ')} (line ${shape.line})`;
const key = (shape: BlockShape): string => `${shape.kind}\u0000${shape.labels.join('\u0000')}`;

/** What changed about a block present on both sides: its labels, the steps it holds. */
function changedBlock(was: BlockShape, now: BlockShape, forward: ReadonlyMap<number, number>): Change | null {
  const held = new Set(was.steps.flatMap((i) => (forward.has(i) ? [forward.get(i) as number] : [])));
  const backward = new Set(forward.values());
  // Steps only one side has are reported as added or removed; here only steps that came in or went out.
  const cameIn = now.steps.filter((j) => !held.has(j) && backward.has(j)).length;
  const wentOut = [...held].filter((j) => !now.steps.includes(j)).length;
  const parts: string[] = [];
  if (key(was) !== key(now)) parts.push(`now ${words(now)}`);
  else if (was.handlers.join('\u0001') !== now.handlers.join('\u0001')) {
    const wasWords = was.handlerWords.filter(Boolean).join(' / ');
    const nowWords = now.handlerWords.filter(Boolean).join(' / ');
    parts.push(
      wasWords === nowWords ? `the code of its label's handler changed: ${nowWords}` : `its labels bound to ${nowWords}, were ${wasWords}`,
    );
  }
  if (cameIn > 0) parts.push(`${cameIn} step${cameIn === 1 ? '' : 's'} moved in`);
  if (wentOut > 0) parts.push(`${wentOut} step${wentOut === 1 ? '' : 's'} moved out`);
  return parts.length === 0 ? null : { kind: 'block-changed', before: null, after: null, was: words(was), now: parts.join('; ') };
}

/** Blocks added, removed and changed from `before` to `after`: aligned by kind and labels, then by kind in order. */
export function compareBlocks(
  before: { plan: Plan; identify: Identify },
  after: { plan: Plan; identify: Identify },
  forward: ReadonlyMap<number, number>,
): Change[] {
  const was = blockShapes(before.plan.tree ?? [], before.identify);
  const now = blockShapes(after.plan.tree ?? [], after.identify);
  if (was.length === 0 && now.length === 0) return [];
  const ids = new Map<string, number>();
  const id = (shape: BlockShape): number => ids.get(key(shape)) ?? (ids.set(key(shape), ids.size), ids.size - 1);
  const pairs = lcs(was.map(id), now.map(id));
  const pairedWas = new Set(pairs.map(([i]) => i));
  const pairedNow = new Set(pairs.map(([, j]) => j));
  // A block whose label changed: the first unpaired block of the same kind on the other side.
  for (let j = 0; j < now.length; j++) {
    if (pairedNow.has(j)) continue;
    const i = was.findIndex((shape, k) => !pairedWas.has(k) && shape.kind === now[j]?.kind);
    if (i < 0) continue;
    pairs.push([i, j]);
    pairedWas.add(i);
    pairedNow.add(j);
  }
  const changes: Change[] = [];
  for (const [i, j] of pairs.sort((x, y) => x[1] - y[1])) {
    const change = changedBlock(was[i] as BlockShape, now[j] as BlockShape, forward);
    if (change) changes.push(change);
  }
  now.forEach((shape, j) => {
    if (!pairedNow.has(j)) changes.push({ kind: 'block-added', before: null, after: null, now: words(shape) });
  });
  was.forEach((shape, i) => {
    if (!pairedWas.has(i)) changes.push({ kind: 'block-removed', before: null, after: null, was: words(shape) });
  });
  return changes;
}
