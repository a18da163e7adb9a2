// `defineSteps`: what binding modules call to register handlers. Registration only records; the
// registry compiles expressions later, once every parameter type of the project is known.
import type {
  Expression,
  HandlerContext,
  HandlerFn,
  JobImplementation,
  ParameterTypeDefinition,
  HandlerKind,
  ParticipantFilter,
  SourceRef,
  StepOptions,
} from './types.ts';
import { callerSource } from './source.ts';
import { checkHook, type HookFn, type HookKind, type HookOptions, type HookRegistration } from './hooks.ts';

/** Participant filters plus options, the optional middle argument of every registration. */
export interface CallOptions extends StepOptions {
  readonly from?: string;
  readonly to?: string;
}
export type ReplyOptions = CallOptions;
export interface NoteOptions extends StepOptions {
  readonly over?: string;
}

/** Options of a `loop` handler: its time limit and its bound on iterations. */
export interface LoopOptions {
  readonly timeoutMs?: number;
  /** The most iterations the loop may run (default 1000); a guard still true then fails the loop. */
  readonly maxIterations?: number;
}
/** Options of a `condition` handler. */
export interface ConditionOptions {
  readonly timeoutMs?: number;
}

/** What a `loop` handler returns: the items to iterate over, or a guard asked before each iteration. */
export type LoopAnswer = Iterable<unknown> | (() => boolean | Promise<boolean>);

export type StepFn<State, Args extends unknown[]> = (ctx: HandlerContext<State>, ...args: Args) => unknown;

/** A job as a binding module writes it: typed arguments, handle and result. */
export interface JobDefinition<State, Args extends unknown[], Handle, Result> {
  start(ctx: HandlerContext<State>, ...args: Args): Promise<Handle>;
  wait(ctx: HandlerContext<State>, handle: Handle): Promise<Result>;
  cancel?(ctx: HandlerContext<State>, handle: Handle): Promise<void>;
  attach?(ctx: HandlerContext<State>, handle: Handle): Promise<void>;
}

/** One registration as recorded, before its expression is compiled. */
export interface Registration {
  readonly kind: HandlerKind;
  readonly mode?: 'sync' | 'job';
  readonly expression: Expression;
  readonly filter: ParticipantFilter;
  readonly options: StepOptions;
  readonly fn?: HandlerFn;
  readonly job?: JobImplementation;
  readonly source: SourceRef;
  /** Loops only. */
  readonly maxIterations?: number;
}

/** A registration that could not be recorded as written (bad options, not a function, ...). */
export interface RegistrationProblem {
  readonly message: string;
  readonly hint: string;
  readonly source: SourceRef;
}

export interface ParameterTypeRegistration {
  readonly definition: ParameterTypeDefinition;
  readonly source: SourceRef;
}

const STEP_MODULE = Symbol.for('seqrun.stepModule');

/** What `defineSteps` returns; a binding module exports it (usually as its default export). */
export interface StepModule {
  readonly [STEP_MODULE]: true;
  readonly registrations: readonly Registration[];
  readonly parameterTypes: readonly ParameterTypeRegistration[];
  readonly problems: readonly RegistrationProblem[];
  /** Before-run, after-run and on-failure hooks, in registration order. */
  readonly hooks: readonly HookRegistration[];
}

export function isStepModule(value: unknown): value is StepModule {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[STEP_MODULE] === true;
}

