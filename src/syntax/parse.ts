// Reading one diagram: lex once, cut the token stream into statements, parse each with the
// Chevrotain grammar, and read it into the AST. A statement that fails yields one diagnostic and
// reading resumes at the next line break, so every broken line is reported.
import { tokenMatcher } from './chevrotain.ts';
import type { IToken } from 'chevrotain';
import type { CommentStatement, Diagram, Participant, Statement, Step } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { DiagramReader, readStatement } from './build.ts';
import type { DiagramSource } from './build.ts';
import { diagnostic } from './diagnose.ts';
import { syntaxError } from './errors.ts';
import { sequenceParser, statementTokens } from './grammar.ts';
import type { ParsedStatement } from './grammar.ts';
import { LineIndex } from '../diagnostics/lines.ts';
import { forEachSegment } from './segments.ts';
import { Actor, Message, NL, Participant as ParticipantKeyword } from './tokens.ts';

export interface ParseResult {
  readonly file: string;
  readonly diagrams: Diagram[];
  readonly diagnostics: Diagnostic[];
}

export interface DiagramMeta {
  readonly name: string | null;
  readonly slug: string | null;
}

/** The end (exclusive) of the statement that starts at `start`: after its text, or at the line break. */
function statementEnd(tokens: readonly IToken[], start: number): number {
  const head = tokens[start];
  const next = tokens[start + 1];
  if (head && next && tokenMatcher(head, ParticipantKeyword) && tokenMatcher(next, Actor)) return start + 2;
  let index = start;
  while (index < tokens.length) {
    const token = tokens[index] as IToken;
    if (tokenMatcher(token, NL)) return index;
    index++;
    if (tokenMatcher(token, Message)) return index;
  }
  return index;
}

function parseStatement(chunk: IToken[]): {
  parsed: ParsedStatement | undefined;
  error: (typeof sequenceParser.errors)[number] | undefined;
} {
  sequenceParser.input = chunk;
  const parsed = sequenceParser.statement();
  return { parsed, error: sequenceParser.errors[0] };
}

const chunk: IToken[] = [];

interface ReadState {
  previousEndLine: number;
}

/** Adds one read statement, with the warning for a statement that starts where the previous ends. */
function addStatement(
  parsed: ParsedStatement,
  tokens: readonly IToken[],
  reader: DiagramReader,
  state: ReadState,
  statements: Statement[],
): void {
  const statement = readStatement(parsed, reader, tokens);
  if (statement.span.start.line === state.previousEndLine) {
    reader.diagnostics.push(
      diagnostic(
        'SEQ206',
        `this ${statement.kind} statement starts on the line where the previous one ends`,
        reader.source.file,
        statement.span,
      ),
    );
  }
  state.previousEndLine = statement.span.end.line;
  statements.push(statement);
}

/**
 * Statement by statement: each is cut out at its end (see statementEnd) and parsed alone, so that a
 * broken one yields its diagnostic and reading resumes with the next.
 */
function readEachStatement(tokens: readonly IToken[], reader: DiagramReader, segmentLength: number, state: ReadState): Statement[] {
  const statements: Statement[] = [];
  for (let start = 0; start < tokens.length;) {
    if (tokenMatcher(tokens[start] as IToken, NL)) {
      start++;
      continue;
    }
    const end = statementEnd(tokens, start);
    // One buffer for every statement: the parser and the reader are done with it before the next.
    chunk.length = 0;
    for (let i = start; i < end; i++) chunk.push(tokens[i] as IToken);
    const { parsed, error } = parseStatement(chunk);
    if (error || !parsed) {
      if (error) reader.diagnostics.push(syntaxError(error, chunk, tokens[end], segmentLength, reader));
    } else {
      addStatement(parsed, chunk, reader, state, statements);
    }
    start = end;
  }
  return statements;
}

/**
 * A segment without syntax errors (nearly all of them) is parsed in one go by the document rule,
 * which accepts exactly what the statement-by-statement reading accepts and cuts the same statements
 * (a test holds the two together); that saves setting the parser up once per statement. A segment
 * with an error is read again statement by statement, which is what reports every broken line.
 */
function readStatements(tokens: IToken[], reader: DiagramReader, segmentLength: number, state: ReadState): Statement[] {
  sequenceParser.input = tokens;
  const parsedAll = sequenceParser.document();
  if (sequenceParser.errors.length > 0) return readEachStatement(tokens, reader, segmentLength, state);
  const statements: Statement[] = [];
  for (const parsed of parsedAll) addStatement(parsed, statementTokens(parsed), reader, state, statements);
  return statements;
}

function comments(found: readonly IToken[], reader: DiagramReader): CommentStatement[] {
  return found.map((token) => Object.freeze({ kind: 'comment', text: token.image.slice(1).trimEnd(), span: reader.tokenSpan(token) }));
}

/** Merges two lists already in source order. */
function inSourceOrder(statements: Statement[], commentStatements: readonly CommentStatement[], into: Statement[]): void {
  let c = 0;
  for (const statement of statements) {
    while (c < commentStatements.length && (commentStatements[c] as CommentStatement).span.start.offset < statement.span.start.offset) {
      into.push(commentStatements[c++] as CommentStatement);
    }
    into.push(statement);
  }
  while (c < commentStatements.length) into.push(commentStatements[c++] as CommentStatement);
}

/** Reads the diagram whose text is `source.lines.text.slice(source.base, source.base + length)`. */
export function readDiagram(source: DiagramSource, length: number, meta: DiagramMeta): { diagram: Diagram; diagnostics: Diagnostic[] } {
  const body = source.lines.text.slice(source.base, source.base + length);
  const reader = new DiagramReader(source);
  const statements: Statement[] = [];
  const state: ReadState = { previousEndLine: 0 };
  forEachSegment(body, (segment) => {
    reader.segment = segment.start;
    const read = readStatements(segment.tokens, reader, segment.length, state);
    inSourceOrder(read, comments(segment.comments, reader), statements);
  });
  const participants: Participant[] = reader.registry.entries.map((entry) =>
    Object.freeze({ id: entry.id, label: entry.label, span: reader.bodySpan(entry.start, entry.end) }),
  );
  const steps = statements.filter((s): s is Step => s.kind === 'message' || s.kind === 'note');
  const diagram: Diagram = Object.freeze({
    dialect: 'sequence',
    name: meta.name,
    slug: meta.slug,
    title: reader.title,
    participants: Object.freeze(participants),
    statements: Object.freeze(statements),
    steps: Object.freeze(steps),
    file: source.file,
    span: reader.bodySpan(0, length),
  });
  const diagnostics = reader.diagnostics.sort((a, b) => (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0));
  return { diagram, diagnostics };
}

/** Parses one `.seq` text: one diagram, named null. Never throws. */
export function parseSource(text: string, options: { file: string }): ParseResult {
  const lines = new LineIndex(text);
  const { diagram, diagnostics } = readDiagram({ file: options.file, lines, base: 0 }, text.length, { name: null, slug: null });
  return { file: options.file, diagrams: [diagram], diagnostics };
}
