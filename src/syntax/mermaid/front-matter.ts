// YAML front matter of a mermaid diagram (`---` ... `---` at the very start), found with mermaid's own
// pattern. It is read and kept, never executed; only its `title:` means something to seqrun.

const FRONT_MATTER = /^([^\S\n\r]*)-{3}\s*[\n\r](.*?)[\n\r]\1-{3}\s*[\n\r]+/s;

/** The front matter (`---` ... `---` at the very start) and where the diagram text begins after it. */
export function frontMatter(body: string): { yaml: string | null; start: number; unclosed: boolean } {
  if (!/^[^\S\n\r]*---/.test(body)) return { yaml: null, start: 0, unclosed: false };
  const match = FRONT_MATTER.exec(body);
  return match ? { yaml: match[2] ?? '', start: match[0].length, unclosed: false } : { yaml: null, start: 0, unclosed: true };
}

/** The front matter's `title:` (a plain or quoted scalar), which mermaid shows unless a statement sets one. */
export function frontMatterTitle(yaml: string | null): string | null {
  const match = yaml === null ? null : /^title:[^\S\n]*(.*?)\s*$/m.exec(yaml);
  if (!match?.[1]) return null;
  const value = match[1];
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}
