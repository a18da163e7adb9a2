// Ready-to-paste TypeScript for an undefined step. Cucumber's generator supplies the expression.
import type { GeneratedExpression } from '@cucumber/cucumber-expressions';
import type { Step } from '../ast/types.ts';
import type { Registry } from './registry.ts';
import type { BlockHandlerKind, StepKind } from './types.ts';

const quote = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function filterOf(kind: StepKind, step: Step): string {
  if (step.kind === 'message') return `{ from: ${quote(step.from)}, to: ${quote(step.to)} }`;
  return kind === 'note' || kind === 'expect' ? `{ over: ${quote(step.participants[0])} }` : '{}';
}

function what(kind: StepKind, step: Step): string {
  if (step.kind === 'message') return kind === 'reply' ? `${step.from} answers ${step.to}` : `${step.from} asks ${step.to}`;
  const who = step.participants.join(' and ');
  return kind === 'expect' ? `check on the open call to ${who}; ctx.result is its result` : `action by ${who}`;
}

/**
 * Cucumber orders its suggestions by parameter type preference; a broad custom type (`{tags}`) can then
 * swallow every word. The suggestion that keeps the most literal text reads best and matches least.
 */
function mostLiteral(expressions: readonly GeneratedExpression[]): GeneratedExpression | undefined {
  const literal = (e: GeneratedExpression): number => e.source.replace(/\{[^}]*\}/g, '').length;
  return expressions.reduce<GeneratedExpression | undefined>(
    (best, e) => (best === undefined || literal(e) > literal(best) ? e : best),
    undefined,
  );
}

/** A registration for `step`, to paste inside `defineSteps((s) => { ... })`. */
export function snippetFor(kind: StepKind, step: Step, registry: Registry): string {
  const generated = mostLiteral(registry.generateExpressions(step.text));
  const expression = generated?.source ?? step.text;
  const params = (generated?.parameterInfos ?? []).map((info, i) => {
    const name = generated?.parameterNames[i] ?? `arg${i}`;
    const type = info.type === 'Number' ? 'number' : info.type === 'String' ? 'string' : 'unknown';
    return `, ${name}: ${type}`;
  });
  const method = kind;
  return [
    `s.${method}(${quote(expression)}, ${filterOf(kind, step)}, async (_ctx${params.join('')}) => {`,
    `  // ${what(kind, step)}: ${step.text.replace(/\n/g, ' ')}`,
    `  throw new Error('not implemented yet');`,
    `});`,
  ].join('\n');
}

/** A registration for a mermaid block label (`loop` or `condition`), to paste inside `defineSteps`. */
export function blockSnippet(kind: BlockHandlerKind, text: string, registry: Registry): string {
  const generated = mostLiteral(registry.generateExpressions(text));
  const expression = generated?.source ?? text;
  const params = (generated?.parameterInfos ?? []).map((info, i) => {
    const name = generated?.parameterNames[i] ?? `arg${i}`;
    const type = info.type === 'Number' ? 'number' : info.type === 'String' ? 'string' : 'unknown';
    return `, ${name}: ${type}`;
  });
  const body =
    kind === 'loop'
      ? `  // return the items to iterate over (ctx.item in the body), or a guard: () => boolean`
      : `  // return true to take this branch`;
  return [
    `s.${kind}(${quote(expression)}, async (_ctx${params.join('')}) => {`,
    body,
    `  throw new Error('not implemented yet');`,
    `});`,
  ].join('\n');
}
