// How diagnostics are printed for people, by every command and by run and resume: code frames from each
// file's text (read and line-indexed once), at most `maxErrors` per file, control characters escaped,
// secrets of the environment masked. Heavy imports happen on use.
import { errorLimit } from '../diagnostics/limits.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { Io, RunIo } from './io.ts';

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
  const text = renderDiagnostics(diagnostics, sourceOf, {
    color,
    maxErrors: errorLimit(options.maxErrors),
    spaced: options.spaced ?? false,
  });
  // A frame quotes the file: a credential written in a config or binding module is masked like a run's output.
  const { runRedactor } = await import('../run/redact.ts');
  io[options.stream ?? 'stderr'](runRedactor({}, io.env).text(text));
}

/** A run's diagnostics on stderr, at most `maxErrors` per file, files named from the working directory. */
export async function showForRun(diagnostics: readonly Diagnostic[], io: RunIo): Promise<void> {
  const { relative } = await import('node:path');
  const shown = diagnostics.map((d) => ({ ...d, file: d.file.startsWith('/') ? relative(io.cwd, d.file) || d.file : d.file }));
  await showDiagnostics(io, shown, { maxErrors: io.maxErrors });
}
