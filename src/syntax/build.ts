// CST -> AST: a Chevrotain visitor that reads each statement the way the reference renderer does
// (unescape, aliases, participant creation order) and produces immutable AST nodes.
import type { CstNode, IToken } from 'chevrotain';
import type { MessageStatement, NoteStatement, ParticipantStatement, Statement, TitleStatement } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { diagnostic } from './diagnose.ts';
import { sequenceParser } from './grammar.ts';
import type { LineIndex } from '../diagnostics/lines.ts';
import { messageText, ParticipantRegistry, splitAlias, unescape } from './reference.ts';
import { readingWarnings } from './warnings.ts';

/** Where the tokens of one diagram sit in the file: token offsets are relative to `base`. */
export interface DiagramSource {
  readonly file: string;
  readonly lines: LineIndex;
  readonly base: number;
}

type Children = Record<string, (CstNode | IToken)[] | undefined>;

function tokens(children: Children, key: string): IToken[] {
  return (children[key] ?? []) as IToken[];
}

function first(children: Children, key: string): IToken | undefined {
  return tokens(children, key)[0];
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

  actor(token: IToken): string {
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

const BaseVisitor = sequenceParser.getBaseCstVisitorConstructor<DiagramReader, Statement | null>();

class StatementVisitor extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  statement(children: Children, reader: DiagramReader): Statement | null {
    const node = (children['participantDeclaration'] ?? children['signal'] ?? children['noteStatement'] ?? children['titleStatement'])?.[0];
    return node ? (this.visit(node as CstNode, reader) as Statement | null) : null;
  }

  participantDeclaration(children: Children, reader: DiagramReader): ParticipantStatement | null {
    const keyword = first(children, 'Participant');
    const actor = first(children, 'Actor');
    if (!keyword || !actor) return null;
    const { name, alias } = splitAlias(unescape(actor.image));
    const start = reader.segment + actor.startOffset;
    const { entry, created } = reader.registry.resolve(alias ?? name, name, start, start + actor.image.length);
    const span = reader.span(keyword.startOffset, actor.startOffset + actor.image.length);
    if (!created && alias !== null && entry.label !== name) {
      reader.diagnostics.push(diagnostic('SEQ209', `participant '${entry.id}' already appeared, so its label stays '${entry.label}', not '${name}'`, reader.source.file, span));
    }
    return Object.freeze({ kind: 'participant', name, alias, span });
  }

  signal(children: Children, reader: DiagramReader): MessageStatement | null {
    const fromToken = first(children, 'from');
    const toToken = first(children, 'to');
    const message = first(children, 'Message');
    const type = (children['signalType']?.[0] as CstNode | undefined)?.children as Children | undefined;
    if (!fromToken || !toToken || !message || !type) return null;
    const from = reader.actor(fromToken);
    const to = reader.actor(toToken);
    const headless = !first(type, 'Arrow') && !first(type, 'OpenArrow');
    return Object.freeze({
      kind: 'message',
      from,
      to,
      line: first(type, 'DotLine') ? 'dashed' : 'solid',
      arrow: first(type, 'OpenArrow') ? 'open' : 'filled',
      headless,
      text: messageText(message.image),
      span: reader.span(fromToken.startOffset, message.startOffset + message.image.length),
    });
  }

  noteStatement(children: Children, reader: DiagramReader): NoteStatement | null {
    const keyword = first(children, 'Note');
    const message = first(children, 'Message');
    const actorTokens = tokens(children, 'Actor');
    if (!keyword || !message || actorTokens.length === 0) return null;
    const position = first(children, 'LeftOf') ? 'left' : first(children, 'RightOf') ? 'right' : 'over';
    const ids = actorTokens.map((token) => reader.actor(token));
    const span = reader.span(keyword.startOffset, message.startOffset + message.image.length);
    // The reference means to reject this, but its check runs before the actors are set, so it draws it.
    if (ids.length === 2 && ids[0] === ids[1]) {
      reader.diagnostics.push(diagnostic('SEQ211', `'Note over' names '${ids[0] ?? ''}' twice; it is drawn over that one participant`, reader.source.file, span));
    }
    const participants = (ids.length === 2 ? [ids[0], ids[1]] : [ids[0]]) as [string] | [string, string];
    return Object.freeze({ kind: 'note', position, participants: Object.freeze(participants), text: messageText(message.image), span });
  }

  titleStatement(children: Children, reader: DiagramReader): TitleStatement | null {
    const keyword = first(children, 'Title');
    const message = first(children, 'Message');
    if (!keyword || !message) return null;
    const span = reader.span(keyword.startOffset, message.startOffset + message.image.length);
    if (reader.title !== null) {
      reader.diagnostics.push(diagnostic('SEQ208', `the title '${reader.title}' is replaced by a later one`, reader.source.file, span));
    }
    const text = messageText(message.image);
    reader.title = text;
    return Object.freeze({ kind: 'title', text, span });
  }

  signalType(): null {
    return null;
  }

  document(): null {
    return null;
  }
}

const visitor = new StatementVisitor();

/** Reads one statement CST; adds reading warnings for the tokens it was made of. */
export function readStatement(node: CstNode, reader: DiagramReader, statementTokens: readonly IToken[]): Statement | null {
  const statement = visitor.visit(node, reader) as Statement | null;
  if (statement) reader.diagnostics.push(...readingWarnings(statement, statementTokens, reader));
  return statement;
}
