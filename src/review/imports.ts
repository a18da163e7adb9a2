// The modules a binding module imports by relative path (`./support/jobs.ts`, `../lib/x.ts`), so that
// BASE's copy holds what its bindings import and nothing else of the repository.
import { posix } from 'node:path';

const IMPORT = /(?:\bfrom|\bimport\s*\(|^\s*import)\s*['"](\.{1,2}\/[^'"\n]+)['"]/gm;
const MODULE = /\.(?:[cm]?[jt]s|tsx|jsx|json)$/;

/**
 * The files (relative to the repository's top folder, `/`-separated) that the module at `file` imports
 * with a relative specifier. A specifier without a module extension stands for its folder.
 */
export function relativeImports(text: string, file: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(IMPORT)) {
    const target = posix.normalize(posix.join(posix.dirname(file), match[1] as string));
    found.add(MODULE.test(target) ? target : target.replace(/\/$/, ''));
  }
  return [...found].filter((path) => !path.startsWith('..'));
}

export const isModule = (path: string): boolean => MODULE.test(path);
