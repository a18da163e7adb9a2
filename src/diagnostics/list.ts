// Many diagnostics as text: each file's text is asked for and line-indexed once, and each file shows
// at most `maxErrors` diagnostics, then one line counting the rest. A broken or hostile file of any
// size prints a bounded amount in time linear in its size.
import { renderDiagnostic } from './frame.ts';
import type { RenderOptions } from './frame.ts';
import { escapeControls } from './escape.ts';
import { LineIndex } from './lines.ts';
import type { Diagnostic } from './types.ts';

export interface ListOptions extends RenderOptions {
  /** Diagnostics shown per file; 0 shows them all. */
  readonly maxErrors: number;
  /** A blank line after each diagnostic. */
  readonly spaced?: boolean;
}

interface Hidden {
  errors: number;
  warnings: number;
}

const counted = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function hiddenLine(file: string, hidden: Hidden): string {
  const parts = [
    hidden.errors > 0 ? counted(hidden.errors, 'more error') : '',
    hidden.warnings > 0 ? counted(hidden.warnings, 'more warning') : '',
  ];
  const what = parts.filter((p) => p !== '').join(' and ');
  return `${escapeControls(file, { singleLine: true })}: ${what} not shown; --max-errors N shows N per file, --max-errors 0 all\n`;
}

/**
 * The diagnostics in their order, each with its code frame. `sourceOf(file)` gives a file's text
 * (null: no frame); it is called at most once per file.
 */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sourceOf: (file: string) => string | null,
  options: ListOptions,
): string {
  const indexes = new Map<string, LineIndex | null>();
  const shown = new Map<string, number>();
  const hidden = new Map<string, Hidden>();
  const out: string[] = [];
  for (const diagnostic of diagnostics) {
    const count = shown.get(diagnostic.file) ?? 0;
    if (options.maxErrors > 0 && count >= options.maxErrors) {
      const tally = hidden.get(diagnostic.file) ?? { errors: 0, warnings: 0 };
      tally[diagnostic.severity === 'error' ? 'errors' : 'warnings']++;
      hidden.set(diagnostic.file, tally);
      continue;
    }
    shown.set(diagnostic.file, count + 1);
    if (diagnostic.span && !indexes.has(diagnostic.file)) {
      const text = sourceOf(diagnostic.file);
      indexes.set(diagnostic.file, text === null ? null : new LineIndex(text));
    }
    out.push(renderDiagnostic(diagnostic, indexes.get(diagnostic.file) ?? null, options) + (options.spaced ? '\n' : ''));
  }
  for (const [file, tally] of hidden) out.push(hiddenLine(file, tally));
  return out.join('');
}