export interface StepRegistrar<State = Record<string, unknown>> {
  /** A sync call: the handler finishes its work before it returns; its return value is the call's result. */
  call<Args extends unknown[]>(expression: Expression, fn: StepFn<State, Args>): void;
  call<Args extends unknown[]>(expression: Expression, options: CallOptions, fn: StepFn<State, Args>): void;
  /** A call that starts work elsewhere and returns a handle, awaited at its reply (the join point). */
  job<Args extends unknown[], Handle, Result>(expression: Expression, job: JobDefinition<State, Args, Handle, Result>): void;
  job<Args extends unknown[], Handle, Result>(
    expression: Expression,
    options: CallOptions,
    job: JobDefinition<State, Args, Handle, Result>,
  ): void;
  /** A reply: an assertion on the answered call's result (`ctx.result`). `Success` is built in. */
  reply<Args extends unknown[]>(expression: Expression, fn: StepFn<State, Args>): void;
  reply<Args extends unknown[]>(expression: Expression, options: ReplyOptions, fn: StepFn<State, Args>): void;
  /** A note that is an action by the participant it is about. */
  note<Args extends unknown[]>(expression: Expression, fn: StepFn<State, Args>): void;
  note<Args extends unknown[]>(expression: Expression, options: NoteOptions, fn: StepFn<State, Args>): void;
  /** A note written while a call to its participant is open: checked against that call's result. */
  expect<Args extends unknown[]>(expression: Expression, fn: StepFn<State, Args>): void;
  expect<Args extends unknown[]>(expression: Expression, options: NoteOptions, fn: StepFn<State, Args>): void;
  /**
   * A mermaid `loop` label: returns the items to iterate over (the body runs once per item, `ctx.item`)
   * or a guard function asked before each iteration (the body runs while it returns true).
   */
  loop<Args extends unknown[]>(expression: Expression, fn: StepFn<State, Args>): void;
  loop<Args extends unknown[]>(expression: Expression, options: LoopOptions, fn: StepFn<State, Args>): void;
  /**
   * A mermaid `alt`/`else`/`opt`/`break` condition or a `critical` block's `option`: returns true or
   * false. An option's condition gets the error that failed the block as `ctx.error`.
   */
  condition<Args extends unknown[]>(expression: Expression, fn: StepFn<State, Args>): void;
  condition<Args extends unknown[]>(expression: Expression, options: ConditionOptions, fn: StepFn<State, Args>): void;
  /** A hook before the first step: a failure fails the run before any step runs. Not run again by a resume once it passed. */
  beforeRun(fn: HookFn<State>): void;
  beforeRun(options: HookOptions, fn: HookFn<State>): void;
  /** A hook after the last step, whatever the outcome (`ctx.outcome`); every after-run hook runs, a failure fails the run. */
  afterRun(fn: HookFn<State>): void;
  afterRun(options: HookOptions, fn: HookFn<State>): void;
  /** A hook called once per failed step, with the step and its error (`ctx.failure`). */
  onFailure(fn: HookFn<State>): void;
  onFailure(options: HookOptions, fn: HookFn<State>): void;
  /** A custom parameter type, usable as `{name}` in every expression of the project. */
  parameterType(definition: ParameterTypeDefinition): void;
  /** The same as `parameterType`, under Cucumber's name. */
  defineParameterType(definition: ParameterTypeDefinition): void;
}

/** Typed identity for a parameter type kept in its own module or in the config's `parameterTypes`. */
export function defineParameterType(definition: ParameterTypeDefinition): ParameterTypeDefinition {
  return definition;
}

const OPTION_KEYS = ['timeoutMs', 'retry'];
/** The option keys each kind takes: participant filters, then options. */
const KNOWN_KEYS: Record<HandlerKind, readonly string[]> = {
  call: ['from', 'to', ...OPTION_KEYS],
  reply: ['from', 'to', ...OPTION_KEYS],
  note: ['over', ...OPTION_KEYS],
  expect: ['over', ...OPTION_KEYS],
  loop: ['timeoutMs', 'maxIterations'],
  condition: ['timeoutMs'],
};

function checkMaxIterations(options: object): string | null {
  const max = (options as LoopOptions).maxIterations;
  if (max === undefined || (Number.isInteger(max) && max >= 1)) return null;
  return `maxIterations of s.loop() must be a whole number of at least 1 (got ${JSON.stringify(max)}).`;
}

/** What is wrong with a registration as written, or null. */
function checkRegistration(
  kind: HandlerKind,
  mode: string | undefined,
  expression: unknown,
  options: unknown,
  impl: unknown,
): string | null {
  const what = mode === 'job' ? 'job' : kind;
  if (typeof expression !== 'string' && !(expression instanceof RegExp)) return `s.${what}() needs a string or RegExp expression first.`;
  if (typeof options !== 'object' || options === null) return `The options of s.${what}() must be an object.`;
  const known = KNOWN_KEYS[kind];
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) return `Unknown option '${unknown[0]}' for s.${what}(); it takes ${known.join(', ')}.`;
  const badMax = kind === 'loop' ? checkMaxIterations(options) : null;
  if (badMax) return badMax;
  if (mode === 'job') {
    const job = impl as Partial<JobImplementation> | null;
    if (typeof job !== 'object' || job === null || typeof job.start !== 'function' || typeof job.wait !== 'function') {
      return 's.job() needs an object with start(ctx, ...args) and wait(ctx, handle) functions.';
    }
  } else if (typeof impl !== 'function') return `s.${what}() needs a handler function last.`;
  return null;
}

