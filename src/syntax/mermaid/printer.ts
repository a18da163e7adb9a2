// The canonical mermaid printer behind `seqrun fmt` for mermaid input: front matter and leading
// `%%{init}%%` directives kept above `sequenceDiagram`, one statement per line, blocks and boxes
// indented four spaces per level, `A->>B: text` with no spaces around the arrow, `%%` comments kept,
// at most one blank line where the author left some. Text is written so that mermaid reads it back
// (escape.ts); `readsAs`, when given, picks the plainest spelling that reads back as the same statement.
import type { BlockStatement, Diagram, DrawingStatement, MessageStatement, Statement } from '../../ast/types.ts';
import { mermaidName, mermaidText } from './escape.ts';

/** Checks that `line` (one statement, or a block's lines) reads back as `statement`. */
export type ReadsAs = (line: string, statement: Statement) => boolean;

/** Checks that two lines (one statement each) read back as the same statement. */
export type SameReading = (line: string, other: string) => boolean;

export interface MermaidPrintOptions {
  /** The text the spans point into: places comments and directives written above `sequenceDiagram`. */
  readonly source?: string;
  readonly eol?: string;
  readonly readsAs?: ReadsAs;
  /**
   * With `readsAs`: picks each participant's one spelling for the whole diagram, the plainest that reads
   * as the most encoded one wherever a name stands. mermaid keys a participant by its spelling, so
   * `participant P#97;y` and `Pay->>B` are two participants drawn with the same name.
   */
  readonly sameReading?: SameReading;
}

/** The spellings of a participant name a statement may use. */
type Spell = (name: string) => string[];

/** Where a name stands, to try a spelling in each place (a declaration with a label, a message, a note, an activation). */
const NAME_PROBES: readonly ((name: string) => string)[] = [
  (n) => `participant ${n} as x`,
  (n) => `${n}->>${n}: x`,
  (n) => `Note over ${n}: x`,
  (n) => `activate ${n}`,
];

const INDENT = '    ';
const PLACEMENTS = { left: 'left of', right: 'right of', over: 'over' } as const;
const SUFFIXES = { 'activate-target': '+', 'deactivate-source': '-' } as const;

/** The spellings of a text from plainest to most encoded; `prefix` goes before a non-empty text. */
function textVariants(text: string, prefix = ' '): string[] {
  if (text === '') return [''];
  return [...new Set([text, mermaidText(text, 'readable'), mermaidText(text, 'strict')])].map((t) => prefix + t);
}

/**
 * A participant name as written, then encoded, then with its spaces encoded too: mermaid no longer
 * finds a declaration's ` as ` after a name holding both an entity code and a space
 * (`participant #97;s Pay CI as x` is one name, `as Pay CI as x`).
 */
function nameVariants(name: string): string[] {
  const encoded = mermaidName(name);
  return [...new Set([name, encoded, encoded.includes('#') ? encoded.replace(/ /g, '#32;') : encoded])];
}

/** Every combination of the parts' variants, the plainest first. */
function combine(parts: readonly (readonly string[])[]): string[] {
  return parts.reduce<string[]>((lines, variants) => lines.flatMap((line) => variants.map((v) => line + v)), ['']);
}

function arrowOf(message: MessageStatement): string {
  if (message.mermaid) return message.mermaid.written + (message.mermaid.activation ? SUFFIXES[message.mermaid.activation] : '');
  return message.line === 'dashed' ? '-->>' : '->>';
}

function drawingVariants(s: DrawingStatement, spell: Spell): string[] {
  switch (s.keyword) {
    case 'directive':
      return [s.text.startsWith('%%{') ? s.text : `%%{${s.text}}%%`];
    case 'accTitle':
      return [`accTitle: ${s.text}`];
    case 'accDescr':
      return s.text.includes('\n') ? [`accDescr {\n${s.text}\n}`] : [`accDescr: ${s.text}`];
    case 'destroy':
      return spell(s.participant ?? '').map((n) => `destroy ${n}`);
    case 'link':
    case 'links':
    case 'properties':
    case 'details':
      return spell(s.participant ?? '').map((n) => `${s.keyword} ${n}: ${s.text}`);
  }
}

/** Candidate lines for a statement without blocks, plainest first. */
function candidates(s: Exclude<Statement, BlockStatement | { kind: 'box' }>, spell: Spell): string[] {
  switch (s.kind) {
    case 'comment':
      return [s.text.trim() === '' ? '%%' : `%% ${s.text.trim()}`];
    case 'title':
      return textVariants(s.text).map((t) => `title${t}`);
    case 'participant': {
      const head = `${s.created ? 'create ' : ''}${s.shape ?? 'participant'} `;
      const config = s.config === undefined ? '' : `@{ ${s.config} }`;
      // An empty label is written `as ` (mermaid reads a bare `as` as part of the name).
      const label = s.alias === null ? [''] : s.alias === '' ? [' as '] : textVariants(s.alias, ' as ');
      return combine([[head], spell(s.name), [config], label]);
    }
    case 'message':
      return combine([spell(s.from), [arrowOf(s)], spell(s.to), [':'], textVariants(s.text)]);
    case 'note': {
      const [first, second] = s.participants;
      const over = second === undefined ? [''] : spell(second).map((n) => `,${n}`);
      return combine([[`Note ${PLACEMENTS[s.position]} `], spell(first), over, [':'], textVariants(s.text)]);
    }
    case 'activation':
      return spell(s.participant).map((n) => `${s.action} ${n}`);
    case 'autonumber':
      if (s.off) return ['autonumber off'];
      return [['autonumber', s.start, s.step].filter((part) => part !== null).join(' ')];
    case 'drawing':
      return drawingVariants(s, spell);
  }
}

