// Diagnostics as text for people: `file:line:column severity CODE message`, a code frame of the
// line before and the offending line, a caret under the column (and the span on that line), the hint.
import type { Diagnostic } from './types.ts';

export interface RenderOptions {
  readonly color: boolean;
}

const STYLES = { red: '\u001b[31m', yellow: '\u001b[33m', dim: '\u001b[2m', bold: '\u001b[1m', cyan: '\u001b[36m', reset: '\u001b[0m' } as const;

function paint(options: RenderOptions, style: keyof typeof STYLES, text: string): string {
  return options.color ? `${STYLES[style]}${text}${STYLES.reset}` : text;
}

function sourceLines(text: string): string[] {
  return text.split(/\r\n?|\n/);
}

/** Tabs are shown as two spaces so that the caret lines up whatever the terminal's tab width. */
function visible(line: string): string {
  return line.replace(/\t/g, '  ');
}

function caretLine(lineText: string, column: number, width: number): string {
  const before = visible(lineText.slice(0, column - 1));
  const under = Math.max(1, Math.min(width, lineText.length - (column - 1)));
  return ' '.repeat(before.length) + '^'.repeat(under);
}

function frame(diagnostic: Diagnostic, sourceText: string, options: RenderOptions): string[] {
  const span = diagnostic.span;
  if (!span) return [];
  const lines = sourceLines(sourceText);
  const { line, column } = span.start;
  const current = lines[line - 1];
  if (current === undefined) return [];
  const gutterWidth = String(line).length;
  const gutter = (n: number | null) => paint(options, 'dim', `${n === null ? ' '.repeat(gutterWidth) : String(n).padStart(gutterWidth)} | `);
  const out: string[] = [];
  const previous = lines[line - 2];
  if (previous !== undefined && previous.trim() !== '') out.push(`  ${gutter(line - 1)}${visible(previous)}`);
  out.push(`${paint(options, 'bold', '>')} ${gutter(line)}${visible(current)}`);
  const width = span.end.line === line ? span.end.column - column : current.length - (column - 1);
  const marker = paint(options, diagnostic.severity === 'error' ? 'red' : 'yellow', caretLine(current, column, width));
  out.push(`  ${gutter(null)}${marker}`);
  return out;
}

/** One diagnostic, rendered with its location, a code frame with a caret, and the hint. */
export function renderDiagnostic(diagnostic: Diagnostic, sourceText: string, options: RenderOptions = { color: false }): string {
  const where = diagnostic.span ? `${diagnostic.file}:${diagnostic.span.start.line}:${diagnostic.span.start.column}` : diagnostic.file;
  const severity = paint(options, diagnostic.severity === 'error' ? 'red' : 'yellow', diagnostic.severity);
  const out = [`${paint(options, 'bold', where)} ${severity} ${paint(options, 'dim', diagnostic.code)} ${diagnostic.message}`];
  out.push(...frame(diagnostic, sourceText, options));
  if (diagnostic.hint) out.push(`  ${paint(options, 'cyan', 'hint:')} ${diagnostic.hint}`);
  return `${out.join('\n')}\n`;
}