function splitOptions(kind: HandlerKind, options: CallOptions & NoteOptions): { filter: ParticipantFilter; options: StepOptions } {
  const filter: { from?: string; to?: string; over?: string } = {};
  if (kind === 'call' || kind === 'reply') {
    if (options.from !== undefined) filter.from = options.from;
    if (options.to !== undefined) filter.to = options.to;
  } else if ((kind === 'note' || kind === 'expect') && options.over !== undefined) filter.over = options.over;
  const stepOptions: { timeoutMs?: number; retry?: StepOptions['retry'] } = {};
  if (options.timeoutMs !== undefined) stepOptions.timeoutMs = options.timeoutMs;
  if (options.retry !== undefined) stepOptions.retry = options.retry;
  return { filter, options: stepOptions };
}

type Impl = HandlerFn | JobImplementation;

/**
 * Registers handlers for the steps of diagrams. Each registration records the file and line it was
 * written on, so that `seqrun check` can point at it.
 *
 *     export default defineSteps((s) => {
 *       s.call('Fetch main branch release', { from: 'Pay CI', to: 'GitHub' }, async (ctx) => ...);
 *       s.job('Trigger CodeBuild {arch}', { timeoutMs: 3_600_000 }, codeBuildJob);
 *     });
 */
export function defineSteps<State = Record<string, unknown>>(register: (s: StepRegistrar<State>) => void): StepModule {
  const registrations: Registration[] = [];
  const parameterTypes: ParameterTypeRegistration[] = [];
  const problems: RegistrationProblem[] = [];
  const hooks: HookRegistration[] = [];
  const hook = (kind: HookKind, method: string, rest: unknown[]): void => {
    const source = callerSource();
    const [options, fn] = rest.length >= 2 ? rest : [{}, rest[0]];
    const problem = checkHook(method, options, fn);
    if (problem) problems.push({ message: problem, hint: 'See the Hooks section of docs/handlers.md.', source });
    else hooks.push({ kind, options: options as HookOptions, fn: fn as HookFn, source });
  };
  const add = (kind: HandlerKind, mode: 'sync' | 'job' | undefined, expression: Expression, rest: unknown[]): void => {
    const source = callerSource();
    const [first, second] = rest;
    const hasOptions = rest.length >= 2;
    const raw = (hasOptions ? first : {}) as CallOptions & NoteOptions;
    const impl = (hasOptions ? second : first) as Impl;
    const problem = checkRegistration(kind, mode, expression, raw, impl);
    if (problem) {
      problems.push({ message: problem, hint: 'See docs/handlers.md for the registration signatures.', source });
      return;
    }
    const { filter, options } = splitOptions(kind, raw);
    const max = (raw as LoopOptions).maxIterations;
    const base = { kind, expression, filter, options, source, ...(kind === 'loop' && max !== undefined ? { maxIterations: max } : {}) };
    if (mode === 'job') registrations.push({ ...base, mode, job: impl as JobImplementation });
    else registrations.push({ ...base, ...(mode ? { mode } : {}), fn: impl as HandlerFn });
  };
  const registrar: StepRegistrar<State> = {
    call: (expression: Expression, ...rest: unknown[]) => add('call', 'sync', expression, rest),
    job: (expression: Expression, ...rest: unknown[]) => add('call', 'job', expression, rest),
    reply: (expression: Expression, ...rest: unknown[]) => add('reply', undefined, expression, rest),
    note: (expression: Expression, ...rest: unknown[]) => add('note', undefined, expression, rest),
    expect: (expression: Expression, ...rest: unknown[]) => add('expect', undefined, expression, rest),
    loop: (expression: Expression, ...rest: unknown[]) => add('loop', undefined, expression, rest),
    condition: (expression: Expression, ...rest: unknown[]) => add('condition', undefined, expression, rest),
    beforeRun: (...rest: unknown[]) => hook('before-run', 'beforeRun', rest),
    afterRun: (...rest: unknown[]) => hook('after-run', 'afterRun', rest),
    onFailure: (...rest: unknown[]) => hook('on-failure', 'onFailure', rest),
    parameterType: (definition: ParameterTypeDefinition) => {
      parameterTypes.push({ definition, source: callerSource() });
    },
    defineParameterType: (definition: ParameterTypeDefinition) => {
      parameterTypes.push({ definition, source: callerSource() });
    },
  };
  register(registrar);
  return { [STEP_MODULE]: true, registrations, parameterTypes, problems, hooks };
}