/** One statement without blocks in mermaid: the plainest spelling `readsAs` accepts, else the most encoded one. */
export function printStatement(
  s: Exclude<Statement, BlockStatement | { kind: 'box' }>,
  readsAs?: ReadsAs,
  spell: Spell = nameVariants,
): string {
  const all = candidates(s, spell);
  const chosen = readsAs ? all.find((line) => readsAs(line, s)) : undefined;
  return chosen ?? all[all.length - 1] ?? '';
}

class Printer {
  readonly lines: string[] = [];
  private readonly options: MermaidPrintOptions;
  private readonly spellings = new Map<string, string>();

  constructor(options: MermaidPrintOptions) {
    this.options = options;
  }

  private line(depth: number, text: string): void {
    this.lines.push(text === '' ? '' : INDENT.repeat(depth) + text);
  }

  private choose(s: Exclude<Statement, BlockStatement | { kind: 'box' }>): string {
    const { readsAs, sameReading } = this.options;
    return printStatement(s, readsAs, sameReading ? (name) => [this.spelling(name, sameReading)] : nameVariants);
  }

  /** A participant's one spelling: the plainest that reads as the most encoded one in every place a name stands. */
  private spelling(name: string, sameReading: SameReading): string {
    const known = this.spellings.get(name);
    if (known !== undefined) return known;
    const variants = nameVariants(name);
    const encoded = variants[variants.length - 1] ?? name;
    const chosen = variants.find((v) => v === encoded || NAME_PROBES.every((probe) => sameReading(probe(v), probe(encoded)))) ?? encoded;
    this.spellings.set(name, chosen);
    return chosen;
  }

  /** Prints statements at `depth`, a blank line kept where the author left one or more. */
  statements(list: readonly Statement[], depth: number, afterLine: number | null): void {
    let previousEnd = afterLine;
    for (const s of list) {
      if (previousEnd !== null && s.span.start.line > previousEnd + 1 && this.lines.at(-1) !== '') this.line(depth, '');
      this.statement(s, depth);
      previousEnd = s.kind === 'block' ? s.endSpan.end.line : s.span.end.line;
    }
  }

  /**
   * A block's or section's header line: the plainest spelling of its label that reads back, asked of
   * the reader as the block alone (`alt x` / `end`; a later section after an empty first one).
   */
  private sectionHeader(block: BlockStatement, index: number): string {
    const section = block.sections[index];
    if (!section) return '';
    const variants = textVariants(section.label).map((label) => `${section.keyword}${label}`);
    const readsAs = this.options.readsAs;
    if (!readsAs) return variants[variants.length - 1] ?? section.keyword;
    const opening = block.sections[0];
    const alone = (header: string): [string, BlockStatement] => {
      if (index === 0 || !opening) return [`${header}\nend`, { ...block, sections: [{ ...section, statements: [] }] }];
      const first = { ...opening, label: '', statements: [] };
      return [`${opening.keyword}\n${header}\nend`, { ...block, sections: [first, { ...section, statements: [] }] }];
    };
    return variants.find((header) => readsAs(...alone(header))) ?? variants[variants.length - 1] ?? section.keyword;
  }

  private statement(s: Statement, depth: number): void {
    if (s.kind === 'block') {
      s.sections.forEach((section, i) => {
        this.line(depth, this.sectionHeader(s, i));
        this.statements(section.statements, depth + 1, section.span.end.line);
      });
      this.line(depth, 'end');
    } else if (s.kind === 'box') {
      this.line(depth, s.label === '' ? 'box' : `box ${s.label}`);
      this.statements(s.statements, depth + 1, s.span.start.line);
      this.line(depth, 'end');
    } else {
      this.line(depth, this.choose(s));
    }
  }
}

/** The statements written above `sequenceDiagram`: leading comments and directives that were above it in `source`. */
function leading(diagram: Diagram, source: string | undefined): number {
  if (source === undefined) return 0;
  const header = /^[ \t]*sequenceDiagram\b/m.exec(source.slice(diagram.span.start.offset, diagram.span.end.offset));
  if (!header) return 0;
  const headerOffset = diagram.span.start.offset + header.index;
  const index = diagram.statements.findIndex((s) => !(s.kind === 'comment' || s.kind === 'drawing') || s.span.start.offset > headerOffset);
  return index < 0 ? diagram.statements.length : index;
}

/** Canonical mermaid text for a diagram, ending with a line break. */
export function printMermaid(diagram: Diagram, options: MermaidPrintOptions = {}): string {
  const printer = new Printer(options);
  if (diagram.frontMatter !== undefined)
    printer.lines.push('---', ...diagram.frontMatter.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n'), '---');
  const above = leading(diagram, options.source);
  printer.statements(diagram.statements.slice(0, above), 0, null);
  printer.lines.push('sequenceDiagram');
  printer.statements(diagram.statements.slice(above), 1, null);
  const eol = options.eol ?? '\n';
  return printer.lines.join(eol) + eol;
}
