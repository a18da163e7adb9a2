// YAML front matter of a mermaid diagram (`---` ... `---` at the very start), found with mermaid's own
// pattern. It is read and kept, never executed; only its `title:` means something to seqrun.
import { loadYaml } from './text.ts';

const FRONT_MATTER = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;

/** The front matter (`---` ... `---` at the very start) and where the diagram text begins after it. */
export function frontMatter(body: string): { yaml: string | null; indent: string; start: number; unclosed: boolean } {
  if (!/^[^\S\n\r]*---/.test(body)) return { yaml: null, indent: '', start: 0, unclosed: false };
  const match = FRONT_MATTER.exec(body);
  if (!match) return { yaml: null, indent: '', start: 0, unclosed: true };
  return { yaml: match[2] ?? '', indent: match[1] ?? '', start: match[0].length, unclosed: false };
}

/**
 * The front matter's title as mermaid reads it (js-yaml, the block's common indentation removed first),
 * or the YAML error that makes mermaid reject the diagram.
 */
export function frontMatterTitle(yaml: string | null, indent = ''): { title: string | null; error: string | null } {
  if (yaml === null) return { title: null, error: null };
  const body = indent
    ? yaml
        .split('\n')
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
        .join('\n')
    : yaml;
  const loaded = loadYaml(body);
  if ('error' in loaded) return { title: null, error: loaded.error };
  const value = loaded.value;
  const title =
    value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)['title'] : undefined;
  return { title: title ? String(title) : null, error: null };
}
