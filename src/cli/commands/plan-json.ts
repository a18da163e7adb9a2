// `seqrun plan --json`: the plan as data (handlers by file:line; functions left out).
import { isAbsolute, relative } from 'node:path';
import type { Plan, PlannedStep } from '../../bind/types.ts';
import { planTreeJson } from './plan-tree.ts';

function bindingJson(planned: PlannedStep, cwd: string): Record<string, unknown> {
  const at = (file: string, line: number): string => `${isAbsolute(file) ? relative(cwd, file) : file}:${line}`;
  const { binding } = planned;
  switch (binding.status) {
    case 'bound':
      return {
        status: 'bound',
        handler: at(binding.handler.source.file, binding.handler.source.line),
        expression: String(binding.handler.expression),
        args: binding.args,
      };
    case 'builtin':
      return { status: 'builtin', name: binding.name };
    case 'undefined':
      return { status: 'undefined', snippet: binding.snippet };
    case 'ambiguous':
      return { status: 'ambiguous', candidates: binding.candidates.map((h) => at(h.source.file, h.source.line)) };
  }
}

export function planJson(plan: Plan, cwd: string): Record<string, unknown> {
  const tree = planTreeJson(plan, cwd);
  return {
    file: isAbsolute(plan.diagram.file) ? relative(cwd, plan.diagram.file) : plan.diagram.file,
    name: plan.diagram.name,
    steps: plan.steps.map((s) => ({
      id: s.id,
      line: s.step.span.start.line,
      text: s.step.text,
      kind: s.kind,
      ...bindingJson(s, cwd),
      ...(s.mode ? { mode: s.mode } : {}),
      ...(s.answers !== undefined ? { answers: s.answers === null ? null : `s${s.answers}` } : {}),
      ...(s.expectationOf !== undefined ? { expectationOf: `s${s.expectationOf}` } : {}),
      ...(s.joinedAt !== undefined ? { joinedAt: s.joinedAt === null ? null : `s${s.joinedAt}` } : {}),
      ...(s.overlaps ? { overlaps: s.overlaps.map((i) => `s${i}`) } : {}),
      ...(s.refused ? { refused: true } : {}),
      options: { timeoutMs: s.options.timeoutMs ?? null, retryAttempts: s.options.retry?.attempts ?? null },
    })),
    ...(tree ? { tree } : {}),
  };
}
