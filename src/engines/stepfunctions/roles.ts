// What each state of a compiled machine stands for in the plan: a step, a block label's handler (a
// loop's items or guard, a condition), a block's container (par, a for-each Map, a guard cycle, a
// critical body), a break. Read from the machine `toStateMachine` made for the same plan, so that an
// execution's history (history.ts) can be read back as the plan's steps and blocks by state name.
import type { Plan, PlanNode, PlannedBlock } from '../../bind/types.ts';
import type { State, StateMachine } from './asl.ts';
import { ERRORS } from './asl.ts';

export type StateRole =
  | { readonly kind: 'step'; readonly index: number }
  | { readonly kind: 'label'; readonly block: PlannedBlock; readonly branch: number }
  | { readonly kind: 'par'; readonly block: PlannedBlock; readonly starts: readonly string[] }
  | { readonly kind: 'map'; readonly block: PlannedBlock }
  | { readonly kind: 'guard-cycle'; readonly block: PlannedBlock }
  | { readonly kind: 'guard-choice'; readonly block: PlannedBlock }
  | { readonly kind: 'critical'; readonly block: PlannedBlock }
  | { readonly kind: 'break'; readonly block: PlannedBlock }
  /** A container with no block of its own (a job and the steps it overlaps): its branches' states carry the meaning. */
  | { readonly kind: 'container' }
  | { readonly kind: 'other' };

/** Every block of the plan's tree by id (`b3`). */
export function blocksOf(nodes: readonly PlanNode[], into = new Map<string, PlannedBlock>()): Map<string, PlannedBlock> {
  for (const node of nodes) {
    if (node.kind === 'step') continue;
    into.set(node.id, node);
    const bodies =
      node.kind === 'loop'
        ? [node.body]
        : node.kind === 'break'
          ? [node.branch.body]
          : node.kind === 'critical'
            ? [node.body.body, ...node.options.map((o) => o.body)]
            : node.branches.map((b) => b.body);
    for (const body of bodies) blocksOf(body, into);
  }
  return into;
}

/** `b3~b1~b3 L5 …` → `b3`; `b2.1 L7 …` → `b2`; `s4~b1 L9 …` → `s4`. */
export function baseIdOf(name: string): string {
  return (name.split(' ')[0] ?? '').replace(/(~b\d+)+$/, '').replace(/\.\d+$/, '');
}

function roleOf(name: string, state: State, blocks: ReadonlyMap<string, PlannedBlock>): StateRole {
  const id = baseIdOf(name);
  const block = blocks.get(id);
  switch (state.Type) {
    case 'Task': {
      const body = state.Parameters['MessageBody'] as { step?: unknown; kind?: unknown } | undefined;
      const step = typeof body?.step === 'string' ? body.step : '';
      if (body?.kind === 'step') return { kind: 'step', index: Number(step.slice(1)) };
      const labelled = blocks.get(step.split('.')[0] ?? '');
      return labelled ? { kind: 'label', block: labelled, branch: Number(step.split('.')[1] ?? 0) } : { kind: 'other' };
    }
    case 'Pass':
      return /^s\d+$/.test(id) ? { kind: 'step', index: Number(id.slice(1)) } : { kind: 'other' };
    case 'Map':
      return block ? { kind: 'map', block } : { kind: 'other' };
    case 'Parallel':
      if (block?.kind === 'par') return { kind: 'par', block, starts: state.Branches.map((b) => b.StartAt) };
      if (block?.kind === 'loop') return { kind: 'guard-cycle', block };
      if (block?.kind === 'critical') return { kind: 'critical', block };
      return { kind: 'container' };
    case 'Choice':
      return block?.kind === 'loop' && state.Choices.some((c) => c.Variable.endsWith('.continue'))
        ? { kind: 'guard-choice', block }
        : { kind: 'other' };
    case 'Fail':
      return block?.kind === 'break' && state.Error === ERRORS.break ? { kind: 'break', block } : { kind: 'other' };
  }
}

/** The role of every state of `machine` (its branches' and Maps' too), by name. */
export function stateRoles(plan: Plan, machine: StateMachine): Map<string, StateRole> {
  const blocks = blocksOf(plan.tree ?? []);
  const roles = new Map<string, StateRole>();
  const visit = (states: Readonly<Record<string, State>>): void => {
    for (const [name, state] of Object.entries(states)) {
      roles.set(name, roleOf(name, state, blocks));
      if (state.Type === 'Parallel') for (const branch of state.Branches) visit(branch.States);
      if (state.Type === 'Map') visit(state.ItemProcessor.States);
    }
  };
  visit(machine.States);
  return roles;
}
