// Diagnostics as text for people: `file:line:column severity CODE message`, a code frame of the
// line before and the offending line, a caret under the column (and the span on that line), the hint.
// Text from files is shown with its control characters escaped; see escape.ts.
import { codeFrame } from './code-frame.ts';
import type { FramePart } from './code-frame.ts';
import { escapeControls } from './escape.ts';
import { LineIndex } from './lines.ts';
import type { Diagnostic } from './types.ts';

export interface RenderOptions {
  readonly color: boolean;
}

const STYLES = {
  red: '\u001b[31m',
  yellow: '\u001b[33m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
  cyan: '\u001b[36m',
  reset: '\u001b[0m',
} as const;

function paint(options: RenderOptions, style: keyof typeof STYLES, text: string): string {
  return options.color ? `${STYLES[style]}${text}${STYLES.reset}` : text;
}

function frame(diagnostic: Diagnostic, source: LineIndex | string | null, options: RenderOptions): string[] {
  const span = diagnostic.span;
  if (!span || source === null) return [];
  const { line, column } = span.start;
  const lines = typeof source === 'string' ? new LineIndex(source) : source;
  const width = span.end.line === line ? span.end.column - column : lines.lineText(line).length - (column - 1);
  const severity = diagnostic.severity === 'error' ? 'red' : 'yellow';
  const styles: Record<FramePart, keyof typeof STYLES> = { gutter: 'dim', marker: 'bold', caret: severity };
  return codeFrame(lines, { line, column, width }, { before: 1, after: 0, paint: (part, text) => paint(options, styles[part], text) });
}

/**
 * One diagnostic, rendered with its location, a code frame with a caret, and the hint. `source` is
 * the file's text or its line index (pass the index when rendering many diagnostics of one file), or
 * null for no frame.
 */
export function renderDiagnostic(
  diagnostic: Diagnostic,
  source: LineIndex | string | null,
  options: RenderOptions = { color: false },
): string {
  const file = escapeControls(diagnostic.file, { singleLine: true });
  const where = diagnostic.span ? `${file}:${diagnostic.span.start.line}:${diagnostic.span.start.column}` : file;
  const severity = paint(options, diagnostic.severity === 'error' ? 'red' : 'yellow', diagnostic.severity);
  const out = [
    `${paint(options, 'bold', where)} ${severity} ${paint(options, 'dim', diagnostic.code)} ${escapeControls(diagnostic.message)}`,
  ];
  out.push(...frame(diagnostic, source, options));
  if (diagnostic.hint) out.push(`  ${paint(options, 'cyan', 'hint:')} ${escapeControls(diagnostic.hint)}`);
  return `${out.join('\n')}\n`;
}
