// Default time limits: every step has one, so that a run always ends. A step's own `timeoutMs` (in
// its binding, or in the config's `steps`) wins over the default for its kind.
import type { StepKind, StepOptions } from './types.ts';

/** The config's `timeouts`, in milliseconds. */
export interface Timeouts {
  /** A sync call (default 30 min). */
  readonly call?: number;
  /** A job: its start and, separately, its wait (default 2 h). */
  readonly job?: number;
  /** An expectation (default 5 min). */
  readonly expect?: number;
  /** A reply handler (default 5 min). */
  readonly reply?: number;
  /** An action note (default 30 min). */
  readonly note?: number;
  /** After Ctrl-C or SIGTERM, or at the end of a run: how long stopped handlers get to return (default 5 s). */
  readonly stopGrace?: number;
  /** How long each job's cancel may take, and the grace period of a stop while jobs are cancelled (default 60 s). */
  readonly cancelGrace?: number;
}

export const DEFAULT_TIMEOUTS: Required<Timeouts> = {
  call: 30 * 60_000,
  job: 2 * 3_600_000,
  expect: 5 * 60_000,
  reply: 5 * 60_000,
  note: 30 * 60_000,
  stopGrace: 5_000,
  cancelGrace: 60_000,
};

/** The longest delay `setTimeout` keeps (~24.8 days); longer step limits mean no limit. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export const TIMEOUT_KEYS = Object.keys(DEFAULT_TIMEOUTS) as readonly (keyof Timeouts)[];

/** What a step's default limit depends on: its kind, and for a call whether it is a job. */
export type TimedKind = StepKind | 'job';

export function timedKind(kind: StepKind, mode: 'sync' | 'job' | undefined): TimedKind {
  return kind === 'call' && mode === 'job' ? 'job' : kind;
}

/** `options` with the default limit of `kind` when it sets none. */
export function withDefaultTimeout(options: StepOptions, kind: TimedKind, timeouts: Required<Timeouts> = DEFAULT_TIMEOUTS): StepOptions {
  return options.timeoutMs === undefined ? { ...options, timeoutMs: timeouts[kind] } : options;
}
