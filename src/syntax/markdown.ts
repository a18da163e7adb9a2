// Markdown input: every ```sequence fence is a diagram, named after the nearest heading above it.
// Only the fences are read; locations stay lines and columns of the Markdown file.

export interface Fence {
  /** Offsets of the fence body in the Markdown text: from after the opening line to the closing line. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly heading: string | null;
  readonly closed: boolean;
  /** Offset of the opening fence line (for diagnostics about the fence itself). */
  readonly openStart: number;
}

interface SourceLine {
  readonly start: number;
  /** Offset after the line break. */
  readonly next: number;
  readonly text: string;
}

function* sourceLines(text: string): Generator<SourceLine> {
  const breaks = /\r\n?|\n/g;
  let start = 0;
  for (let m = breaks.exec(text); m !== null; m = breaks.exec(text)) {
    yield { start, next: m.index + m[0].length, text: text.slice(start, m.index) };
    start = m.index + m[0].length;
  }
  if (start < text.length) yield { start, next: text.length, text: text.slice(start) };
}

const OPENING = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;

/** The heading's text as shown: closing hashes and surrounding spaces removed. */
function headingText(line: string): string | null {
  const match = HEADING.exec(line);
  return match ? (match[1] ?? '').trim() : null;
}

export function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  let heading: string | null = null;
  let open: { closing: RegExp; info: string; bodyStart: number; openStart: number } | null = null;
  for (const line of sourceLines(text)) {
    if (open) {
      if (open.closing.test(line.text)) {
        if (open.info === 'sequence') fences.push({ bodyStart: open.bodyStart, bodyEnd: line.start, heading, closed: true, openStart: open.openStart });
        open = null;
      }
      continue;
    }
    const fence = OPENING.exec(line.text);
    if (fence?.[1]) {
      const closing = new RegExp(`^ {0,3}${fence[1][0] === '`' ? '`' : '~'}{${fence[1].length},}\\s*$`);
      open = { closing, info: (fence[2] ?? '').toLowerCase(), bodyStart: line.next, openStart: line.start };
      continue;
    }
    heading = headingText(line.text) ?? heading;
  }
  if (open?.info === 'sequence') fences.push({ bodyStart: open.bodyStart, bodyEnd: text.length, heading, closed: false, openStart: open.openStart });
  return fences;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function slugify(heading: string): string {
  return heading
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Slugs for the fences, unique in the file: repeats get `-1`, `-2`... as GitHub does for headings. */
export function uniqueSlugs(names: readonly (string | null)[]): (string | null)[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    if (name === null) return null;
    const base = slugify(name);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}-${count}`;
  });
}
