// The file name of each rendered diagram: its file's base name, its slug for a Markdown fence, unique in a batch.
import { basename, extname } from 'node:path';
import type { Diagram } from '../ast/types.ts';

export function outputNames(diagrams: readonly Diagram[]): string[] {
  const seen = new Map<string, number>();
  return diagrams.map((d) => {
    const base = basename(d.file, extname(d.file));
    const name = d.slug ? `${base}-${d.slug}` : base;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}-${count}`;
  });
}
