// The journal and reporters of a run on Step Functions (stepfunctions-run.ts): the run events read from
// the execution's history go where a local run's go (src/app/session.ts does the same for the local
// engine): redacted, to the local journal and the reporters; and to the S3 journal, when one is chosen,
// what the workers do not write there themselves (stepfunctions-run-share.ts).
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter } from '../report/index.ts';
import { escapeControls } from '../diagnostics/escape.ts';
import type { RunEvent } from '../run/events.ts';
import { journalPath, JournalWriter } from '../run/journal.ts';
import type { Redactor } from '../run/redact.ts';
import type { SharedJournal } from '../store/shared-journal.ts';
import { EXIT, signalExit } from './exit-codes.ts';
import type { RunIo } from './io.ts';
import type { Prepared } from './prepare.ts';
import { runMeta, runReporters } from './session.ts';
import { RunShare } from './stepfunctions-run-share.ts';

export interface StepFunctionsReport {
  readonly format: 'auto' | 'plain' | 'json';
  readonly junit?: string | undefined;
  /** Aborted by Ctrl-C or SIGTERM (its reason the signal's name): the execution is stopped. */
  readonly interrupt: AbortSignal;
}

interface JournalContext {
  readonly io: RunIo;
  readonly report: StepFunctionsReport;
  readonly redactor: Redactor;
  /** The S3 journal the workers write, when one is chosen. */
  readonly shared: SharedJournal | null;
  /** Written afresh from the history: a follower attached to a run another began (an earlier one in this checkout may have left part of it). */
  readonly fresh?: boolean;
}

/** The run's events as a local run's: redacted, journaled (locally, and in S3 when chosen), reported; the exit code from run-finished. */
export class RunJournal {
  private readonly local: JournalWriter;
  private readonly reporters: Reporter[];
  private readonly meta: ReturnType<typeof runMeta>;
  private readonly failures: string[] = [];
  private readonly context: JournalContext;
  private readonly runId: string;
  private readonly share = new RunShare();
  private finished: Extract<RunEvent, { type: 'run-finished' }> | null = null;
  private storeFailed: string | null = null;
  private readonly notes: string[] = [];

  constructor(prepared: Prepared, runId: string, context: JournalContext) {
    const { io, report } = context;
    this.context = context;
    this.runId = runId;
    if (context.fresh) rmSync(journalPath(prepared.project.root, runId), { force: true });
    this.local = JournalWriter.open(prepared.project.root, runId);
    this.meta = runMeta(prepared.plan, prepared.display, relative(io.cwd, this.local.path) || this.local.path);
    this.reporters = runReporters(this.meta, report, io);
  }

  async write(events: readonly RunEvent[]): Promise<void> {
    const redacted = events.map((event) => this.context.redactor.value(event));
    for (const event of redacted) {
      this.local.write(event);
      for (const reporter of this.reporters) reporter.onEvent(event);
      if (event.type === 'run-finished') this.finished = event;
      if (event.type === 'step-finished' && event.status === 'failed') this.failures.push(this.failureLine(event));
    }
    const { shared } = this.context;
    if (shared === null || redacted.length === 0 || this.storeFailed !== null) return;
    const added = this.share.take(redacted);
    await shared
      .append(this.runId, (view) => added(view.events))
      .catch((error: unknown) => {
        this.storeFailed = error instanceof Error ? error.message : String(error);
      });
  }

  /** The local journal, as reports name it. */
  get path(): string {
    return this.meta.journal;
  }

  /** A line for stderr once the run has ended (the reporters own stdout until then). */
  note(line: string): void {
    this.notes.push(`seqrun: ${escapeControls(line)}\n`);
  }

  private failureLine(event: Extract<RunEvent, { type: 'step-finished' }>): string {
    const base = event.stepId.split('#')[0];
    const step = this.meta.steps.find((s) => s.id === event.stepId) ?? this.meta.steps.find((s) => s.id === base);
    const failure = `step ${event.stepId} failed at ${this.meta.diagram}:${step?.line ?? 0}:${step?.column ?? 0} (${step?.label ?? ''}): ${event.error?.message ?? 'failed'}`;
    return `seqrun: ${escapeControls(failure)}\n`;
  }

  /** Runs `follow`, then closes the reporters and the journal and says how the run ended: its exit code. */
  async closing(follow: () => Promise<void>): Promise<number> {
    const { io, report } = this.context;
    try {
      await follow();
    } finally {
      for (const reporter of this.reporters) reporter.close();
      this.local.close();
    }
    for (const line of [...this.failures, ...this.notes]) io.stderr(line);
    if (this.storeFailed !== null)
      io.stderr(
        `seqrun: the S3 journal could not be written (${escapeControls(this.storeFailed)}); the run's events are in ${this.meta.journal}\n`,
      );
    const finished = this.finished;
    if (finished?.status === 'interrupted' && report.interrupt.aborted) {
      io.stderr(`seqrun: interrupted (${escapeControls(finished.reason ?? 'stop request')}); the execution ${this.runId} was stopped\n`);
      return signalExit(report.interrupt.reason);
    }
    if (finished?.reason) io.stderr(`seqrun: ${escapeControls(finished.reason)}\n`);
    if (this.storeFailed !== null) return EXIT.journalStopped;
    return finished?.status === 'passed' ? EXIT.passed : EXIT.failed;
  }
}
