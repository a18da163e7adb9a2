// Ready-to-paste TypeScript for an undefined step. Cucumber's generator supplies the expression.
import type { GeneratedExpression } from '@cucumber/cucumber-expressions';
import type { SectionKeyword, Step } from '../ast/types.ts';
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

/** How a mermaid arrow asks for its handler to be written (SEMANTICS.md 7); js-sequence steps are plain. */
type Shape = 'plain' | 'job' | 'refused' | 'both-ways';

function shapeOf(kind: StepKind, step: Step): Shape {
  if (step.kind !== 'message' || !step.mermaid) return 'plain';
  const { arrow, activation } = step.mermaid;
  if (arrow === 'solid-cross' || arrow === 'dotted-cross') return 'refused';
  if (kind !== 'call') return 'plain';
  // `-)` is an asynchronous call and `->>+` opens an explicit lifetime: both are jobs, joined by a later reply.
  if (arrow === 'solid-async' || activation === 'activate-target') return 'job';
  return arrow.startsWith('bidirectional') ? 'both-ways' : 'plain';
}

/** A registration for `step`, to paste inside `defineSteps((s) => { ... })`. */
export function snippetFor(kind: StepKind, step: Step, registry: Registry): string {
  const { expression, params } = expressionOf(step.text, registry);
  const head = `${quote(expression)}, ${filterOf(kind, step)}`;
  const text = step.text.replace(/\n/g, ' ');
  const said = `${what(kind, step)}: ${text}`;
  switch (shapeOf(kind, step)) {
    case 'job':
      return [
        `s.job(${head}, {`,
        `  // ${said} (a job: started here, joined by a later reply from ${step.kind === 'message' ? step.to : 'it'} or at the end)`,
        `  start: async (_ctx${params}) => {`,
        `    throw new Error('not implemented yet'); // start the work; return a JSON handle (a build id)`,
        '  },',
        '  wait: async (_ctx, _handle) => {',
        "    throw new Error('not implemented yet'); // wait for the work the handle names; return its result",
        '  },',
        '});',
      ].join('\n');
    case 'refused':
      // A placeholder that threw would pass: a refused step passes when its handler fails.
      return [
        `s.${kind}(${head}, async (_ctx${params}) => {`,
        `  // ${said}`,
        `  // must be refused (${step.kind === 'message' ? step.mermaid?.written : '-x'}): the step passes when this handler throws the refusal, and fails when it returns`,
        `  return 'not implemented yet';`,
        '});',
      ].join('\n');
    case 'both-ways':
      return [
        `s.${kind}(${head}, async (_ctx${params}) => {`,
        `  // ${said} (call and reply in one step: return the answer)`,
        `  throw new Error('not implemented yet');`,
        `});`,
      ].join('\n');
    case 'plain':
      return [`s.${kind}(${head}, async (_ctx${params}) => {`, `  // ${said}`, `  throw new Error('not implemented yet');`, `});`].join(
        '\n',
      );
  }
}

/** The expression cucumber suggests for `text` (the most literal one) and its parameters as TypeScript. */
function expressionOf(text: string, registry: Registry): { expression: string; params: string } {
  const generated = mostLiteral(registry.generateExpressions(text));
  const params = (generated?.parameterInfos ?? []).map((info, i) => {
    const name = generated?.parameterNames[i] ?? `arg${i}`;
    const type = info.type === 'Number' ? 'number' : info.type === 'String' ? 'string' : 'unknown';
    return `, ${name}: ${type}`;
  });
  return { expression: generated?.source ?? text, params: params.join('') };
}

/** What a block label's handler answers, by the section it heads. */
const BLOCK_ANSWERS: Readonly<Record<'loop' | 'option' | 'break' | 'branch', string>> = {
  loop: 'return the items to iterate over (ctx.item in the body), or a guard: () => boolean',
  option: "ctx.error is the critical body's failure: return true to run this option as its compensation",
  break: 'return true to run the body, then leave the enclosing loop (at the top level: end the run, failed)',
  branch: 'return true to take this branch',
};

/** A registration for a mermaid block label (`loop` or `condition`), to paste inside `defineSteps`. */
export function blockSnippet(kind: BlockHandlerKind, text: string, registry: Registry, keyword?: SectionKeyword): string {
  const { expression, params } = expressionOf(text, registry);
  const answer = kind === 'loop' ? 'loop' : keyword === 'option' || keyword === 'break' ? keyword : 'branch';
  return [
    `s.${kind}(${quote(expression)}, async (_ctx${params}) => {`,
    `  // ${BLOCK_ANSWERS[answer]}`,
    `  throw new Error('not implemented yet');`,
    `});`,
  ].join('\n');
}
