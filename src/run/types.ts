// What the executor takes and gives: options of a run, the point a resume starts from, the outcome.
import type { Hook } from '../bind/hooks.ts';
import type { BlockEvent, RunEvent } from './events.ts';
import type { Redactor } from './redact.ts';

/** What a resumed run takes over from its journal. */
export interface ResumePoint {
  /** Steps that passed, with their (journaled, hence redacted) outputs. */
  readonly passed: ReadonlyMap<string, unknown>;
  /** Job handles of jobs started but not finished: re-attached, never started again. */
  readonly openJobs: ReadonlyMap<string, unknown>;
  readonly state: Readonly<Record<string, unknown>>;
  /** What `ctx.progress` recorded for steps that have not passed, since their last handle: `ctx.recorded`. */
  readonly progress?: ReadonlyMap<string, readonly unknown[]>;
  /** The run's first start (its `run-started` event): `ctx.run.startedAt` stays the same across resumes. */
  readonly started?: { readonly at: string } | null;
  /** mermaid blocks' journaled decisions (branches taken, loop items, guard answers, compensations): they stand. */
  readonly decisions?: readonly BlockEvent[];
  /** Hook runs that passed before (`h0`): a resume does not run those before-run hooks again. */
  readonly hooksPassed?: ReadonlySet<string>;
}

export interface RunOptions {
  readonly runId: string;
  /** The diagram as the user named it (`specs/final.seq`, `doc.md#slug`) and its hash. */
  readonly diagram: string;
  readonly diagramHash: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly config?: Readonly<Record<string, unknown>>;
  readonly trigger?: string;
  /** The config's `reportUrl`: where the run's report will be, `{runId}` filled in for `ctx.run.reportUrl`. */
  readonly reportUrl?: string;
  /** The config profile (null: none), journaled in `run-started` so that a resume uses the same. */
  readonly profile?: string | null;
  /** Leave open jobs running when the run stops (they can be re-attached by `seqrun resume`). */
  readonly leaveJobs?: boolean;
  /** Aborted on Ctrl-C or SIGTERM (its reason: the signal's name): the run stops gracefully with status `interrupted`. */
  readonly interrupt?: AbortSignal;
  /** Receives every event, already redacted, in order. */
  readonly onEvent: (event: RunEvent) => void;
  readonly resume?: ResumePoint;
  /** The per-run state the bindings define; a resume overlays the journaled state on it. */
  readonly state?: Record<string, unknown>;
  /** The process id recorded in `run-resumed`. */
  readonly pid?: number;
  /** The sandbox the run runs against (`SEQRUN_SANDBOX_ID`), journaled in `run-started` and `run-resumed`. */
  readonly sandbox?: string;
  /** Masks secrets in every event (default: a new one); the run adds its secret vars and env to it. */
  readonly redactor?: Redactor;
  /** Variables (run or environment) the config declares secret, besides those whose names look secret. */
  readonly secretNames?: readonly string[];
  readonly random?: () => number;
  /** Bound on each job's `cancel`, and the grace period of a stop while jobs are cancelled (default 60 s). */
  readonly cancelTimeoutMs?: number;
  /** How long handlers the run stopped waiting for get to return, and the grace period of a stop (default 5 s). */
  readonly stopGraceMs?: number;
  /** Aborted on a second Ctrl-C: the run ends at once, what is open journaled first. Its reason names the signal. */
  readonly force?: AbortSignal;
  /**
   * Subscribes to "the event loop has nothing left to do" (the CLI: process 'beforeExit'): handlers
   * then pending can never settle and fail with HandlerNeverSettled. Returns the unsubscribe.
   */
  readonly onLoopDrained?: (listener: () => void) => () => void;
  /** The project's hooks (before-run, after-run, on-failure), in registration order. */
  readonly hooks?: readonly Hook[];
  /** The project root: handler locations in messages are relative to it. */
  readonly root?: string;
}

export interface RunOutcome {
  readonly status: 'passed' | 'failed' | 'interrupted';
  readonly failedStepId?: string;
  readonly durationMs: number;
  /** Why it ended so, when its status does not say it all (the signal, a grace period that ran out). */
  readonly reason?: string;
}
