// `seqrun plan` output: the plan of one diagram as a table, then what runs while each job is open.
import { isAbsolute, relative } from 'node:path';
import type { Plan, PlannedStep } from '../../bind/types.ts';
import { escapeControls } from '../../diagnostics/escape.ts';
import { formatStatement } from '../../syntax/printer.ts';
import { MAX_TIMER_MS } from '../../bind/timeouts.ts';
import { formatDuration } from '../../report/duration.ts';
import { planTreeText } from './plan-tree.ts';

function handlerCell(planned: PlannedStep, cwd: string): string {
  const { binding } = planned;
  const at = (file: string, line: number): string => `${isAbsolute(file) ? relative(cwd, file) : file}:${line}`;
  switch (binding.status) {
    case 'bound':
      return at(binding.handler.source.file, binding.handler.source.line);
    case 'builtin':
      return `built-in ${binding.name}`;
    case 'undefined':
      return 'UNDEFINED';
    case 'ambiguous':
      return `AMBIGUOUS: ${binding.candidates.map((h) => at(h.source.file, h.source.line)).join(', ')}`;
  }
}

function argsCell(planned: PlannedStep): string {
  if (planned.binding.status !== 'bound' || planned.binding.args.length === 0) return '';
  return planned.binding.args.map((a) => JSON.stringify(a) ?? String(a)).join(', ');
}

function relationCell(planned: PlannedStep, plan: Plan): string {
  const ref = (index: number | null | undefined): string => {
    if (index === null || index === undefined) return 'nothing';
    const target = plan.steps[index];
    return target ? `line ${target.step.span.start.line} (${target.step.text})` : `step ${index}`;
  };
  if (planned.kind === 'reply') return `answers ${ref(planned.answers)}`;
  if (planned.kind === 'expect') return `checks ${ref(planned.expectationOf)}`;
  if (planned.mode === 'job')
    return planned.joinedAt === null ? 'joined at the end' : `joined at line ${plan.steps[planned.joinedAt ?? -1]?.step.span.start.line}`;
  return '';
}

/** The step's time limit: its own, or the default for its kind (the config's `timeouts`). */
function timeoutCell(planned: PlannedStep): string {
  const ms = planned.options.timeoutMs;
  return ms === undefined || ms > MAX_TIMER_MS ? 'none' : formatDuration(ms);
}

/** Diagram texts, names and paths in one cell: control characters and line breaks shown escaped. */
const cell = (text: string): string => escapeControls(text, { singleLine: true });

function table(cells: readonly (readonly string[])[]): string {
  const rows = cells.map((r) => r.map(cell));
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The plan as a readable table plus a section on jobs and what overlaps them. */
export function planTable(plan: Plan, cwd: string): string {
  const file = isAbsolute(plan.diagram.file) ? relative(cwd, plan.diagram.file) : plan.diagram.file;
  // `#`: the step's id, as `run`, `logs`, the journal and every report name it.
  const header = ['#', 'LINE', 'STEP', 'KIND', 'HANDLER', 'ARGS', 'MODE', 'TIMEOUT', 'PAIRING'];
  const rows = plan.steps.map((s) => [
    s.id,
    String(s.step.span.start.line),
    formatStatement(s.step),
    s.kind,
    handlerCell(s, cwd),
    argsCell(s),
    s.mode ?? '',
    timeoutCell(s),
    relationCell(s, plan),
  ]);
  const out = [
    `${cell(file)}${plan.diagram.name ? `#${plan.diagram.slug}` : ''}: ${plan.steps.length} steps`,
    '',
    table([header, ...rows]),
  ];
  const jobs = plan.steps.filter((s) => s.mode === 'job');
  if (jobs.length > 0) out.push('', 'Jobs (the steps that run while each job is open):');
  for (const job of jobs) {
    const overlapping = (job.overlaps ?? []).map((i) => plan.steps[i]).filter((s) => s !== undefined);
    const join =
      job.joinedAt === null || job.joinedAt === undefined
        ? 'the end of the diagram'
        : `line ${plan.steps[job.joinedAt]?.step.span.start.line}`;
    out.push(`  line ${job.step.span.start.line} ${cell(job.step.text)} (joined at ${join})`);
    if (overlapping.length === 0) out.push('    nothing else runs meanwhile');
    for (const s of overlapping) out.push(`    ${`line ${s.step.span.start.line}`.padEnd(9)}${cell(formatStatement(s.step))}`);
  }
  return `${out.join('\n')}\n${planTreeText(plan, cwd)}`;
}
