// The plan as a tree (SEMANTICS.md 7): mermaid's blocks with the steps they hold, and their labels
// bound to `loop` and `condition` handlers. `rect` is drawing only: its steps stay where they are.
// par/and and critical labels are documentation; a bare `else` or `option` is the default branch.
import type { BlockSection, BlockStatement, Diagram, Span, Statement, Step } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { BindCode } from './codes.ts';
import { messageOf, type Registry } from './registry.ts';
import { nearestHandler } from './near-miss.ts';
import { blockSnippet } from './snippet.ts';
import type { BlockHandlerKind, Binding, Handler, PlanNode, PlannedBlock, PlannedBranch, PlannedLabel } from './types.ts';

/** The most iterations a loop runs unless its handler says otherwise. */
export const DEFAULT_MAX_ITERATIONS = 1000;

/** Block labels have no participants: one object, so that the lookup index caches its tries once. */
const NO_PARTICIPANTS = {};

interface TreeScope {
  readonly diagram: Diagram;
  readonly registry: Registry;
  readonly indexOf: ReadonlyMap<Step, number>;
  readonly diagnostics: Diagnostic[];
  blocks: number;
}

const at = (h: Handler): string => `${h.source.file}:${h.source.line}`;
const what: Record<BlockHandlerKind, string> = { loop: 'loop', condition: 'condition' };

function labelDiagnostic(scope: TreeScope, kind: BlockHandlerKind, label: PlannedLabel, problem: string | undefined): Diagnostic | null {
  const { binding } = label;
  const quoted = JSON.stringify(label.text);
  const base = { severity: 'error' as const, file: scope.diagram.file, span: label.span };
  if (binding?.status === 'undefined') {
    const near = nearestHandler(kind, label.text, scope.registry.handlers);
    const guess = near
      ? `Did you mean ${JSON.stringify(near.expression)} (${at(near)})? Fix the diagram or the expression, or register`
      : 'Register';
    const message = `Undefined ${what[kind]}: ${quoted}.`;
    return { ...base, code: BindCode.undefinedBlockLabel, message, hint: `${guess} a handler for it:\n${binding.snippet}` };
  }
  if (binding?.status === 'ambiguous') {
    const where = binding.candidates.map((h) => `  ${String(h.expression)} at ${at(h)}`).join('\n');
    const message = `Ambiguous ${what[kind]}: ${quoted} matches ${binding.candidates.length} handlers:\n${where}`;
    return { ...base, code: BindCode.ambiguousBlockLabel, message, hint: 'Make the expressions disjoint.' };
  }
  if (problem !== undefined) {
    const message = `The arguments of ${quoted} could not be converted: ${problem}`;
    return { ...base, code: BindCode.argumentFailed, message, hint: 'Fix the parameter type transformer.' };
  }
  return null;
}

/** Binds a block label to exactly one handler of `kind`, reporting undefined and ambiguous labels. */
function bindLabel(scope: TreeScope, kind: BlockHandlerKind, section: BlockSection): PlannedLabel {
  const text = section.label;
  const matches = scope.registry.match(kind, NO_PARTICIPANTS, text);
  const [only] = matches;
  let binding: Binding;
  let problem: string | undefined;
  if (matches.length > 1) binding = { status: 'ambiguous', candidates: matches.map((m) => m.handler) };
  else if (!only) binding = { status: 'undefined', snippet: blockSnippet(kind, text, scope.registry, section.keyword) };
  else {
    try {
      binding = { status: 'bound', handler: only.handler, args: only.values() };
    } catch (error) {
      binding = { status: 'bound', handler: only.handler, args: [] };
      problem = messageOf(error);
    }
  }
  const label = { text, span: section.span, binding };
  const diagnostic = labelDiagnostic(scope, kind, label, problem);
  if (diagnostic) scope.diagnostics.push(diagnostic);
  return label;
}

const documentation = (section: BlockSection): PlannedLabel => ({ text: section.label, span: section.span, binding: null });

/** A section whose label is a condition, unless it is a bare `else` / `option` (the default branch). */
function conditionBranch(scope: TreeScope, section: BlockSection): PlannedBranch {
  const isDefault = (section.keyword === 'else' || section.keyword === 'option') && section.label.trim() === '';
  const label = isDefault ? documentation(section) : bindLabel(scope, 'condition', section);
  return { label, body: nodesOf(scope, section.statements) };
}

