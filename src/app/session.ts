// A run as the application composes it: open the journal, subscribe the reporters, execute the plan,
// and map the outcome to an exit code. The engine (src/run) only emits events; resume shares all but the start.
import { hostname } from 'node:os';
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { escapeControls } from '../diagnostics/escape.ts';
import type { Plan } from '../bind/types.ts';
import { baseId, type RunEvent } from '../run/events.ts';
import { createReporters, type Reporter, type RunMeta } from '../report/index.ts';
import { hookLabel, locator } from '../report/types.ts';
import { blockHeader, plannedBlocks } from '../bind/blocks.ts';
import { autonumbers, numbered } from '../ast/autonumber.ts';
import { stepLabel } from '../run/context.ts';
import { runPlan, type ResumePoint } from '../run/executor.ts';
import type { Lease } from '../store/lease.ts';
import { openJournal, type JournalChoice } from './journal-store.ts';
import type { LoopDrained } from '../run/liveness.ts';
import type { Redactor } from '../run/redact.ts';
import type { Prepared } from './prepare.ts';
import { EXIT, signalExit } from './exit-codes.ts';
import { LeftJobs } from './left-jobs.ts';
import type { RunIo } from './io.ts';

export interface ReportOptions {
  readonly format: 'auto' | 'plain' | 'json';
  readonly junit?: string | undefined;
  readonly leaveJobs: boolean;
  /** Aborted by the first Ctrl-C or SIGTERM, with the signal's name as its reason. */
  readonly interrupt: AbortSignal;
  /** Aborted by a second one: the run ends at once, journaled (see RunOptions.force). */
  readonly force?: AbortSignal;
  /** See RunOptions.onLoopDrained. */
  readonly onLoopDrained?: LoopDrained;
  /** Sees each event right after the journal has it (the CLI's kill drills, src/cli/drill.ts). */
  readonly afterJournal?: ((event: RunEvent) => void) | null;
}

export { EXIT } from './exit-codes.ts';

export function runMeta(plan: Plan, diagram: string, journal: string): RunMeta {
  // mermaid's `autonumber`: the number drawn beside a message heads its label, `(3) CI->>AWS: Build`.
  const numbers = autonumbers(plan.diagram);
  const steps = plan.steps.map((p) => ({
    id: p.id,
    kind: p.kind,
    ...(p.mode ? { mode: p.mode } : {}),
    label: numbered(numbers.get(p.step), stepLabel(p)),
    line: p.step.span.start.line,
    column: p.step.span.start.column,
  }));
  const blocks = [...plannedBlocks(plan.tree ?? [])].map((b) => ({
    id: b.id,
    label: blockHeader(b),
    line: b.span.start.line,
    column: b.span.start.column,
  }));
  return { diagram, steps, ...(blocks.length > 0 ? { blocks } : {}), journal };
}

/** `step s4#2 failed at specs/release.mmd:6:5 (CI->>AWS: Build the app): message`. */
function failedAt(meta: RunMeta, where: ReturnType<typeof locator>, what: 'step' | 'block', id: string, message: string): string {
  const at = where(id);
  return `${what} ${id} failed at ${meta.diagram}:${at?.line ?? 0}:${at?.column ?? 0} (${at?.label ?? ''}): ${message}`;
}

export function trigger(env: Readonly<Record<string, string | undefined>>): string {
  if (env['GITHUB_RUN_ID'] && env['GITHUB_REPOSITORY']) {
    return `${env['GITHUB_SERVER_URL'] ?? 'https://github.com'}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`;
  }
  return env['CI_JOB_URL'] ?? env['BUILD_URL'] ?? `${env['USER'] ?? env['USERNAME'] ?? 'someone'}@${hostname()}`;
}

export interface Execution {
  readonly prepared: Prepared;
  readonly runId: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly resume?: ResumePoint;
  /** Earlier events of a resumed run, for the JUnit report. */
  readonly history?: readonly RunEvent[];
  /** The run's redactor (its secret vars and env, and the config's `secrets`): every event passes through it. */
  readonly redactor: Redactor;
  /** An S3 journal beside the local one, and the lease held on the release there (src/app/journal-store.ts). */
  readonly store?: { readonly choice: JournalChoice; readonly lease: Lease | null };
}

/** Executes with the journal and reporters subscribed; returns the exit code. */
/**
 * The reporters `--format` and `--junit` ask for, on this terminal, for either engine; `history`: the
 * earlier events of a resumed run, which the live list and JUnit show too.
 */
export function runReporters(
  meta: RunMeta,
  report: Pick<ReportOptions, 'format' | 'junit' | 'interrupt'>,
  io: RunIo,
  history?: readonly RunEvent[],
): Reporter[] {
  const { junit } = report;
  return createReporters(meta, {
    format: report.format,
    tty: io.isTTY,
    noColor: io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '',
    rows: io.rows,
    write: io.stdout,
    interrupt: report.interrupt,
    ...(history ? { history } : {}),
    ...(junit ? { junit: { save: (xml: string) => writeFileSync(resolve(io.cwd, junit), xml), history: history ?? [] } } : {}),
  });
}

