// Typed run events. The runtime emits them; the journal, reporters and renderers only subscribe.
// One event is one line of `.seqrun/runs/<run-id>/journal.ndjson`.
import type { HookKind } from '../bind/hooks.ts';
import type { StepKind } from '../bind/types.ts';

export type StepStatus = 'passed' | 'failed' | 'skipped' | 'cancelled';

interface EventBase {
  /** ISO timestamp. */
  readonly at: string;
  readonly runId: string;
}

/** A step as the run saw it, in `run-started`: what the journal needs to be read without the diagram's bindings. */
export interface JournaledStep {
  readonly id: string;
  readonly kind: StepKind;
  readonly text: string;
  readonly line: number;
  readonly column: number;
  /** Calls only: a job (started, then joined) or a sync call. Absent in older journals. */
  readonly mode?: 'sync' | 'job';
  /** Job calls only: the id of the reply that joins the job, null when it is joined at the end. Absent in older journals. */
  readonly joinedAt?: string | null;
}

/** A step's or block's id without the loop iterations around it (`s4#2` → `s4`, `b1#3` → `b1`): where it is drawn. */
export function baseId(id: string): string {
  const hash = id.indexOf('#');
  return hash < 0 ? id : id.slice(0, hash);
}

/** The error name of a job the run left running (`--leave-jobs`, a forced end): a resume re-attaches it. */
export const JOB_LEFT_RUNNING = 'JobLeftRunning';

export interface RunStarted extends EventBase {
  readonly type: 'run-started';
  /** The diagram file (or `doc.md#slug`) and a sha256 of its text, to refuse a resume after edits. */
  readonly diagram: string;
  readonly diagramHash: string;
  readonly title: string | null;
  readonly vars: Readonly<Record<string, string>>;
  /** Who or what started it (user@host, CI job URL). */
  readonly trigger: string;
  /** The config profile the run was started with (null: none); `seqrun resume` uses the same. Absent in older journals. */
  readonly profile?: string | null;
  readonly steps: readonly JournaledStep[];
  /** The sandbox the run ran against (`SEQRUN_SANDBOX_ID`), absent otherwise: a resume checks it is still there. */
  readonly sandbox?: string;
}

export interface RunResumed extends EventBase {
  readonly type: 'run-resumed';
  readonly pid: number;
  readonly sandbox?: string;
}

export interface StepStarted extends EventBase {
  readonly type: 'step-started';
  readonly stepId: string;
  readonly attempt: number;
}

export interface JobStarted extends EventBase {
  readonly type: 'job-started';
  readonly stepId: string;
  /** The JSON handle returned by the job's `start` (e.g. a CodeBuild build id). */
  readonly handle: unknown;
}

/** Part of what a step has done so far (`ctx.progress`), e.g. one build of several started. */
export interface StepProgress extends EventBase {
  readonly type: 'step-progress';
  readonly stepId: string;
  readonly attempt: number;
  readonly part: unknown;
}

export interface StepLog extends EventBase {
  readonly type: 'log';
  /** The step that logged, or a hook's run (its `hookRun` id, e.g. `h0` or `h2:s4`). */
  readonly stepId: string;
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface StepFinished extends EventBase {
  readonly type: 'step-finished';
  readonly stepId: string;
  readonly status: StepStatus;
  readonly attempt: number;
  readonly durationMs: number;
  readonly output?: unknown;
  readonly error?: { readonly message: string; readonly name?: string };
}

export interface StateChanged extends EventBase {
  readonly type: 'state';
  readonly state: Readonly<Record<string, unknown>>;
}

export interface RunFinished extends EventBase {
  readonly type: 'run-finished';
  readonly status: 'passed' | 'failed' | 'interrupted';
  readonly durationMs: number;
  /** The step that failed the run, if any. */
  readonly failedStepId?: string;
  /** Why it ended so, when its status does not say it all (the signal, a grace period that ran out). */
  readonly reason?: string;
}

/**
 * One run of a hook. `hookRun` names it in the journal: the hook's id (`h0`), and for an on-failure
 * hook the failed step's too (`h2:s4`), since it runs once per failed step.
 */
export interface HookStarted extends EventBase {
  readonly type: 'hook-started';
  readonly hookRun: string;
  readonly hookId: string;
  readonly hook: HookKind;
  readonly name: string;
  /** On-failure hooks: the step that failed. */
  readonly failedStep?: string;
}

export interface HookFinished extends EventBase {
  readonly type: 'hook-finished';
  readonly hookRun: string;
  readonly hookId: string;
  readonly hook: HookKind;
  readonly name: string;
  readonly status: 'passed' | 'failed';
  readonly durationMs: number;
  readonly failedStep?: string;
  readonly error?: { readonly message: string; readonly name?: string };
}

/**
 * A decision or the end of a mermaid block (par, loop, alt, opt, critical, break): journaled so that a
 * resume takes the same branch and the same items, and so that a render can draw what ran.
 * `blockId` is the plan's (`b3`), with the loop iterations the block sits in (`b3#2`).
 */
export interface BlockEvent extends EventBase {
  readonly type: 'block';
  readonly blockId: string;
  /**
   * branch: the alt/opt/break branch taken (`branch`, -1: none); items: a loop's items; guard: a
   * loop guard's answer before `iteration`; compensation: the critical option run for `error`
   * (`branch`, -1: none matched); ended: the block ended, with its `iterations` (loop), its
   * branches' durations (`branchMs`, par) and its `status`.
   */
  readonly what: 'branch' | 'items' | 'guard' | 'compensation' | 'ended';
  readonly branch?: number;
  readonly items?: readonly unknown[];
  readonly iteration?: number;
  readonly holds?: boolean;
  readonly error?: { readonly message: string; readonly name?: string };
  /** compensation: the step (or block) whose failure `error` is. Absent in older journals. */
  readonly failedStepId?: string;
  readonly iterations?: number;
  readonly branchMs?: readonly number[];
  readonly status?: 'passed' | 'failed' | 'compensated' | 'broke';
  readonly durationMs?: number;
}

export type RunEvent =
  | RunStarted
  | RunResumed
  | StepStarted
  | JobStarted
  | StepProgress
  | StepLog
  | StepFinished
  | StateChanged
  | RunFinished
  | BlockEvent
  | HookStarted
  | HookFinished;
