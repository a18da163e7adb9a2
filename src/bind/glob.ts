// Minimal globbing for config paths (Node 20 has no fs.glob): `*`, `?` and `**` segments.
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

const hasMagic = (pattern: string): boolean => /[*?]/.test(pattern);

function segmentRegExp(segment: string): RegExp {
  const source = segment
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${source}$`);
}

async function entries(dir: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    const list = await readdir(dir, { withFileTypes: true });
    return list.filter((e) => e.name !== 'node_modules' && !e.name.startsWith('.')).map((e) => ({ name: e.name, dir: e.isDirectory() }));
  } catch {
    return [];
  }
}

async function walk(dir: string, segments: readonly string[], out: Set<string>): Promise<void> {
  const [segment, ...rest] = segments;
  if (segment === undefined) return;
  if (segment === '**') {
    await walk(dir, rest, out);
    for (const entry of await entries(dir)) if (entry.dir) await walk(join(dir, entry.name), segments, out);
    return;
  }
  if (!hasMagic(segment)) {
    const path = join(dir, segment);
    if (rest.length === 0) {
      if (
        await stat(path).then(
          () => true,
          () => false,
        )
      )
        out.add(path);
    } else await walk(path, rest, out);
    return;
  }
  const regexp = segmentRegExp(segment);
  for (const entry of await entries(dir)) {
    if (!regexp.test(entry.name)) continue;
    if (rest.length === 0) {
      if (!entry.dir) out.add(join(dir, entry.name));
    } else if (entry.dir) await walk(join(dir, entry.name), rest, out);
  }
}

/** Absolute paths matching `pattern` (relative to `root`), sorted; a plain path is returned if it exists. */
export async function expandGlob(root: string, pattern: string): Promise<string[]> {
  const absolute = isAbsolute(pattern) ? pattern : resolve(root, pattern);
  if (!hasMagic(absolute))
    return (await stat(absolute).then(
      () => true,
      () => false,
    ))
      ? [absolute]
      : [];
  const out = new Set<string>();
  await walk(
    '/',
    absolute.split('/').filter((s) => s !== ''),
    out,
  );
  return [...out].sort();
}
