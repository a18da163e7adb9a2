// Matching one compiled expression against a step text, as `expression.match` does, faster.
import {
  Argument,
  CucumberExpression,
  type Expression as CompiledExpression,
  Group,
  type ParameterType,
} from '@cucumber/cucumber-expressions';
import type { Handler } from './types.ts';

/** A successful match: the handler, its Cucumber arguments, and their values. */
export interface MatchFound {
  readonly handler: Handler;
  readonly arguments: readonly Argument[];
  values(): unknown[];
}

export type Matcher = (text: string, handler: Handler) => MatchFound | null;

/** A GroupBuilder of cucumber-expressions 20 as far as we read it: the capture groups nested in it. */
interface GroupBuilderInternals {
  readonly children?: readonly GroupBuilderInternals[];
}

/** What a CucumberExpression keeps privately (cucumber-expressions 20): its group tree and parameter types. */
interface ExpressionInternals {
  readonly treeRegexp?: { readonly groupBuilder?: GroupBuilderInternals };
  readonly parameterTypes?: readonly ParameterType<unknown>[];
}

/** A capture group and those nested in it, numbered as GroupBuilder.build numbers them (pre-order). */
interface GroupShape {
  readonly index: number;
  readonly children: readonly GroupShape[];
}

function shapeOf(builder: GroupBuilderInternals, next: { index: number }): GroupShape | null {
  const index = next.index++;
  const children: GroupShape[] = [];
  for (const child of builder.children ?? []) {
    const shape = shapeOf(child, next);
    if (!shape) return null;
    children.push(shape);
  }
  return Array.isArray(builder.children) ? { index, children } : null;
}

/** GroupBuilder.build without its per-match closures: the same Group tree from the same match. */
function groupOf(shape: GroupShape, match: RegExpExecArray): Group {
  const children = shape.children.length === 0 ? undefined : shape.children.map((child) => groupOf(child, match));
  const at = match.indices?.[shape.index];
  return new Group(match[shape.index] as string, at?.[0], at?.[1], children);
}

/** Group.values of the group `shape` stands for: its children's values, or its own (as Group, unset groups are undefined). */
function groupValues(shape: GroupShape, match: RegExpExecArray): string[] {
  if (shape.children.length === 0) return [match[shape.index] as string];
  return shape.children.map((child) => match[child.index] as string);
}

interface Compiled {
  readonly regexp: RegExp;
  readonly withIndices: RegExp;
  readonly shapes: readonly GroupShape[];
  readonly types: readonly ParameterType<unknown>[];
}

/**
 * A match of a Cucumber Expression. Binding needs only the argument values, which the match gives
 * directly (each parameter type's transformer applied to its group's values, as Argument.getValue);
 * the Arguments, with their Groups' positions, are built on first use by re-matching with indices.
 */
class NativeMatch implements MatchFound {
  readonly handler: Handler;
  private readonly text: string;
  private readonly match: RegExpExecArray;
  private readonly compiled: Compiled;
  private built: readonly Argument[] | undefined;

  constructor(handler: Handler, text: string, match: RegExpExecArray, compiled: Compiled) {
    this.handler = handler;
    this.text = text;
    this.match = match;
    this.compiled = compiled;
  }

  values(): unknown[] {
    const { shapes, types } = this.compiled;
    const values: unknown[] = [];
    for (let i = 0; i < types.length; i++)
      values.push((types[i] as ParameterType<unknown>).transform(null, groupValues(shapes[i] as GroupShape, this.match)));
    return values;
  }

  get arguments(): readonly Argument[] {
    if (this.built) return this.built;
    const { withIndices, shapes, types } = this.compiled;
    withIndices.lastIndex = 0;
    const match = withIndices.exec(this.text) ?? this.match;
    this.built = types.map((type, i) => new Argument(groupOf(shapes[i] as GroupShape, match), type));
    return this.built;
  }
}

/** A match found by `expression.match` (RegExp handlers, or if cucumber's internals ever change). */
function found(handler: Handler, args: readonly Argument[]): MatchFound {
  return { handler, arguments: args, values: () => args.map((a) => a.getValue<unknown>(null)) };
}

/** `compiled.match` as a MatchFound, the way cucumber-js matches: the baseline. */
export function cucumberMatch(compiled: CompiledExpression, text: string, handler: Handler): MatchFound | null {
  const args = compiled.match(text);
  return args ? found(handler, args) : null;
}

/**
 * `expression.match` with the same result, faster. Cucumber computes match indices with a polyfill
 * (regexp-match-indices), which costs ~10us per successful match; a native RegExp needs none to find
 * the values, and its `d` flag gives the indices for free when the Arguments are asked for. The
 * Groups and Arguments are cucumber's own classes, built from the expression's own group tree.
 * Falls back to `expression.match` for RegExp handlers and if the internals ever change.
 */
export function matcherOf(compiled: CompiledExpression): Matcher {
  const fallback: Matcher = (text, handler) => cucumberMatch(compiled, text, handler);
  if (!(compiled instanceof CucumberExpression)) return fallback;
  const internals = compiled as unknown as ExpressionInternals;
  const builder = internals.treeRegexp?.groupBuilder;
  const types = internals.parameterTypes;
  const root = builder ? shapeOf(builder, { index: 0 }) : null;
  if (!root || !Array.isArray(types) || root.children.length !== types.length) return fallback;
  const source = compiled.regexp.source;
  const compiledMatch: Compiled = { regexp: new RegExp(source), withIndices: new RegExp(source, 'd'), shapes: root.children, types };
  return (text, handler) => {
    const match = compiledMatch.regexp.exec(text);
    return match ? new NativeMatch(handler, text, match, compiledMatch) : null;
  };
}
