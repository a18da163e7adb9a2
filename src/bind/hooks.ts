// Hooks, as cucumber-js has them (BeforeAll, AfterAll, and a hook on a failed step): code around the
// run, not in it. The diagram stays the pipeline; hooks are for cross-cutting concerns (notify, clean
// up) and never appear as steps. Registered beside steps with `s.beforeRun`, `s.afterRun`, `s.onFailure`.
import type { HandlerContext, SourceRef, StepInfo } from './types.ts';

/** When a hook runs: before the first step, after the last (whatever the outcome), or once per failed step. */
export type HookKind = 'before-run' | 'after-run' | 'on-failure';

export interface HookOptions {
  /** How reports name it (default: its kind and where it was registered). */
  readonly name?: string;
  /** Its time limit; it fails when it runs out (default: none). */
  readonly timeoutMs?: number;
}

/** A hook as reports and the journal know it. */
export interface HookInfo {
  /** `h<N>`, the registration order over the project's binding modules. */
  readonly id: string;
  readonly kind: HookKind;
  readonly name: string;
}

/** What an on-failure hook gets: the step that failed and what it failed with. */
export interface StepFailure {
  readonly step: StepInfo;
  /** What the handler threw (the error itself, in this process; the journal has its message and name). */
  readonly error: unknown;
}

/** What a hook's function gets: the handler context of the run (vars, state, log, run...), without a step. */
export type HookContext<State = Record<string, unknown>> = Omit<
  HandlerContext<State>,
  'step' | 'attempt' | 'result' | 'item' | 'iteration' | 'error' | 'progress' | 'recorded'
> & {
  readonly hook: HookInfo;
  /** On-failure hooks only. */
  readonly failure?: StepFailure;
  /** After-run hooks only: how the steps ended. */
  readonly outcome?: 'passed' | 'failed' | 'interrupted';
};

export type HookFn<State = Record<string, unknown>> = (ctx: HookContext<State>) => unknown;

/** One hook as registered. */
export interface HookRegistration {
  readonly kind: HookKind;
  readonly options: HookOptions;
  readonly fn: HookFn;
  readonly source: SourceRef;
}

/** A hook of the project, ready to run: the registration with its id and name. */
export interface Hook extends HookRegistration {
  readonly info: HookInfo;
}

const KNOWN = ['name', 'timeoutMs'];

/** What is wrong with a hook registration as written, or null. */
export function checkHook(method: string, options: unknown, fn: unknown): string | null {
  if (typeof options !== 'object' || options === null) return `The options of s.${method}() must be an object.`;
  const unknown = Object.keys(options).filter((k) => !KNOWN.includes(k));
  if (unknown.length > 0) return `Unknown option '${unknown[0]}' for s.${method}(); it takes ${KNOWN.join(', ')}.`;
  const { name, timeoutMs } = options as HookOptions;
  if (name !== undefined && typeof name !== 'string') return `The name of s.${method}() must be a string.`;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0))
    return `The timeoutMs of s.${method}() must be a positive number of milliseconds.`;
  if (typeof fn !== 'function') return `s.${method}() needs a hook function last.`;
  return null;
}

const where = (source: SourceRef): string => `${source.file.split(/[\\/]/).pop() ?? source.file}:${source.line}`;

/** The project's hooks in registration order, numbered `h0`, `h1`, ... */
export function numberHooks(registrations: readonly HookRegistration[]): Hook[] {
  return registrations.map((r, i) => ({
    ...r,
    info: { id: `h${i}`, kind: r.kind, name: r.options.name ?? `${r.kind} hook (${where(r.source)})` },
  }));
}