function blockNode(scope: TreeScope, block: BlockStatement): PlanNode | readonly PlanNode[] {
  if (block.block === 'rect') return block.sections.flatMap((s) => nodesOf(scope, s.statements));
  const id = `b${scope.blocks++}`;
  const base = { id, span: block.span, endSpan: block.endSpan };
  const [first, ...rest] = block.sections;
  if (!first) return [];
  switch (block.block) {
    case 'par':
    case 'par_over':
      return {
        ...base,
        kind: 'par',
        branches: block.sections.map((s) => ({ label: documentation(s), body: nodesOf(scope, s.statements) })),
      };
    case 'loop': {
      const label = bindLabel(scope, 'loop', first);
      const handler = label.binding?.status === 'bound' ? label.binding.handler : null;
      const maxIterations = (handler?.kind === 'loop' ? handler.maxIterations : undefined) ?? DEFAULT_MAX_ITERATIONS;
      return { ...base, kind: 'loop', label, maxIterations, body: block.sections.flatMap((s) => nodesOf(scope, s.statements)) };
    }
    case 'alt':
    case 'opt':
      return { ...base, kind: block.block, branches: block.sections.map((s) => conditionBranch(scope, s)) };
    case 'critical':
      return {
        ...base,
        kind: 'critical',
        body: { label: documentation(first), body: nodesOf(scope, first.statements) },
        options: rest.map((s) => conditionBranch(scope, s)),
      };
    case 'break':
      return { ...base, kind: 'break', branch: conditionBranch(scope, first) };
  }
}

function nodesOf(scope: TreeScope, statements: readonly Statement[]): PlanNode[] {
  const nodes: PlanNode[] = [];
  for (const statement of statements) {
    if (statement.kind === 'message' || statement.kind === 'note') {
      const index = scope.indexOf.get(statement);
      if (index !== undefined) nodes.push({ kind: 'step', index });
    } else if (statement.kind === 'block') {
      const node = blockNode(scope, statement);
      if (Array.isArray(node)) nodes.push(...(node as readonly PlanNode[]));
      else nodes.push(node as PlanNode);
    }
  }
  return nodes;
}

/** The diagram's plan tree and the diagnostics of its block labels (undefined, ambiguous). */
export function planTree(
  diagram: Diagram,
  registry: Registry,
  indexOf: ReadonlyMap<Step, number>,
): { tree: PlanNode[]; diagnostics: Diagnostic[] } {
  const scope: TreeScope = { diagram, registry, indexOf, diagnostics: [], blocks: 0 };
  if (diagram.dialect !== 'mermaid') return { tree: diagram.steps.map((_, index) => ({ kind: 'step', index })), diagnostics: [] };
  return { tree: nodesOf(scope, diagram.statements), diagnostics: scope.diagnostics };
}

/** Every label of the tree that binds (loops and conditions), for unused-handler accounting. */
export function* boundLabels(nodes: readonly PlanNode[]): Generator<PlannedLabel> {
  for (const node of nodes) {
    switch (node.kind) {
      case 'step':
        break;
      case 'loop':
        yield node.label;
        yield* boundLabels(node.body);
        break;
      case 'par':
      case 'alt':
      case 'opt':
        for (const b of node.branches) yield* branchLabels(b);
        break;
      case 'critical':
        yield* boundLabels(node.body.body);
        for (const b of node.options) yield* branchLabels(b);
        break;
      case 'break':
        yield* branchLabels(node.branch);
        break;
    }
  }
}

function* branchLabels(branch: PlannedBranch): Generator<PlannedLabel> {
  if (branch.label.binding) yield branch.label;
  yield* boundLabels(branch.body);
}

/** Every block of the tree, in document order (its id's order). */
export function* plannedBlocks(nodes: readonly PlanNode[]): Generator<PlannedBlock> {
  for (const node of nodes) {
    if (node.kind === 'step') continue;
    yield node;
    switch (node.kind) {
      case 'loop':
        yield* plannedBlocks(node.body);
        break;
      case 'par':
      case 'alt':
      case 'opt':
        for (const b of node.branches) yield* plannedBlocks(b.body);
        break;
      case 'critical':
        yield* plannedBlocks(node.body.body);
        for (const b of node.options) yield* plannedBlocks(b.body);
        break;
      case 'break':
        yield* plannedBlocks(node.branch.body);
        break;
    }
  }
}

/** A block's header as written: `loop for each app`, `par ARM`, `critical the E2E run`. */
export function blockHeader(node: PlannedBlock): string {
  const label =
    node.kind === 'loop'
      ? node.label
      : node.kind === 'critical'
        ? node.body.label
        : node.kind === 'break'
          ? node.branch.label
          : node.branches[0]?.label;
  return `${node.kind}${label?.text ? ` ${label.text}` : ''}`;
}

/** A span for a block's whole extent (its header to its `end`), for messages about the block. */
export function blockExtent(node: { span: Span; endSpan: Span }): Span {
  return { start: node.span.start, end: node.endSpan.end };
}
