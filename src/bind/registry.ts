// The registry: every handler of a project with its compiled expression, behind the lookup index.
import {
  type Argument,
  CucumberExpression,
  CucumberExpressionGenerator,
  type Expression as CompiledExpression,
  ExpressionFactory,
  type GeneratedExpression,
  NodeType,
  ParameterType,
  ParameterTypeRegistry,
} from '@cucumber/cucumber-expressions';
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { BindCode } from './codes.ts';
import type { Registration, StepModule } from './define.ts';
import { HandlerIndex, regexpPrefix, type StepParticipants } from './lookup.ts';
import { cucumberMatch, type Matcher, matcherOf } from './matcher.ts';
import { type Hook, numberHooks } from './hooks.ts';
import type { Handler, HandlerKind, RegisteredParameterType, SourceRef } from './types.ts';

export interface HandlerMatch {
  readonly handler: Handler;
  /** Cucumber arguments; `getValue` runs the parameter type's transformer. */
  readonly arguments: readonly Argument[];
  /** Every argument's value (`getValue(null)` of each); may not build the Arguments. May throw. */
  values(): unknown[];
}

export interface Registry {
  /** Every handler whose expression compiled, in registration order. */
  readonly handlers: readonly Handler[];
  readonly parameterTypes: readonly RegisteredParameterType[];
  /** The project's hooks (before-run, after-run, on-failure), numbered in registration order. */
  readonly hooks: readonly Hook[];
  /** The handlers of `kind` whose filters admit the participants and whose expression matches `text`. */
  match(kind: HandlerKind, participants: StepParticipants, text: string): readonly HandlerMatch[];
  /** The same answer found as cucumber-js does, trying every expression on the step: the baseline. */
  matchNaive(kind: HandlerKind, participants: StepParticipants, text: string): readonly HandlerMatch[];
  /** Every expression again, with `match`'s literal-suffix pre-test and native matcher, but no index. */
  matchScan(kind: HandlerKind, participants: StepParticipants, text: string): readonly HandlerMatch[];
  /** Cucumber Expressions that would match `text`, best first, for snippets. */
  generateExpressions(text: string): readonly GeneratedExpression[];
}

export function sourceSpan(source: SourceRef): Diagnostic['span'] {
  const start = { line: source.line, column: source.column, offset: 0 };
  return source.line > 0 ? { start, end: start } : null;
}

function diagnostic(code: DiagnosticCode, message: string, hint: string, source: SourceRef): Diagnostic {
  return { code, severity: 'error', message, hint, file: source.file, span: sourceSpan(source) };
}

const at = (s: SourceRef): string => `${s.file}:${s.line}`;

function defineParameterTypes(types: readonly RegisteredParameterType[], diagnostics: Diagnostic[]): ParameterTypeRegistry {
  const registry = new ParameterTypeRegistry();
  const seen = new Map<string, SourceRef>();
  for (const type of types) {
    const builtin = registry.lookupByTypeName(type.name);
    const earlier = seen.get(type.name);
    if (earlier || builtin) {
      const where = earlier ? `already defined at ${at(earlier)}` : 'a built-in parameter type';
      diagnostics.push(
        diagnostic(
          BindCode.duplicateParameterType,
          `Parameter type {${type.name}} is defined twice: ${where}.`,
          'Rename one of them or remove the duplicate.',
          type.source,
        ),
      );
      continue;
    }
    try {
      const transformer = type.transformer ?? ((...groups: string[]) => (groups.length > 1 ? groups : groups[0]));
      const regexps = (Array.isArray(type.regexp) ? type.regexp : [type.regexp]) as (string | RegExp)[];
      registry.defineParameterType(
        new ParameterType(type.name, regexps, null, transformer, type.useForSnippets ?? true, type.preferForRegexpMatch ?? false),
      );
      seen.set(type.name, type.source);
    } catch (error) {
      diagnostics.push(
        diagnostic(
          BindCode.invalidParameterType,
          `Parameter type {${type.name}} is invalid: ${messageOf(error)}`,
          'Fix its name or regexp.',
          type.source,
        ),
      );
    }
  }
  return registry;
}

export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/\s*\n\s*/g, ' ');
}

function toHandler(r: Registration): Handler {
  const base = { expression: r.expression, filter: r.filter, options: r.options, source: r.source };
  if (r.kind === 'call' && r.mode === 'job' && r.job) return { ...base, kind: 'call', mode: 'job', job: r.job };
  const fn = r.fn ?? (() => undefined);
  if (r.kind === 'call') return { ...base, kind: 'call', mode: 'sync', fn };
  if (r.kind === 'loop' || r.kind === 'condition')
    return { ...base, kind: r.kind, fn, ...(r.maxIterations === undefined ? {} : { maxIterations: r.maxIterations }) };
  return { ...base, kind: r.kind, fn };
}

/** The literal text a compiled expression must start with. */
function literalPrefix(compiled: CompiledExpression): string {
  if (compiled instanceof CucumberExpression) {
    let prefix = '';
    for (const node of compiled.ast.nodes ?? []) {
      if (node.type !== NodeType.text) break;
      prefix += node.text();
    }
    return prefix;
  }
  return 'regexp' in compiled && compiled.regexp instanceof RegExp ? regexpPrefix(compiled.regexp) : '';
}

