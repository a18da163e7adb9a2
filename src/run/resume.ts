// What a journal says about a run that stopped: which steps passed (and their outputs), which jobs
// are still out there (their handles), the last run state. `seqrun resume` continues from this.
import type { RunEvent, RunFinished, RunStarted } from './events.ts';
import { foldJournal, isOpenJob, type JournalFold } from './fold.ts';
import type { ResumePoint } from './executor.ts';

export interface JournalSummary extends ResumePoint {
  readonly started: RunStarted | null;
  /** The last `run-finished`, null when the runner died before writing one. */
  readonly finished: RunFinished | null;
  /** The sandbox the run last ran against (null: none). */
  readonly sandbox: string | null;
}

export function summarizeJournal(events: readonly RunEvent[]): JournalSummary {
  return summaryOf(foldJournal(events));
}

/** What a resume takes over from the fold of its journal. */
export function summaryOf(fold: JournalFold): JournalSummary {
  const passed = new Map<string, unknown>();
  const openJobs = new Map<string, unknown>();
  const progress = new Map<string, unknown[]>();
  for (const step of fold.steps.values()) {
    if (step.status === 'passed') passed.set(step.id, step.output);
    if (isOpenJob(step.job)) openJobs.set(step.id, step.job.handle);
    if (step.progress.length > 0) progress.set(step.id, [...step.progress]);
  }
  const hooksPassed = new Set([...fold.hooks.values()].filter((h) => h.status === 'passed').map((h) => h.hookRun));
  const { started, finished, sandbox, state } = fold;
  return { started, finished, sandbox, state, passed, openJobs, progress, hooksPassed, decisions: fold.blocks };
}

/**
 * Why a run cannot be resumed against the sandbox it would run against now (`current`, null: none),
 * or null. A sandbox starts empty, so a run that did something in another one (a step passed, a job
 * is open) would find its buckets, images and builds gone.
 */
export function sandboxGone(summary: JournalSummary, current: string | null): string | null {
  if (summary.sandbox === null || summary.sandbox === current) return null;
  if (summary.passed.size === 0 && summary.openJobs.size === 0) return null;
  const now = current === null ? 'no sandbox' : `sandbox ${current}`;
  return (
    `ran against sandbox ${summary.sandbox}, which is gone (this would run against ${now}). ` +
    "'seqrun sandbox up' starts an empty sandbox: the run's S3 objects, images and builds went with the old one, so a run cannot resume across a sandbox restart. " +
    `Start a new run instead: seqrun run --sandbox ${summary.started?.diagram ?? 'FILE'}${summary.started?.profile ? ` --profile ${summary.started.profile}` : ''}`
  );
}
