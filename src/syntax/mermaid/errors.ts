// Syntax errors of the mermaid dialect as diagnostics: what was found, what the statement needed
// there, and how to fix it. Chevrotain names the rule and the offending token.
import type { IRecognitionException, IToken } from 'chevrotain';
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { DiagnosticCode } from '../../diagnostics/catalogue.ts';
import { diagnostic } from '../diagnose.ts';
import { EOF, tokenMatcher } from '../chevrotain.ts';
import type { MermaidReader } from './build.ts';
import { Arrow, BadConfig, Central, Invalid, Minus, Name, NL, Plus, Semicolon, SequenceDiagram, Text } from './tokens.ts';

interface Finding {
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly at?: IToken;
}

function isEnd(token: IToken | undefined): boolean {
  return token === undefined || tokenMatcher(token, EOF) || tokenMatcher(token, NL);
}

function shortened(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function shown(token: IToken | undefined): string {
  if (!token || isEnd(token)) return 'the end of the line';
  return `'${shortened(token.image.trim())}'`;
}

function isArrowPart(token: IToken | undefined): boolean {
  return (
    token !== undefined &&
    (tokenMatcher(token, Arrow) || tokenMatcher(token, Invalid) || tokenMatcher(token, Minus) || tokenMatcher(token, Plus))
  );
}

/** The characters from `first` up to the next participant name, for "'<-' is not an arrow". */
function arrowText(chunk: readonly IToken[], first: number): string {
  let text = '';
  for (let i = first; i < chunk.length && isArrowPart(chunk[i]); i++) text += (chunk[i] as IToken).image;
  return shortened(text.trim());
}

function atStart(chunk: readonly IToken[]): Finding {
  const [first, second] = chunk;
  if (first && tokenMatcher(first, Text)) return { code: 'SEQ120', message: "a statement cannot start with ':'" };
  if (first && tokenMatcher(first, Arrow))
    return { code: 'SEQ121', message: `an arrow needs a participant on its left, found ${shown(first)}` };
  if (first?.tokenType === SequenceDiagram) return { code: 'SEQ120', message: "'sequenceDiagram' comes once, before the first statement" };
  if (first && tokenMatcher(first, Name)) {
    if (isEnd(second)) return { code: 'SEQ120', message: `'${shortened(first.image.trim())}' is not a statement` };
    if (isArrowPart(second)) return { code: 'SEQ122', message: `'${arrowText(chunk, 1)}' is not a mermaid arrow`, at: second };
    return { code: 'SEQ121', message: `expected an arrow after '${first.image.trim()}', found ${shown(second)}`, at: second };
  }
  return { code: 'SEQ120', message: `${shown(first)} cannot start a statement` };
}

function inSignal(chunk: readonly IToken[], index: number, found: IToken | undefined): Finding {
  const previous = chunk[index - 1];
  const first = chunk[0];
  if (index === 1 && first && isEnd(found)) {
    return {
      code: 'SEQ120',
      message: `'${shortened(first.image.trim())}' is not a statement: a message needs an arrow, ':' and a text`,
      at: first,
    };
  }
  if (index === 1 && isArrowPart(found) && !isEnd(found)) {
    return { code: 'SEQ122', message: `'${arrowText(chunk, 1)}' is not a mermaid arrow` };
  }
  if (
    previous &&
    (tokenMatcher(previous, Arrow) || tokenMatcher(previous, Central) || tokenMatcher(previous, Plus) || tokenMatcher(previous, Minus))
  ) {
    if (isArrowPart(found) && !isEnd(found)) {
      return { code: 'SEQ122', message: `'${arrowText(chunk, index - 1)}' is not a mermaid arrow`, at: previous };
    }
    return { code: 'SEQ123', message: `the arrow has no participant on its right, found ${shown(found)}` };
  }
  if (previous && tokenMatcher(previous, Name) && index > 1) {
    return { code: 'SEQ124', message: `a message needs ':' and its text after '${previous.image.trim()}', found ${shown(found)}` };
  }
  return { code: 'SEQ121', message: `expected an arrow, found ${shown(found)}` };
}

function inNote(index: number, found: IToken | undefined): Finding {
  if (index === 1) return { code: 'SEQ125', message: `'note' must be followed by 'left of', 'right of' or 'over', found ${shown(found)}` };
  if (found && tokenMatcher(found, Name))
    return { code: 'SEQ125', message: 'a note is over one or two participants, or left or right of one' };
  if (index === 2 || (found && !tokenMatcher(found, Text) && !isEnd(found) && index === 4)) {
    return { code: 'SEQ125', message: `the note needs a participant, found ${shown(found)}` };
  }
  return { code: 'SEQ124', message: `a note needs ':' and its text, found ${shown(found)}` };
}

function finding(rule: string, chunk: readonly IToken[], index: number, found: IToken | undefined): Finding {
  const keyword = chunk[0]?.image.trim() ?? '';
  switch (rule) {
    case 'signal':
      return inSignal(chunk, index, found);
    case 'note':
      return inNote(index, found);
    case 'participant':
    case 'idStatement':
      if (found?.tokenType === BadConfig) {
        return { code: 'SEQ126', message: "the participant's configuration '@{' is empty or never closed with '}'" };
      }
      if (index <= 2 && found && (tokenMatcher(found, Invalid) || isEnd(found))) {
        return {
          code: 'SEQ126',
          message: `'${keyword}' needs one participant name (without '<', '>', ':', ',' or ';'), found ${shown(found)}`,
        };
      }
      return { code: 'SEQ126', message: `unexpected ${shown(found)} after the participant name` };
    case 'autonumber':
      return { code: 'SEQ127', message: `'autonumber' takes a start and a step number, or 'off', found ${shown(found)}` };
    case 'actorText':
      return index === 1
        ? { code: 'SEQ126', message: `'${keyword}' needs a participant name, found ${shown(found)}` }
        : { code: 'SEQ124', message: `'${keyword}' needs ':' and its text, found ${shown(found)}` };
    default:
      return atStart(chunk);
  }
}

/** One diagnostic for a statement that failed to parse; `chunk` holds its tokens (through its line break). */
export function mermaidSyntaxError(
  error: IRecognitionException,
  chunk: readonly IToken[],
  before: IToken | undefined,
  reader: MermaidReader,
): Diagnostic {
  const atEof = tokenMatcher(error.token, EOF);
  const index = atEof ? chunk.length : Math.max(0, chunk.indexOf(error.token));
  const found = atEof ? undefined : error.token;
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? 'statement';
  const { code, message, at } = finding(rule, chunk, index, found);
  const target = at ?? found ?? chunk[chunk.length - 1];
  const start = target ? target.startOffset : 0;
  const width = target && !isEnd(target) ? target.image.trimEnd().length : 0;
  // `A->>B: a &amp; b` is two statements in mermaid: say so when the broken one follows a ';'.
  const afterSemicolon =
    before?.tokenType === Semicolon ? " (the ';' before it ends a statement in mermaid; write #59; for a literal ';')" : '';
  return diagnostic(code, `${message}${afterSemicolon}`, reader.source.file, reader.span(start, start + width));
}
