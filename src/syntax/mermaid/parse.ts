// Reading one mermaid sequenceDiagram: front matter, then the text lexed once (as mermaid prepares it:
// line breaks normalised, entity codes masked, a final line break), the `sequenceDiagram` header,
// then statement by statement: each is cut out at its line break (or is a lone block keyword), parsed
// alone and read into the AST, so that a broken line yields one diagnostic and reading goes on.
import type { ILexingResult, IToken } from 'chevrotain';
import type { Diagram, Participant, Span } from '../../ast/types.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { LineIndex } from '../../diagnostics/lines.ts';
import { tokenMatcher } from '../chevrotain.ts';
import { diagnostic } from '../diagnose.ts';
import type { ParseResult } from '../parse.ts';
import { MermaidReader } from './build.ts';
import type { MermaidSource } from './build.ts';
import { mermaidDiagramType } from './detect.ts';
import { readDirective } from './drawing.ts';
import { mermaidSyntaxError } from './errors.ts';
import { firstToken, mermaidParser } from './grammar.ts';
import type { DocumentItem } from './grammar.ts';
import { frontMatter, frontMatterTitle } from './front-matter.ts';
import { maskEntities } from './text.ts';
import {
  AccDescr,
  AccDescrBlock,
  AccDescrUnclosed,
  AccTitle,
  BlockOpen,
  End,
  HashComment,
  Invalid,
  LegacyTitle,
  mermaidLexer,
  Newline,
  NL,
  SectionOpen,
  SequenceDiagram,
  Title,
} from './tokens.ts';

export interface MermaidMeta {
  readonly name: string | null;
  readonly slug: string | null;
}

/** Statements that end at their own last token (jison reads no line break after them). */
function isSelfTerminating(token: IToken): boolean {
  const type = token.tokenType;
  return (
    tokenMatcher(token, BlockOpen) ||
    tokenMatcher(token, SectionOpen) ||
    type === End ||
    type === Title ||
    type === LegacyTitle ||
    type === AccTitle ||
    type === AccDescr ||
    type === AccDescrBlock
  );
}

/** The end (exclusive) of the statement starting at `start`. */
function statementEnd(tokens: readonly IToken[], start: number): number {
  if (isSelfTerminating(tokens[start] as IToken)) return start + 1;
  for (let index = start; index < tokens.length; index++) if (tokenMatcher(tokens[index] as IToken, NL)) return index + 1;
  return tokens.length;
}

const chunk: IToken[] = [];

class StatementCutter {
  private comment = 0;
  private readonly reader: MermaidReader;
  private readonly extras: readonly IToken[];
  private readonly text: string;
  constructor(reader: MermaidReader, extras: readonly IToken[], text: string) {
    this.reader = reader;
    this.extras = extras;
    this.text = text;
  }

  /** Adds the comments and directives that come before `offset` to the innermost open block. */
  flushExtras(offset: number): void {
    while (this.comment < this.extras.length && (this.extras[this.comment] as IToken).startOffset < offset) {
      this.extra(this.extras[this.comment++] as IToken);
    }
  }

  private extra(token: IToken): void {
    const span = this.reader.tokenSpan(token);
    if (token.tokenType.name === 'MermaidDirective') return this.reader.blocks.add(readDirective(token, span));
    const image = token.image;
    const text = image.startsWith('#') ? image.slice(1) : image.slice(image.indexOf('%') + 2);
    if (token.tokenType === HashComment && this.afterText(token.startOffset)) {
      const message = "'#' starts a comment in mermaid: the rest of this line is not part of the text before it";
      this.reader.report('SEQ220', message, span);
    }
    this.reader.blocks.add(Object.freeze({ kind: 'comment', text: text.trim(), span }));
  }

  /** True when something other than whitespace stands before `offset` on its line. */
  private afterText(offset: number): boolean {
    for (let at = offset - 1; at >= 0; at--) {
      const code = this.text.charCodeAt(at);
      if (code === 10) return false;
      if (code !== 32 && code !== 9) return true;
    }
    return false;
  }

