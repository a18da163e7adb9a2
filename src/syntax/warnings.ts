// Warnings where the reference's reading is valid but probably not what the author meant.
// They never change the reading: the diagram still means exactly what the renderer draws.
import { tokenMatcher } from 'chevrotain';
import type { IToken } from 'chevrotain';
import type { Statement } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { DiagramReader } from './build.ts';
import { diagnostic } from './diagnose.ts';
import { unescape } from './reference.ts';
import { Actor, QuotedActor, TitleText, Message } from './tokens.ts';

function end(token: IToken): number {
  return token.startOffset + token.image.length;
}

function actorWarnings(token: IToken, reader: DiagramReader): Diagnostic[] {
  const file = reader.source.file;
  const span = reader.tokenSpan(token);
  const name = unescape(token.image).trim();
  if (tokenMatcher(token, QuotedActor)) {
    return /[\r\n]/.test(token.image)
      ? [diagnostic('SEQ207', `the quoted name ${JSON.stringify(token.image)} spans several lines`, file, span)]
      : [];
  }
  const found: Diagnostic[] = [];
  if (name.endsWith('<')) {
    found.push(diagnostic('SEQ202', `'${name}' is read as a participant named '${name}', not as a left arrow`, file, span));
  }
  if (name.includes('#')) {
    found.push(diagnostic('SEQ204', `'#' is part of the participant name '${name}', not a comment`, file, span));
  }
  return found;
}

function messageWarnings(statement: Statement, token: IToken, reader: DiagramReader): Diagnostic[] {
  const span = reader.tokenSpan(token);
  if (tokenMatcher(token, TitleText)) {
    if (/^[-<>]/.test(token.image)) {
      return [diagnostic('SEQ201', `'Title${token.image}' is read as the title '${statement.kind === 'title' ? statement.text : ''}', not as a message`, reader.source.file, span)];
    }
    return [];
  }
  if (!token.image.startsWith(':')) {
    return [diagnostic('SEQ203', `the text ${JSON.stringify(token.image)} has no ':' before it, so its first character '${token.image[0] ?? ''}' is dropped`, reader.source.file, span)];
  }
  return [];
}

/** True when the whitespace between two tokens of one statement holds a line break. */
function continuesOnNextLine(statementTokens: readonly IToken[], text: string, base: number): IToken | undefined {
  for (let i = 1; i < statementTokens.length; i++) {
    const previous = statementTokens[i - 1];
    const next = statementTokens[i];
    if (previous && next && /[\r\n]/.test(text.slice(base + end(previous), base + next.startOffset))) return next;
  }
  return undefined;
}

export function readingWarnings(statement: Statement, statementTokens: readonly IToken[], reader: DiagramReader): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const token of statementTokens) {
    if (tokenMatcher(token, Message)) found.push(...messageWarnings(statement, token, reader));
    else if (tokenMatcher(token, Actor)) found.push(...actorWarnings(token, reader));
  }
  const continued = continuesOnNextLine(statementTokens, reader.source.lines.text, reader.source.base);
  if (continued) {
    found.push(diagnostic('SEQ205', `this ${statement.kind} statement continues on the next line at '${continued.image.trim()}'`, reader.source.file, reader.tokenSpan(continued)));
  }
  return found;
}
