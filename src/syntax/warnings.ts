// Warnings where the reference's reading is valid but probably not what the author meant.
// They never change the reading: the diagram still means exactly what the renderer draws.
import type { IToken } from 'chevrotain';
import type { Statement } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { DiagramReader } from './build.ts';
import { diagnostic } from './diagnose.ts';
import { unescape } from './reference.ts';
import { Actor, QuotedActor, TitleText, Message } from './tokens.ts';

const NONE: Diagnostic[] = [];

function end(token: IToken): number {
  return token.startOffset + token.image.length;
}

function actorWarnings(token: IToken, reader: DiagramReader): Diagnostic[] {
  const file = reader.source.file;
  const image = token.image;
  if (token.tokenType === QuotedActor) {
    return image.includes('\n') || image.includes('\r')
      ? [diagnostic('SEQ207', `the quoted name ${JSON.stringify(image)} spans several lines`, file, reader.tokenSpan(token))]
      : [];
  }
  const suspicious = image.includes('#') || image.includes('<');
  if (!suspicious) return NONE;
  const name = unescape(image).trim();
  const found: Diagnostic[] = [];
  if (name.endsWith('<')) {
    found.push(
      diagnostic('SEQ202', `'${name}' is read as a participant named '${name}', not as a left arrow`, file, reader.tokenSpan(token)),
    );
  }
  if (name.includes('#')) {
    found.push(diagnostic('SEQ204', `'#' is part of the participant name '${name}', not a comment`, file, reader.tokenSpan(token)));
  }
  return found;
}

function messageWarnings(statement: Statement, token: IToken, reader: DiagramReader): Diagnostic[] {
  const first = token.image[0] ?? '';
  if (token.tokenType === TitleText) {
    if (first === '-' || first === '<' || first === '>') {
      const message = `'Title${token.image}' is read as the title '${statement.kind === 'title' ? statement.text : ''}', not as a message`;
      return [diagnostic('SEQ201', message, reader.source.file, reader.tokenSpan(token))];
    }
    return NONE;
  }
  if (first !== ':') {
    const message = `the text ${JSON.stringify(token.image)} has no ':' before it, so its first character '${first}' is dropped`;
    return [diagnostic('SEQ203', message, reader.source.file, reader.tokenSpan(token))];
  }
  return NONE;
}

/** True when the whitespace between two tokens of one statement holds a line break. */
function continuesOnNextLine(statementTokens: readonly IToken[], text: string, base: number): IToken | undefined {
  for (let i = 1; i < statementTokens.length; i++) {
    const previous = statementTokens[i - 1];
    const next = statementTokens[i];
    if (!previous || !next) continue;
    for (let at = base + end(previous); at < base + next.startOffset; at++) {
      const code = text.charCodeAt(at);
      if (code === 10 || code === 13) return next;
    }
  }
  return undefined;
}

export function readingWarnings(statement: Statement, statementTokens: readonly IToken[], reader: DiagramReader): Diagnostic[] {
  let found: Diagnostic[] = NONE;
  for (const token of statementTokens) {
    const type = token.tokenType;
    const warnings =
      type === Message || type === TitleText
        ? messageWarnings(statement, token, reader)
        : type === Actor || type === QuotedActor
          ? actorWarnings(token, reader)
          : NONE;
    if (warnings.length > 0) found = [...found, ...warnings];
  }
  // Only a statement spread over several lines can continue on the next one.
  const continued =
    statement.span.start.line !== statement.span.end.line &&
    continuesOnNextLine(statementTokens, reader.source.lines.text, reader.fileOffset(0));
  if (continued) {
    found = [
      ...found,
      diagnostic(
        'SEQ205',
        `this ${statement.kind} statement continues on the next line at '${continued.image.trim()}'`,
        reader.source.file,
        reader.tokenSpan(continued),
      ),
    ];
  }
  return found;
}
