// Lexing a long diagram in segments so that tokens never pile up: memory stays bounded and time
// grows linearly. A segment ends after a run of line breaks that the reference lexer is certain to
// read as one NL token in its default state; such a point is a token boundary, so lexing the
// segments one by one gives exactly the tokens of lexing the whole text.
import type { IToken } from 'chevrotain';
import { tokenMatcher } from './chevrotain.ts';
import { Message, TitleText, sequenceLexer } from './tokens.ts';

/** About this many characters per segment; small enough to stay in the young generation. */
const SEGMENT_SIZE = 32 * 1024;

function isLineBreak(code: number): boolean {
  return code === 10 || code === 13;
}

const WHITESPACE = /\s/;

/**
 * The first safe end of a segment at or after `from`: just after a run of line breaks whose
 * preceding character is not whitespace (else `\s+` may swallow the break). `text.length` if none.
 */
export function segmentEnd(text: string, from: number): number {
  let index = Math.max(from, 1);
  while (index < text.length) {
    // A character loop, not indexOf('\r'): that would scan to the end of a text without any \r.
    let runStart = index;
    while (runStart < text.length && !isLineBreak(text.charCodeAt(runStart))) runStart++;
    if (runStart >= text.length) return text.length;
    let runEnd = runStart;
    while (runEnd < text.length && isLineBreak(text.charCodeAt(runEnd))) runEnd++;
    if (runStart > 0 && !WHITESPACE.test(text.charAt(runStart - 1))) return runEnd;
    index = runEnd;
  }
  return text.length;
}

/**
 * An unclosed-looking `"` read as a message in a segment could, in the whole text, open a quoted
 * name that closes in a later segment. Then the segment boundary is not safe.
 */
function mayOpenQuote(tokens: readonly IToken[]): boolean {
  for (const token of tokens) {
    if (
      token.image.charCodeAt(0) === 34 &&
      token.image.charCodeAt(1) !== 34 &&
      tokenMatcher(token, Message) &&
      !tokenMatcher(token, TitleText)
    )
      return true;
  }
  return false;
}

export interface Segment {
  /** Offset of the segment in the text; token offsets are relative to it. */
  readonly start: number;
  readonly length: number;
  readonly tokens: IToken[];
  readonly comments: IToken[];
}

/** Lexes `text` segment by segment, calling `read` for each (in order). `size` is for tests. */
export function forEachSegment(text: string, read: (segment: Segment) => void, size = SEGMENT_SIZE): void {
  let start = 0;
  while (start < text.length || start === 0) {
    let end = text.length - start > size ? segmentEnd(text, start + size) : text.length;
    let lexed = sequenceLexer.tokenize(end === text.length && start === 0 ? text : text.slice(start, end));
    if (end < text.length && mayOpenQuote(lexed.tokens) && text.indexOf('"', end) >= 0) {
      end = text.length;
      lexed = sequenceLexer.tokenize(text.slice(start));
    }
    read({ start, length: end - start, tokens: lexed.tokens, comments: lexed.groups['comments'] ?? [] });
    if (end >= text.length) return;
    start = end;
  }
}
