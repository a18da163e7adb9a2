// Parsed statements -> AST: reads each statement the way the reference renderer does (unescape,
// aliases, participant creation order) and produces immutable AST nodes.
import type { IToken } from 'chevrotain';
import type { MessageStatement, NoteStatement, ParticipantStatement, Statement, TitleStatement } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { diagnostic } from './diagnose.ts';
import type { ParsedStatement } from './grammar.ts';
import type { LineIndex } from '../diagnostics/lines.ts';
import { messageText, ParticipantRegistry, splitAlias, unescape } from './reference.ts';
import { DotLine, LeftOf, OpenArrow, RightOf } from './tokens.ts';
import { readingWarnings } from './warnings.ts';

/** Where the tokens of one diagram sit in the file: token offsets are relative to `base`. */
export interface DiagramSource {
  readonly file: string;
  readonly lines: LineIndex;
  readonly base: number;
}

/** Mutable while one diagram is read; the statements it yields are frozen plain data. */
export class DiagramReader {
  readonly registry = new ParticipantRegistry();
  readonly diagnostics: Diagnostic[] = [];
  title: string | null = null;

  /** Offset in the diagram body of the segment being read: token offsets are relative to it. */
  segment = 0;

  readonly source: DiagramSource;
  constructor(source: DiagramSource) {
    this.source = source;
  }

  /** Offset in the file of a token offset of the current segment. */
  fileOffset(offset: number): number {
    return this.source.base + this.segment + offset;
  }

  /** Span of token offsets of the current segment. */
  span(start: number, end: number) {
    return this.source.lines.span(this.fileOffset(start), this.fileOffset(end));
  }

  /** Span of offsets in the diagram body. */
  bodySpan(start: number, end: number) {
    return this.source.lines.span(this.source.base + start, this.source.base + end);
  }

  tokenSpan(token: IToken) {
    return this.span(token.startOffset, token.startOffset + token.image.length);
  }

  /**
   * A name token's image -> its participant id (the unescaped, trimmed image, whether or not this
   * reading created the participant), so that a name is unescaped and looked up once per diagram.
   */
  private readonly actorIds = new Map<string, string>();

  actor(token: IToken): string {
    const known = this.actorIds.get(token.image);
    if (known !== undefined) return known;
    const id = this.resolveActor(token);
    this.actorIds.set(token.image, id);
    return id;
  }

  private resolveActor(token: IToken): string {
    const start = this.segment + token.startOffset;
    const { entry, created } = this.registry.resolve(unescape(token.image), undefined, start, start + token.image.length);
    if (created) {
      const labelled = this.registry.entries.find((other) => other.label === entry.id && other.id !== entry.id);
      if (labelled) {
        const message = `'${entry.id}' is the label of participant '${labelled.id}'; using it here creates a second participant`;
        this.diagnostics.push(diagnostic('SEQ210', message, this.source.file, this.tokenSpan(token)));
      }
    }
    return entry.id;
  }
}

function participantDeclaration(keyword: IToken, actor: IToken, reader: DiagramReader): ParticipantStatement {
  const { name, alias } = splitAlias(unescape(actor.image));
  const start = reader.segment + actor.startOffset;
  const { entry, created } = reader.registry.resolve(alias ?? name, name, start, start + actor.image.length);
  const span = reader.span(keyword.startOffset, actor.startOffset + actor.image.length);
  if (!created && alias !== null && entry.label !== name) {
    reader.diagnostics.push(
      diagnostic(
        'SEQ209',
        `participant '${entry.id}' already appeared, so its label stays '${entry.label}', not '${name}'`,
        reader.source.file,
        span,
      ),
    );
  }
  return Object.freeze({ kind: 'participant', name, alias, span });
}

function signal(parsed: Extract<ParsedStatement, { kind: 'signal' }>, reader: DiagramReader): MessageStatement {
  const { from: fromToken, to: toToken, line, head, message } = parsed;
  const from = reader.actor(fromToken);
  const to = reader.actor(toToken);
  return Object.freeze({
    kind: 'message',
    from,
    to,
    line: line.tokenType === DotLine ? 'dashed' : 'solid',
    arrow: head?.tokenType === OpenArrow ? 'open' : 'filled',
    headless: head === undefined,
    text: messageText(message.image),
    span: reader.span(fromToken.startOffset, message.startOffset + message.image.length),
  });
}

function noteStatement(parsed: Extract<ParsedStatement, { kind: 'note' }>, reader: DiagramReader): NoteStatement {
  const { keyword, placement, actors, message } = parsed;
  const position = placement.tokenType === LeftOf ? 'left' : placement.tokenType === RightOf ? 'right' : 'over';
  const first = reader.actor(actors[0]);
  const second = actors[1] ? reader.actor(actors[1]) : undefined;
  const span = reader.span(keyword.startOffset, message.startOffset + message.image.length);
  // The reference means to reject this, but its check runs before the actors are set, so it draws it.
  if (second === first) {
    reader.diagnostics.push(
      diagnostic('SEQ211', `'Note over' names '${first}' twice; it is drawn over that one participant`, reader.source.file, span),
    );
  }
  const participants: [string] | [string, string] = second === undefined ? [first] : [first, second];
  return Object.freeze({ kind: 'note', position, participants: Object.freeze(participants), text: messageText(message.image), span });
}

function titleStatement(keyword: IToken, message: IToken, reader: DiagramReader): TitleStatement {
  const span = reader.span(keyword.startOffset, message.startOffset + message.image.length);
  if (reader.title !== null) {
    reader.diagnostics.push(diagnostic('SEQ208', `the title '${reader.title}' is replaced by a later one`, reader.source.file, span));
  }
  const text = messageText(message.image);
  reader.title = text;
  return Object.freeze({ kind: 'title', text, span });
}

function statement(parsed: ParsedStatement, reader: DiagramReader): Statement {
  switch (parsed.kind) {
    case 'participant':
      return participantDeclaration(parsed.keyword, parsed.actor, reader);
    case 'signal':
      return signal(parsed, reader);
    case 'note':
      return noteStatement(parsed, reader);
    case 'title':
      return titleStatement(parsed.keyword, parsed.message, reader);
  }
}

/** Reads one parsed statement; adds reading warnings for the tokens it was made of. */
export function readStatement(parsed: ParsedStatement, reader: DiagramReader, statementTokens: readonly IToken[]): Statement {
  const read = statement(parsed, reader);
  const warnings = readingWarnings(read, statementTokens, reader);
  for (const warning of warnings) reader.diagnostics.push(warning);
  return read;
}
