// The diagram files a command line names (`parse`, `fmt`), and the exit code their diagnostics give.
import type { Diagnostic } from '../diagnostics/types.ts';
import type { FileRead } from '../syntax/index.ts';
import type { Io } from './io.ts';

/** An error about the input itself (cannot read, not UTF-8, no diagram): exit 2, as for a usage error. */
export const isInputError = (d: Diagnostic): boolean => d.severity === 'error' && /^SEQ0\d\d$/.test(d.code);

export function exitCode(diagnostics: readonly Diagnostic[]): number {
  if (diagnostics.some(isInputError)) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}

/**
 * Every file under the given paths (files, folders, `file.md#slug`), read and parsed, in order. Each
 * path is read when the files of the one before have been handled: `fmt a.seq a.seq` formats once.
 */
export async function* readPaths(paths: readonly string[], io: Io): AsyncGenerator<FileRead> {
  const { readPath } = await import('../syntax/index.ts');
  for (const path of paths) yield* await readPath(path, { cwd: io.cwd });
}