  /** Reads every statement of `tokens` from `from`: in one go, or statement by statement when there is an error. */
  read(tokens: IToken[], from: number, statementByStatement: boolean): void {
    mermaidParser.input = from === 0 ? tokens : tokens.slice(from);
    const items = statementByStatement ? [] : mermaidParser.document();
    if (!statementByStatement && mermaidParser.errors.length === 0) for (const item of items) this.item(item);
    else this.readEach(tokens, from);
    this.flushExtras(Number.POSITIVE_INFINITY);
  }

  /** The line of the last ignored character while no statement followed it: one warning per run of them. */
  private ignoredLine = -1;

  private item(item: DocumentItem): void {
    const first = firstToken(item);
    this.flushExtras(first.startOffset);
    if (item.kind !== 'ignored') {
      this.ignoredLine = -1;
      return this.reader.statement(item);
    }
    const span = this.reader.tokenSpan(first);
    if (span.start.line === this.ignoredLine) return;
    this.ignoredLine = span.start.line;
    if (first.tokenType === AccDescrUnclosed)
      return this.reader.report('SEQ138', "'accDescr {' is never closed with '}'", this.reader.tokenSpan(first));
    const shown = first.image.length > 20 ? `${first.image.slice(0, 20)}...` : first.image;
    // mermaid skips such characters between statements, but a box's body takes declarations only.
    if (this.reader.blocks.innermost()?.kind === 'box')
      return this.reader.report('SEQ137', `a box holds participant declarations only; mermaid cannot read '${shown}' here`, span);
    this.reader.report(
      'SEQ221',
      `'${shown}' is not part of any statement; mermaid ignores it (and what else it cannot read on this line)`,
      span,
    );
  }

  /** Statement by statement, each cut out at its end and parsed alone: a broken one yields its diagnostic. */
  private readEach(tokens: readonly IToken[], from: number): void {
    for (let start = from; start < tokens.length;) {
      const head = tokens[start] as IToken;
      if (tokenMatcher(head, NL)) {
        start++;
        continue;
      }
      if (tokenMatcher(head, Invalid)) {
        this.item({ kind: 'ignored', keyword: head });
        start++;
        continue;
      }
      const stop = statementEnd(tokens, start);
      chunk.length = 0;
      for (let i = start; i < stop; i++) chunk.push(tokens[i] as IToken);
      mermaidParser.input = chunk;
      const parsed = mermaidParser.statement();
      const error = mermaidParser.errors[0];
      if (!error) this.item(parsed);
      else {
        this.flushExtras(head.startOffset);
        this.reader.diagnostics.push(mermaidSyntaxError(error, chunk, tokens[start - 1], this.reader));
      }
      start = stop;
    }
  }
}

function endOfInput(offset: number): IToken {
  return { image: '', startOffset: offset, endOffset: offset, tokenType: Newline, tokenTypeIdx: Newline.tokenTypeIdx } as IToken;
}

