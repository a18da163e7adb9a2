// A code frame: the lines around a location with a caret under it. One rule for every frame seqrun
// shows (diagnostics on the terminal, failed steps in HTML reports), on a line index built once per text.
import { escapeControls } from './escape.ts';
import { LineIndex } from './lines.ts';

export interface FrameAt {
  readonly line: number;
  readonly column: number;
  /** Characters under the caret on the line (at least one caret is drawn). */
  readonly width?: number;
}

export type FramePart = 'gutter' | 'marker' | 'caret';

export interface FrameOptions {
  /** Lines of context above and below; blank ones at the edges of the frame are left out. */
  readonly before: number;
  readonly after: number;
  /** Styles a part of the frame (colours); plain text without it. */
  readonly paint?: (part: FramePart, text: string) => string;
}

/** Longer lines are shown as a window of about this many characters around the column. */
const MAX_WIDTH = 160;
const LEAD = 40;

interface Window {
  readonly start: number;
  readonly end: number;
}

/** Tabs as two spaces so that the caret lines up whatever the terminal's tab width; controls escaped. */
function visible(text: string): string {
  return escapeControls(text.replace(/\t/g, '  '), { singleLine: true });
}

function windowAround(text: string, column: number): Window {
  if (text.length <= MAX_WIDTH) return { start: 0, end: MAX_WIDTH };
  const start = Math.max(0, Math.min(column - 1 - LEAD, text.length - MAX_WIDTH));
  return { start, end: start + MAX_WIDTH };
}

function clipped(text: string, window: Window): string {
  const head = window.start > 0 ? '…' : '';
  const tail = text.length > window.end ? '…' : '';
  return head + visible(text.slice(window.start, window.end)) + tail;
}

function caretLine(text: string, at: FrameAt, window: Window): string {
  const head = window.start > 0 ? '…' : '';
  const offset = Math.max(window.start, at.column - 1);
  const before = head + visible(text.slice(window.start, offset));
  const under = visible(text.slice(offset, Math.min(window.end, offset + (at.width ?? 1)))).length;
  return ' '.repeat(before.length) + '^'.repeat(Math.max(1, under));
}

/** The first and last line to show: up to `before`/`after` lines around `line`, minus blank edge lines. */
function shownRange(lines: LineIndex, line: number, options: FrameOptions): [number, number] {
  let first = Math.max(1, line - options.before);
  let last = Math.min(lines.lineCount, line + options.after);
  while (first < line && lines.lineText(first).trim() === '') first++;
  while (last > line && lines.lineText(last).trim() === '') last--;
  return [first, last];
}

/** The frame's lines (no line breaks); none when `at.line` is not a line of the text. */
export function codeFrame(source: LineIndex | string, at: FrameAt, options: FrameOptions): string[] {
  const lines = typeof source === 'string' ? new LineIndex(source) : source;
  if (at.line < 1 || at.line > lines.lineCount) return [];
  const paint = options.paint ?? ((_part: FramePart, text: string) => text);
  const [first, last] = shownRange(lines, at.line, options);
  const window = windowAround(lines.lineText(at.line), at.column);
  const gutterWidth = String(last).length;
  const gutter = (n: number | null, text: string): string =>
    paint('gutter', `${n === null ? ' '.repeat(gutterWidth) : String(n).padStart(gutterWidth)} |${text === '' ? '' : ' '}`) + text;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines.lineText(n);
    const marker = n === at.line ? paint('marker', '>') : ' ';
    out.push(`${marker} ${gutter(n, clipped(text, window).trimEnd())}`);
    if (n === at.line) out.push(`  ${gutter(null, paint('caret', caretLine(text, at, window)))}`);
  }
  return out;
}
