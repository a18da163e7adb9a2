// Escaping for each output language, and the words and marks every renderer uses for a status.
import { formatDuration } from '../report/duration.ts';
import type { DrawnStatus, StepView } from './run-view.ts';

/** Mermaid sequence text (strict by default): the one escaping rule, shared with the mermaid printer. */
export { mermaidText } from '../syntax/mermaid/escape.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Markdown table cell: pipes and line breaks would end the cell; HTML would be interpreted. */
export function markdownCell(text: string): string {
  return escapeHtml(text)
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, '<br>')
    .replace(/([\\`*_[\]])/g, '\\$1');
}

export const STATUS_MARK: Readonly<Record<DrawnStatus, string>> = {
  passed: '✔',
  failed: '✘',
  skipped: '↷',
  cancelled: '⊘',
  'not-run': '○',
  running: '…',
};

export const STATUS_WORD: Readonly<Record<DrawnStatus, string>> = {
  passed: 'passed',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  'not-run': 'not run',
  running: 'running',
};

/** Background colour of a step's `rect` (mermaid) and row (HTML). */
export const STATUS_RGB: Readonly<Record<DrawnStatus, readonly [number, number, number]>> = {
  passed: [200, 240, 200],
  failed: [255, 205, 205],
  skipped: [222, 222, 222],
  cancelled: [255, 232, 190],
  'not-run': [243, 243, 243],
  running: [205, 225, 255],
};

export function statusRgb(status: DrawnStatus): string {
  return `rgb(${STATUS_RGB[status].join(', ')})`;
}

/**
 * A step's duration as shown, or '' for steps that did not run (skipped steps journal 0 ms) and for
 * built-in `Success` replies, whose time is only the check of the call's outcome (noise beside it).
 */
export function shownDuration(view: StepView): string {
  if (view.builtinSuccess) return '';
  const timed = view.status === 'passed' || view.status === 'failed' || view.status === 'cancelled';
  return timed && view.durationMs !== null ? formatDuration(view.durationMs) : '';
}

/** The short mark appended to a step's text: `✔ passed, 1.2 s, 2 attempts`. */
export function statusMark(view: StepView): string {
  const parts = [`${STATUS_MARK[view.status]} ${STATUS_WORD[view.status]}`];
  const duration = shownDuration(view);
  if (duration) parts.push(duration);
  if (view.attempts > 1) parts.push(`${view.attempts} attempts`);
  return parts.join(', ');
}
