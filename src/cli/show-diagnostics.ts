// How commands print diagnostics for people: code frames from each file's text (read and line-indexed
// once), at most --max-errors per file, control characters escaped. Heavy imports happen on use.
import { DEFAULT_MAX_ERRORS, errorLimit } from '../diagnostics/limits.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Io } from './io.ts';

/** The `--max-errors` option every command that prints diagnostics takes. */
export const MAX_ERRORS_OPTION = {
  type: 'number',
  default: DEFAULT_MAX_ERRORS,
  describe: 'Diagnostics shown per file (then a count of the rest); 0 shows all',
} as const;

export interface ShowOptions {
  readonly maxErrors?: number | undefined;
  readonly stream?: 'stdout' | 'stderr';
  /** A blank line after each diagnostic. */
  readonly spaced?: boolean;
  /** Texts already read, by the file name the diagnostics carry; other files are read from disk. */
  readonly texts?: ReadonlyMap<string, string>;
}

export async function showDiagnostics(io: Io, diagnostics: readonly Diagnostic[], options: ShowOptions = {}): Promise<void> {
  if (diagnostics.length === 0) return;
  const { resolve } = await import('node:path');
  const { renderDiagnostics } = await import('../diagnostics/index.ts');
  const { sourceForFrames } = await import('../syntax/index.ts');
  const color = io.isTTY && io.env['NO_COLOR'] === undefined;
  const sourceOf = (file: string): string | null => options.texts?.get(file) ?? sourceForFrames(resolve(io.cwd, file));
  const text = renderDiagnostics(diagnostics, sourceOf, { color, maxErrors: errorLimit(options.maxErrors), spaced: options.spaced ?? false });
  // A frame quotes the file: a credential written in a config or binding module is masked like a run's output.
  const { runRedactor } = await import('../run/redact.ts');
  io[options.stream ?? 'stderr'](runRedactor({}, io.env).text(text));
}
