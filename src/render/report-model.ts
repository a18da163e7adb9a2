// What a report page shows, independent of Markdown or HTML: the run's facts and one row per step.
import type { Diagram, Step } from '../ast/types.ts';
import { autonumbers, numbered } from '../ast/autonumber.ts';
import { looksSecret, MASK } from '../run/redact.ts';
import { formatStatement } from '../syntax/printer.ts';
import { codeFrame } from '../diagnostics/code-frame.ts';
import { formatDuration } from '../report/duration.ts';
import { LineIndex } from '../diagnostics/lines.ts';
import type { DrawnStatus, RunView } from './run-view.ts';
import { changedSteps, iterationViews, stepId, stepIndexOf, viewOf } from './run-view.ts';
import { hookWhen } from '../report/types.ts';
import { shownDuration } from './text.ts';

export interface OutputEntry {
  readonly key: string;
  readonly value: string;
  /** Set when the value is an http(s) URL, the only kind drawn as a link. */
  readonly href: string | null;
}

export interface ReportRow {
  /** The step's id as the CLI, the journal and the other reports name it: `s0`, `s1`, ... */
  readonly id: string;
  readonly line: number;
  readonly column: number;
  /** The step as written: `Pay CI->AWS: Copy repo to S3`; headed by its number under mermaid's `autonumber`: `(3) CI->>AWS: Build`. */
  readonly written: string;
  readonly status: DrawnStatus | null;
  readonly duration: string;
  readonly attempts: number;
  readonly outputs: readonly OutputEntry[];
}

export interface ReportFailure {
  readonly row: ReportRow;
  readonly message: string;
  readonly frame: string | null;
}

/** A hook run as a report lists it, apart from the steps. */
export interface HookRow {
  readonly id: string;
  /** `after run: Clean up`, `on failure of s4: Page on-call`. */
  readonly when: string;
  readonly status: 'running' | 'passed' | 'failed';
  readonly duration: string;
  readonly error: string;
}

export interface ReportModel {
  readonly heading: string;
  readonly diagramFile: string;
  readonly run: RunView | null;
  readonly facts: readonly (readonly [string, string])[];
  readonly vars: readonly (readonly [string, string])[];
  readonly rows: readonly ReportRow[];
  readonly hooks: readonly HookRow[];
  readonly failures: readonly ReportFailure[];
  readonly warnings: readonly string[];
}

/** The runtime redacts secrets before journaling; names that look secret (by the runtime's rule) are masked again here. */
export function redactVars(vars: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(vars).map(([k, v]) => [k, looksSecret(k) ? MASK : v]);
}

/** A step as the author wrote it, in the canonical form `seqrun fmt` prints. */
export function writtenStep(step: Step): string {
  return formatStatement(step);
}

function flatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) return value.map(String).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function entry(key: string, value: unknown): OutputEntry {
  const text = flatValue(value);
  return { key, value: text, href: /^https?:\/\/[^\s]+$/.test(text) ? text : null };
}

export function outputEntries(output: unknown, handle: unknown): OutputEntry[] {
  const entries: OutputEntry[] = [];
  if (output !== undefined && output !== null) {
    if (typeof output === 'object' && !Array.isArray(output)) entries.push(...Object.entries(output).map(([k, v]) => entry(k, v)));
    else entries.push(entry('output', output));
  }
  const shown = new Set(entries.map((e) => e.value));
  if (handle !== undefined && !shown.has(flatValue(handle))) entries.push(entry('handle', handle));
  return entries;
}

function runFacts(diagram: Diagram, run: RunView | null): [string, string][] {
  if (!run)
    return [
      ['Diagram', diagram.file],
      ['Status', 'not run'],
    ];
  return [
    ['Status', run.status === 'running' ? 'not finished (no run-finished event: still running, or killed)' : run.status],
    ...(run.resumed ? [['Resumed', 'yes: continued by seqrun resume after it stopped'] as [string, string]] : []),
    ['Started', run.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')],
    ['Duration', run.durationMs === null ? '—' : formatDuration(run.durationMs)],
    ['Triggered by', run.trigger],
    ['Diagram', run.diagram],
    ['Run', run.runId],
    // A block that ended the run (a condition that threw, a loop's bound, a top-level break) is no step row.
    ...(run.failedStepId !== null && stepIndexOf(run.failedStepId) === null
      ? [['Failed at', `block ${run.failedStepId}: ${run.reason ?? 'failed'}`] as [string, string]]
      : []),
  ];
}

export interface ReportInput {
  readonly diagram: Diagram;
  readonly run?: RunView | null;
  /** The diagram file's text, for code frames of failed steps. */
  readonly source?: string | null;
}

export function reportModel({ diagram, run = null, source = null }: ReportInput): ReportModel {
  // A loop's body step is a row per iteration it ran in (`s4#1`, `s4#2`), at its step's line.
  const viewed = diagram.steps.flatMap((step, index) => {
    const iterations = iterationViews(run, index);
    return (iterations.length > 0 ? iterations : [viewOf(run, index)]).map((view) => ({ step, index, view }));
  });
  const numbers = autonumbers(diagram);
  const rows = viewed.map(({ step, index, view }): ReportRow => ({
    id: view?.id ?? stepId(index),
    line: step.span.start.line,
    column: step.span.start.column,
    written: numbered(numbers.get(step), writtenStep(step)),
    status: view?.status ?? null,
    duration: view ? shownDuration(view) : '',
    attempts: view?.attempts ?? 0,
    outputs: view ? outputEntries(view.output, view.handle) : [],
  }));
  const lines = source === null ? null : new LineIndex(source);
  const failures = rows.flatMap((row, i): ReportFailure[] => {
    const view = viewed[i]?.view;
    if (view?.status !== 'failed') return [];
    const frame =
      lines === null ? null : codeFrame(lines, { line: row.line, column: row.column }, { before: 2, after: 2 }).join('\n') || null;
    return [{ row, message: view.error?.message ?? 'failed without an error message', frame }];
  });
  const changed = run ? changedSteps(diagram, run) : [];
  const hooks = (run?.hooks ?? []).map((h): HookRow => ({
    id: h.hookId,
    when: hookWhen(h),
    status: h.status,
    duration: h.durationMs === null ? '' : formatDuration(h.durationMs),
    error: h.error?.message ?? '',
  }));
  return {
    heading: diagram.title?.trim() || run?.title?.trim() || diagram.name || diagram.file,
    diagramFile: diagram.file,
    run,
    facts: runFacts(diagram, run),
    vars: run ? redactVars(run.vars) : [],
    rows,
    hooks,
    failures,
    warnings:
      changed.length > 0 ? [`The diagram changed after this run (steps ${changed.join(', ')}); statuses are drawn by position.`] : [],
  };
}
