// Syntax errors as diagnostics: what was found, what the statement needed there, and how to fix it.
// Chevrotain tells us the rule and the offending token; the message is written for the author.
import { EOF, tokenMatcher } from './chevrotain.ts';
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';
import type { DiagramReader } from './build.ts';
import { diagnostic } from './diagnose.ts';
import { Arrow, Comma, DotLine, LeftOf, Line, Message, NL, Note, OpenArrow, Over, Participant, RightOf, Title } from './tokens.ts';

const KEYWORDS: readonly TokenType[] = [Participant, LeftOf, RightOf, Over, Note, Title];

function isAny(token: IToken, types: readonly TokenType[]): boolean {
  return types.some((type) => tokenMatcher(token, type));
}

function isEnd(token: IToken | undefined): boolean {
  return token === undefined || tokenMatcher(token, EOF) || tokenMatcher(token, NL);
}

function shown(token: IToken | undefined): string {
  if (isEnd(token) || !token) return 'the end of the line';
  const image = token.image.length > 40 ? `${token.image.slice(0, 37)}...` : token.image;
  return `'${image.trim()}'`;
}

interface Finding {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** Where to point when not at the offending token (e.g. the whole name that is not a statement). */
  readonly at?: IToken;
  /** A hint for this case, instead of the catalogue's. */
  readonly hint?: string;
}

function statementStart(found: IToken | undefined): Finding {
  if (found && tokenMatcher(found, Message) && found.image.startsWith(':')) {
    return { code: 'SEQ100', message: "a statement cannot start with ':'" };
  }
  if (found && isAny(found, [Line, DotLine, Arrow, OpenArrow])) {
    return { code: 'SEQ102', message: `an arrow needs a participant on its left, found ${shown(found)} at the start of a statement` };
  }
  return { code: 'SEQ100', message: `${shown(found)} cannot start a statement` };
}

function inSignal(consumed: readonly IToken[], found: IToken | undefined): Finding {
  const last = consumed[consumed.length - 1];
  if (consumed.length === 1 && last) {
    if (isEnd(found) && /^as\s/i.test(last.image)) {
      const hint = 'Write `participant Name as Alias` without quotes, or quote the whole text: `participant "Name as Alias"`.';
      return {
        code: 'SEQ100',
        message: `'${last.image.trim()}' is not a statement: a quoted name ends the participant declaration`,
        at: last,
        hint,
      };
    }
    if (isEnd(found)) return { code: 'SEQ100', message: `'${last.image.trim()}' is not a statement`, at: last };
    if (found && isAny(found, [Arrow, OpenArrow]) && /[^\s\w]$/.test(last.image)) {
      return { code: 'SEQ103', message: `'${last.image.slice(-1)}${found.image}' is not an arrow`, at: found };
    }
    return { code: 'SEQ101', message: `expected an arrow after '${last.image.trim()}', found ${shown(found)}` };
  }
  if (last && isAny(last, [Line, DotLine, Arrow, OpenArrow])) {
    if (found && isAny(found, [Line, DotLine, Arrow, OpenArrow])) {
      return {
        code: 'SEQ103',
        message: `'${consumed
          .slice(1)
          .map((t) => t.image)
          .join('')}${found.image}' is not an arrow`,
      };
    }
    if (found && isAny(found, KEYWORDS)) {
      return { code: 'SEQ104', message: `'${found.image}' is a keyword and cannot name the participant on the right of the arrow` };
    }
    return { code: 'SEQ102', message: `the arrow has no participant on its right, found ${shown(found)}` };
  }
  if (isEnd(found)) {
    return {
      code: 'SEQ105',
      message: `a message needs ':' before its text ('${last?.image.trim() ?? ''}' is read as the receiving participant's name)`,
    };
  }
  return { code: 'SEQ105', message: `expected ':' and the message text after '${last?.image.trim() ?? ''}', found ${shown(found)}` };
}

function inNote(consumed: readonly IToken[], found: IToken | undefined): Finding {
  const placement = consumed[1];
  if (consumed.length === 1) {
    return {
      code: 'SEQ106',
      message: `'${consumed[0]?.image ?? 'Note'}' must be followed by 'left of', 'right of' or 'over', found ${shown(found)}`,
    };
  }
  if (consumed.length === 2)
    return { code: 'SEQ107', message: `'Note ${placement?.image ?? ''}' needs a participant, found ${shown(found)}` };
  if (found && tokenMatcher(found, Comma)) {
    return placement && tokenMatcher(placement, Over)
      ? { code: 'SEQ108', message: "'Note over' takes one or two participants" }
      : { code: 'SEQ108', message: `'Note ${placement?.image ?? ''}' takes one participant` };
  }
  if (consumed.length === 4) return { code: 'SEQ107', message: `expected a second participant after ',', found ${shown(found)}` };
  if (isEnd(found)) return { code: 'SEQ105', message: "a note needs ':' before its text" };
  return { code: 'SEQ105', message: `expected ':' and the note text, found ${shown(found)}` };
}

function finding(rule: string, consumed: readonly IToken[], found: IToken | undefined): Finding {
  switch (rule) {
    case 'signal':
    case 'signalType':
      return inSignal(consumed, found);
    case 'noteStatement':
      return inNote(consumed, found);
    case 'titleStatement':
      return { code: 'SEQ109', message: "'title' needs a text on the same line" };
    case 'participantDeclaration':
      return { code: 'SEQ110', message: `'participant' needs a name, found ${shown(found)}` };
    default:
      return statementStart(found);
  }
}

/**
 * One diagnostic for a statement that failed to parse. `chunk` holds the statement's tokens, `after`
 * the token that follows it (where "the end of the line" is), `textEnd` the end offset of the diagram.
 */
export function syntaxError(
  error: IRecognitionException,
  chunk: readonly IToken[],
  after: IToken | undefined,
  textEnd: number,
  reader: DiagramReader,
): Diagnostic {
  const atEnd = tokenMatcher(error.token, EOF);
  const index = atEnd ? chunk.length : Math.max(0, chunk.indexOf(error.token));
  const found = atEnd ? after : error.token;
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? 'statement';
  const { code, message, at, hint } = finding(rule, chunk.slice(0, index), found);
  const target = at ?? found;
  const start = target ? target.startOffset : textEnd;
  const width = target && !isEnd(target) ? target.image.trimEnd().length : 0;
  return diagnostic(code, message, reader.source.file, reader.span(start, start + width), hint);
}
