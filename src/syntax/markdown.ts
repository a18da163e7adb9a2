// Markdown input: every ```sequence fence is a diagram, and every ```mermaid fence whose diagram is a
// sequenceDiagram (other mermaid diagrams are skipped), named after the nearest heading above it.
// Only the fences are read; locations stay lines and columns of the Markdown file.
import type { Dialect } from '../ast/types.ts';
import { isMermaidSequence } from './mermaid/detect.ts';

export interface Fence {
  /** From the fence's info string: ```sequence or ```mermaid. */
  readonly dialect: Dialect;
  /** Offsets of the fence body in the Markdown text: from after the opening line to the closing line. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  readonly heading: string | null;
  /** The heading's GitHub anchor; a second fence under the same heading gets `-diagram-2`, and so on. */
  readonly slug: string | null;
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

/** GitHub's anchors for a document's headings, in order: repeats get `-1`, `-2`... (github-slugger). */
class Anchors {
  private readonly taken = new Set<string>();

  next(heading: string): string {
    const base = slugify(heading);
    let slug = base;
    for (let count = 1; this.taken.has(slug); count++) slug = `${base}-${count}`;
    this.taken.add(slug);
    return slug;
  }
}

interface OpenFence {
  readonly closing: RegExp;
  readonly info: string;
  readonly bodyStart: number;
  readonly openStart: number;
}

export function findFences(text: string): Fence[] {
  const fences: Fence[] = [];
  const anchors = new Anchors();
  let heading: { text: string; slug: string; fences: number } | null = null;
  let open: OpenFence | null = null;
  const add = (fence: OpenFence, bodyEnd: number, closed: boolean) => {
    if (fence.info !== 'sequence' && fence.info !== 'mermaid') return;
    if (fence.info === 'mermaid' && !isMermaidSequence(text.slice(fence.bodyStart, bodyEnd))) return;
    const ordinal = heading ? ++heading.fences : 0;
    const slug = heading ? (ordinal === 1 ? heading.slug : `${heading.slug}-diagram-${ordinal}`) : null;
    const dialect: Dialect = fence.info === 'mermaid' ? 'mermaid' : 'sequence';
    fences.push({ dialect, bodyStart: fence.bodyStart, bodyEnd, heading: heading?.text ?? null, slug, closed, openStart: fence.openStart });
  };
  for (const line of sourceLines(text)) {
    if (open) {
      if (open.closing.test(line.text)) {
        add(open, line.start, true);
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
    const title = headingText(line.text);
    if (title !== null) heading = { text: title, slug: anchors.next(title), fences: 0 };
  }
  if (open) add(open, text.length, false);
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