export async function execute(run: Execution, report: ReportOptions, io: RunIo): Promise<number> {
  const { prepared } = run;
  // When the S3 journal cannot be written or the lease is lost, the run ends at once (fencing).
  const fence = new AbortController();
  let fenced: string | null = null;
  const journal = await openJournal(prepared.project.root, run.runId, run.store?.choice ?? null, io.env, {
    lease: run.store?.lease ?? null,
    history: run.history ?? [],
    onStop: (why) => {
      fenced = why;
      fence.abort(`stopped by the journal store: ${why}`);
    },
  });
  const meta = runMeta(prepared.plan, prepared.display, relative(io.cwd, journal.path) || journal.path);
  const reporters = runReporters(meta, report, io, run.history);
  const failures: string[] = [];
  /** Where each failed step's line is in `failures`: a critical block that compensates it says so there. */
  const failedLine = new Map<string, number>();
  const where = locator(meta);
  const left = new LeftJobs();
  const onEvent = (event: RunEvent): void => {
    left.onEvent(event);
    journal.write(event);
    report.afterJournal?.(event);
    for (const reporter of reporters) reporter.onEvent(event);
    if (event.type === 'step-finished' && event.status === 'failed') {
      // A loop iteration's step (`s4#2`) is at its step's (`s4`) line.
      failedLine.set(event.stepId, failures.length);
      failures.push(`seqrun: ${escapeControls(failedAt(meta, where, 'step', event.stepId, event.error?.message ?? 'failed'))}`);
    }
    if (event.type === 'block' && event.what === 'compensation' && (event.branch ?? -1) >= 0 && event.failedStepId !== undefined) {
      const at = failedLine.get(event.failedStepId);
      // Its failure is still reported, said compensated: it did not stop the run.
      if (at !== undefined) failures[at] += ` (compensated by block ${event.blockId}'s option ${(event.branch ?? 0) + 1})`;
    }
    if (event.type === 'hook-finished' && event.status === 'failed')
      failures.push(`seqrun: ${escapeControls(`${hookLabel(event)} failed: ${event.error?.message ?? 'failed'}`)}`);
  };
  const { config } = prepared.project;
  const outcome = await runPlan(prepared.plan, {
    runId: run.runId,
    diagram: prepared.diagramRef,
    diagramHash: prepared.hash,
    vars: run.vars,
    env: io.env,
    config: { ...config.settings, participants: config.participants, profile: config.profile },
    ...(config.reportUrl === null ? {} : { reportUrl: config.reportUrl }),
    trigger: trigger(io.env),
    profile: config.profile,
    leaveJobs: report.leaveJobs,
    interrupt: report.interrupt,
    force: report.force ? AbortSignal.any([report.force, fence.signal]) : fence.signal,
    ...(report.onLoopDrained ? { onLoopDrained: report.onLoopDrained } : {}),
    stopGraceMs: config.timeouts.stopGrace,
    cancelTimeoutMs: config.timeouts.cancelGrace,
    root: prepared.project.root,
    hooks: prepared.project.registry.hooks,
    onEvent,
    pid: io.pid,
    ...(io.env['SEQRUN_SANDBOX_ID'] ? { sandbox: io.env['SEQRUN_SANDBOX_ID'] } : {}),
    redactor: run.redactor,
    secretNames: config.secrets,
    ...(run.resume ? { resume: run.resume } : {}),
  });
  for (const reporter of reporters) reporter.close();
  journal.close();
  for (const line of failures) io.stderr(`${line}\n`);
  const leftLine = left.message(run.runId, (id) => where(id)?.label ?? '');
  if (leftLine !== null) io.stderr(leftLine);
  if (fenced !== null) {
    io.stderr(
      `seqrun: the run stopped before its next step: ${escapeControls(fenced)}. Its events are in ${meta.journal}; ` +
        `continue it where the journal store can be reached: seqrun resume ${run.runId} --journal ${run.store?.choice.url ?? ''}\n`,
    );
    return EXIT.journalStopped;
  }
  if (outcome.status === 'interrupted')
    io.stderr(`seqrun: interrupted (${outcome.reason ?? 'stop request'}); resume with: seqrun resume ${run.runId}\n`);
  else if (outcome.reason) {
    // A block that failed itself (a condition that threw, a loop's bound, a top-level break) is named with its header's place.
    const block = outcome.failedStepId !== undefined && meta.blocks?.some((b) => b.id === baseId(outcome.failedStepId ?? ''));
    const said = block ? failedAt(meta, where, 'block', outcome.failedStepId ?? '', outcome.reason) : outcome.reason;
    io.stderr(`seqrun: ${escapeControls(said)}\n`);
  }
  return outcome.status === 'interrupted' ? signalExit(report.interrupt.reason) : EXIT[outcome.status];
}

/** `--dry-run`: what would run, how each step is bound, where jobs are joined. */
export function describePlan(prepared: Prepared, cwd: string): string {
  const { plan } = prepared;
  const lines = [`dry run: ${escapeControls(prepared.display, { singleLine: true })} (${plan.steps.length} steps; nothing executed)`];
  for (const p of plan.steps) {
    const b = p.binding;
    const how =
      b.status === 'builtin'
        ? `built-in ${b.name}`
        : b.status === 'bound'
          ? `${relative(cwd, b.handler.source.file) || b.handler.source.file}:${b.handler.source.line}`
          : b.status;
    const rel = (i: number | null | undefined) => (i === null || i === undefined ? 'the end' : `s${i}`);
    const role =
      p.kind === 'call'
        ? p.mode === 'job'
          ? `job, joined at ${rel(p.joinedAt)}`
          : 'sync'
        : p.kind === 'reply'
          ? `answers ${rel(p.answers)}`
          : p.kind === 'expect'
            ? `checks ${rel(p.expectationOf)}`
            : 'action';
    const extra = [
      p.options.timeoutMs ? `timeout ${p.options.timeoutMs} ms` : '',
      p.options.retry ? `${p.options.retry.attempts} attempts` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  ${p.id.padEnd(5)} ${`line ${p.step.span.start.line}`.padEnd(9)} ${p.kind.padEnd(6)} ${escapeControls(stepLabel(p), { singleLine: true })}  [${role}; ${how}${extra ? `; ${extra}` : ''}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}
