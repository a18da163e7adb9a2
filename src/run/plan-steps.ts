// What the executor reads off the plan: the function each step runs, and the line where a failed
// job fails the run. Pure functions of the plan (and of which steps passed).
import type { HandlerContext, Plan, PlannedStep } from '../bind/types.ts';
import { stepLabel } from './context.ts';
import type { JournaledStep } from './events.ts';

export type Invoke = (ctx: HandlerContext) => unknown;

/**
 * The handler a step is bound to, the built-in `Success`, or a throw for a step that is not bound.
 * `idOf`: the id of a step by index where this one runs (in a loop's iteration: `s4#2`).
 */
export function invokeFor(
  plan: Plan,
  planned: PlannedStep,
  passed: ReadonlySet<string>,
  idOf: (index: number) => string = (index) => `s${index}`,
): Invoke {
  const binding = planned.binding;
  if (binding.status === 'bound' && 'fn' in binding.handler) {
    const { fn } = binding.handler;
    return (ctx) => fn(ctx, ...binding.args);
  }
  if (binding.status === 'builtin') {
    const call = planned.answers === null || planned.answers === undefined ? undefined : plan.steps[planned.answers];
    return () => {
      if (!call || !passed.has(idOf(call.index))) throw new Error(`${call ? stepLabel(call) : 'the answered call'} did not succeed`);
      return undefined;
    };
  }
  return () => {
    throw new Error(`step is not bound to exactly one handler (${binding.status}); run 'seqrun check'`);
  };
}

/**
 * The reply that joins a job further down the diagram, past steps other than its own expectations.
 * A failed job fails the run at that line: it is where the diagram checks the job's outcome.
 */
export function laterJoin(plan: Plan, call: PlannedStep): PlannedStep | undefined {
  const reply = plan.steps.find((s) => s.kind === 'reply' && s.answers === call.index);
  if (!reply) return undefined;
  const between = plan.steps.slice(call.index + 1, reply.index);
  return between.every((s) => s.kind === 'expect' && s.expectationOf === call.index) ? undefined : reply;
}

/** The plan's steps as `run-started` journals them: what a reader needs to draw job lifetimes and resume without the bindings. */
export function journaledSteps(plan: Plan): JournaledStep[] {
  return plan.steps.map((p): JournaledStep => ({
    id: p.id,
    kind: p.kind,
    text: p.step.text,
    line: p.step.span.start.line,
    column: p.step.span.start.column,
    ...(p.kind === 'call' ? { mode: p.mode ?? 'sync' } : {}),
    ...(p.kind === 'call' && p.mode === 'job'
      ? { joinedAt: p.joinedAt === null || p.joinedAt === undefined ? null : (plan.steps[p.joinedAt]?.id ?? null) }
      : {}),
  }));
}