/** The tokens of `text`, or null when a token pattern overflows the stack on a pathological input (never a throw). */
function lex(text: string): ILexingResult | null {
  try {
    return mermaidLexer.tokenize(text);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The index of the token after the `sequenceDiagram` header, or -1 (reported) when there is none. */
function afterHeader(tokens: readonly IToken[], reader: MermaidReader): number {
  let index = 0;
  while (index < tokens.length && tokenMatcher(tokens[index] as IToken, NL)) index++;
  const head = tokens[index];
  if (head?.tokenType === SequenceDiagram) return index + 1;
  const span = head ? reader.tokenSpan(head) : reader.span(0, 0);
  reader.report(
    'SEQ139',
    `a mermaid sequence diagram starts with 'sequenceDiagram', found ${head ? `'${head.image.trim()}'` : 'nothing'}`,
    span,
  );
  return -1;
}

function participantsOf(reader: MermaidReader): Participant[] {
  return [...reader.participants.byId.values()].map((p) =>
    Object.freeze({ id: p.id, label: p.label, shape: p.shape, span: reader.span(p.start, p.end) }),
  );
}

/** Reads the mermaid diagram whose text is `source.lines.text.slice(source.base, source.base + length)`. */
export function readMermaidDiagram(
  source: MermaidSource,
  length: number,
  meta: MermaidMeta,
  /** For the test that holds the one-go reading to the statement-by-statement one. */
  options: { readonly statementByStatement?: boolean } = {},
): { diagram: Diagram; diagnostics: Diagnostic[] } {
  const body = source.lines.text.slice(source.base, source.base + length);
  const front = frontMatter(body);
  const reader = new MermaidReader({ ...source, base: source.base + front.start });
  const text = maskEntities(body.slice(front.start).replace(/\r/g, '\n'));
  const nul = text.indexOf('\0');
  if (nul >= 0)
    reader.report('SEQ225', 'the diagram holds a NUL character, which mermaid reads as an ordinary character', reader.span(nul, nul + 1));
  const lexed = lex(`${text}\n`);
  // jison returns a NEWLINE at the end of the input as well: a last `autonumber ` needs it.
  lexed?.tokens.push(endOfInput(text.length + 1));
  if (lexed === null) {
    const message = 'this diagram is too repetitive for the reader (a pattern ran out of stack); split its longest line';
    reader.report('SEQ142', message, reader.span(0, 0));
  }
  const extras = [...(lexed?.groups['comments'] ?? []), ...(lexed?.groups['directives'] ?? [])].sort(
    (a, b) => a.startOffset - b.startOffset,
  );
  const cutter = new StatementCutter(reader, extras, text);
  const fromFront = frontMatterTitle(front.yaml, front.indent);
  if (fromFront.error !== null)
    reader.report('SEQ141', `the front matter is not valid YAML: ${fromFront.error}`, source.lines.span(source.base, source.base + 3));
  if (front.unclosed) reader.report('SEQ134', "the front matter opened by '---' is never closed by a line '---'", reader.span(0, 3));
  const from = front.unclosed || lexed === null ? -1 : afterHeader(lexed.tokens, reader);
  if (from >= 0 && lexed) cutter.read(lexed.tokens, from, options.statementByStatement ?? false);
  const endSpan: Span = reader.span(text.length, text.length);
  const statements = reader.finish(endSpan);
  const diagram: Diagram = Object.freeze({
    dialect: 'mermaid',
    // Kept with \n line breaks whatever the file uses, so that the AST does not change with them (fmt).
    ...(front.yaml !== null ? { frontMatter: front.yaml.replace(/\r$/, '').replace(/\r\n?/g, '\n') } : {}),
    name: meta.name,
    slug: meta.slug,
    title: reader.title ?? fromFront.title,
    participants: Object.freeze(participantsOf(reader)),
    statements: Object.freeze(statements),
    steps: Object.freeze(reader.steps),
    file: source.file,
    span: source.lines.span(source.base, source.base + length),
  });
  const diagnostics = reader.diagnostics.sort((a, b) => (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0));
  return { diagram, diagnostics };
}

/** Parses one `.mmd` text: one diagram, named null, or SEQ007 when it is another kind of mermaid diagram. Never throws. */
export function parseMermaidSource(text: string, options: { file: string }): ParseResult {
  const lines = new LineIndex(text);
  const type = mermaidDiagramType(text);
  if (type !== 'sequenceDiagram' && !frontMatter(text).unclosed) {
    const cased = type?.toLowerCase() === 'sequencediagram' ? " (mermaid's detector is case-sensitive: write 'sequenceDiagram')" : '';
    const what = type === null ? 'it is empty' : `it is a '${type}' diagram${cased}`;
    const at = type === null ? 0 : text.indexOf(type);
    const span = lines.span(at, at + (type?.length ?? 0));
    return {
      file: options.file,
      diagrams: [],
      diagnostics: [diagnostic('SEQ007', `${options.file} is not a mermaid sequenceDiagram: ${what}`, options.file, span)],
    };
  }
  const { diagram, diagnostics } = readMermaidDiagram({ file: options.file, lines, base: 0 }, text.length, { name: null, slug: null });
  return { file: options.file, diagrams: [diagram], diagnostics };
}
