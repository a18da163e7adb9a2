// How `seqrun check` writes its findings: pretty (code frames), JSON, or GitHub workflow commands.
// Pure string functions; the command decides where the text goes.
import { escapeControls } from '../../diagnostics/escape.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';

export type CheckFormat = 'pretty' | 'json' | 'github';

export interface CheckSummary {
  readonly diagrams: number;
  readonly steps: number;
  readonly bound: number;
  readonly undefinedSteps: number;
  readonly ambiguousSteps: number;
  readonly unusedHandlers: number;
  readonly errors: number;
  readonly warnings: number;
}

/** Escapes a workflow command's message (`%`, CR, LF; other control characters as in every output). */
export function escapeData(text: string): string {
  return escapeControls(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Escapes a workflow command's property value (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One `::error file=…,line=…,col=…,title=…::message` line per diagnostic. */
export function githubAnnotations(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const properties = [`file=${escapeProperty(d.file)}`];
      if (d.span) {
        properties.push(`line=${d.span.start.line}`, `col=${d.span.start.column}`);
        if (d.span.end.line > d.span.start.line) properties.push(`endLine=${d.span.end.line}`);
        else if (d.span.end.column > d.span.start.column) properties.push(`endColumn=${d.span.end.column}`);
      }
      properties.push(`title=${escapeProperty(`seqrun ${d.code}`)}`);
      const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
      return `::${d.severity} ${properties.join(',')}::${escapeData(message)}\n`;
    })
    .join('');
}

export function jsonReport(diagnostics: readonly Diagnostic[], summary: CheckSummary, fatal = false): string {
  const ok = summary.errors === 0;
  const entries = diagnostics.map((d) => ({
    code: d.code,
    severity: d.severity,
    message: d.message,
    hint: d.hint ?? null,
    file: d.file,
    line: d.span?.start.line ?? null,
    column: d.span?.start.column ?? null,
  }));
  return `${JSON.stringify({ ok, checked: !fatal, summary, diagnostics: entries }, null, 2)}\n`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function summaryLine(summary: CheckSummary, fatal = false): string {
  if (fatal) return `${plural(summary.errors, 'error')} while loading the config, bindings or diagrams: nothing was checked.\n`;
  const parts = [`${plural(summary.diagrams, 'diagram')}, ${plural(summary.steps, 'step')}: ${summary.bound} bound`];
  if (summary.undefinedSteps > 0) parts.push(`${summary.undefinedSteps} undefined`);
  if (summary.ambiguousSteps > 0) parts.push(`${summary.ambiguousSteps} ambiguous`);
  const tail = summary.unusedHandlers > 0 ? `; ${plural(summary.unusedHandlers, 'unused handler')}` : '';
  const verdict = summary.errors === 0 ? 'diagrams and bindings are in sync' : plural(summary.errors, 'error');
  return `${parts.join(', ')}${tail}. ${verdict}${summary.warnings > 0 ? `, ${plural(summary.warnings, 'warning')}` : ''}.\n`;
}