/** The literal text a Cucumber Expression must end with ('' for a RegExp). */
function literalSuffix(compiled: CompiledExpression): string {
  if (!(compiled instanceof CucumberExpression)) return '';
  const nodes = compiled.ast.nodes ?? [];
  let suffix = '';
  for (let i = nodes.length - 1; i >= 0 && nodes[i]?.type === NodeType.text; i--) suffix = (nodes[i]?.text() ?? '') + suffix;
  return suffix;
}

export interface RegistryInput {
  readonly modules: readonly StepModule[];
  /** Parameter types from the config; defined before those of the modules. */
  readonly parameterTypes?: readonly RegisteredParameterType[];
}

function compileRegistrations(
  modules: readonly StepModule[],
  parameterTypes: ParameterTypeRegistry,
  diagnostics: Diagnostic[],
): { handlers: Handler[]; compiled: CompiledExpression[] } {
  const factory = new ExpressionFactory(parameterTypes);
  const handlers: Handler[] = [];
  const compiled: CompiledExpression[] = [];
  for (const module of modules) {
    for (const problem of module.problems)
      diagnostics.push(diagnostic(BindCode.invalidRegistration, problem.message, problem.hint, problem.source));
    for (const registration of module.registrations) {
      try {
        compiled.push(factory.createExpression(registration.expression));
        handlers.push(toHandler(registration));
      } catch (error) {
        const message = `The expression ${JSON.stringify(String(registration.expression))} does not compile: ${messageOf(error)}`;
        const hint = 'Escape literal ( ) { } / with a backslash, or define the missing parameter type.';
        diagnostics.push(diagnostic(BindCode.invalidExpression, message, hint, registration.source));
      }
    }
  }
  return { handlers, compiled };
}

/** Compiles every registration. Bad expressions and parameter types are diagnostics, never throws. */
export function createRegistry(input: RegistryInput): { registry: Registry; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const types: RegisteredParameterType[] = [
    ...(input.parameterTypes ?? []),
    ...input.modules.flatMap((m) => m.parameterTypes.map((p) => ({ ...p.definition, source: p.source }))),
  ];
  const parameterTypes = defineParameterTypes(types, diagnostics);
  const { handlers, compiled } = compileRegistrations(input.modules, parameterTypes, diagnostics);
  const prefixes = compiled.map(literalPrefix);
  const suffixes = compiled.map(literalSuffix);
  const index = new HandlerIndex(
    handlers,
    (i) => prefixes[i] ?? '',
    (i) => suffixes[i] ?? '',
  );
  const matchers = compiled.map(matcherOf);
  // The index's path, kept apart from the baselines' generic loop so that it stays monomorphic.
  const matchCandidates = (candidates: readonly number[], text: string): HandlerMatch[] => {
    const matches: HandlerMatch[] = [];
    let order: number[] | undefined;
    for (let c = 0; c < candidates.length; c++) {
      const i = candidates[c] as number;
      if (!text.endsWith(suffixes[i] as string)) continue;
      const match = (matchers[i] as Matcher)(text, handlers[i] as Handler);
      if (match === null) continue;
      matches.push(match);
      (order ??= []).push(i);
    }
    // Candidates come in trie order; only several matches (an ambiguity) need registration order back.
    return order !== undefined && order.length > 1 ? inRegistrationOrder(matches, order) : matches;
  };
  const tryHandlers = (candidates: Iterable<number>, text: string, fast: boolean): HandlerMatch[] => {
    const matches: HandlerMatch[] = [];
    for (const i of candidates) {
      if (fast && !text.endsWith(suffixes[i] ?? '')) continue;
      const handler = handlers[i] as Handler;
      const match = fast ? (matchers[i] as Matcher)(text, handler) : cucumberMatch(compiled[i] as CompiledExpression, text, handler);
      if (match) matches.push(match);
    }
    return matches;
  };
  const generator = new CucumberExpressionGenerator(() => parameterTypes.parameterTypes);
  const registry: Registry = {
    handlers,
    parameterTypes: types,
    // Modules made by an older defineSteps (a second copy of seqrun) have no hooks.
    hooks: numberHooks(input.modules.flatMap((m) => m.hooks ?? [])),
    match: (kind, participants, text) => matchCandidates(index.candidates(kind, participants, text), text),
    matchNaive: (kind, participants, text) =>
      tryHandlers(handlers.keys(), text, false).filter((m) => m.handler.kind === kind && admits(m.handler, participants)),
    matchScan: (kind, participants, text) =>
      tryHandlers(handlers.keys(), text, true).filter((m) => m.handler.kind === kind && admits(m.handler, participants)),
    generateExpressions: (text) => generator.generateExpressions(text),
  };
  return { registry, diagnostics };
}

function inRegistrationOrder(matches: readonly HandlerMatch[], order: readonly number[]): HandlerMatch[] {
  return order
    .map((registered, k) => [registered, k] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, k]) => matches[k] as HandlerMatch);
}

function admits(handler: Handler, p: StepParticipants): boolean {
  const { from, to, over } = handler.filter;
  if (from !== undefined && !(p.from ?? []).includes(from)) return false;
  if (to !== undefined && !(p.to ?? []).includes(to)) return false;
  if (over !== undefined && !(p.over ?? []).includes(over)) return false;
  return true;
}
