// Token types of the js-sequence-diagrams language, mirroring the reference (jison) lexer rule by rule.
// Order matters: like jison, Chevrotain takes the FIRST token type whose pattern matches, not the longest.
// Patterns are the reference's own regular expressions (case-insensitive, keywords end with `\b`).
import { createToken, Lexer } from './chevrotain.ts';
import type { Lexer as ChevrotainLexer, TokenType } from 'chevrotain';

/**
 * First-character hints for the complement-set patterns, which Chevrotain cannot analyse itself: with
 * them the lexer keeps its first-char optimisation. Below 256 every code but `excluded` (all of which
 * are below 256); above, Chevrotain files codes in buckets of 255 and tries every pattern of a code's
 * bucket, so one code in every 128 reaches every bucket. Listing all 65,536 codes cost ~15 ms of
 * every start (Chevrotain files each one).
 */
export function allCharsBut(excluded: string): number[] {
  const codes: number[] = [];
  for (let code = 0; code < 256; code++) if (!excluded.includes(String.fromCharCode(code))) codes.push(code);
  for (let code = 256; code < 65536; code += 128) codes.push(code);
  codes.push(65535);
  return codes;
}
const NAME_START = allCharsBut('->:,\r\n"');
const LINE_START = allCharsBut('\r\n');

export const NL = createToken({ name: 'NL', pattern: /[\r\n]+/, line_breaks: true });
// `\s` includes line breaks: spaces before a line break swallow it, as in the reference.
export const Whitespace = createToken({ name: 'Whitespace', pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/, group: 'comments' });
export const Participant = createToken({ name: 'Participant', pattern: /participant\b/i, label: "'participant'" });
export const LeftOf = createToken({ name: 'LeftOf', pattern: /left of\b/i, label: "'left of'" });
export const RightOf = createToken({ name: 'RightOf', pattern: /right of\b/i, label: "'right of'" });
export const Over = createToken({ name: 'Over', pattern: /over\b/i, label: "'over'" });
export const Note = createToken({ name: 'Note', pattern: /note\b/i, label: "'Note'" });
export const Title = createToken({ name: 'Title', pattern: /title\b/i, label: "'title'", push_mode: 'title' });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Actor = createToken({ name: 'Actor', pattern: /[^\->:,\r\n"]+/, label: 'a participant name', start_chars_hint: NAME_START });
/**
 * `"[^"]+"` without its worst case: when no quote follows, the regular expression scans to the end
 * of the text at every unclosed quote (quadratic on a long file). The next quote is looked up once.
 */
const quoteSearch = { text: '', from: -1, next: -1 };
function matchQuoted(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset) !== 34) return null;
  if (quoteSearch.text !== text || offset < quoteSearch.from || (quoteSearch.next >= 0 && offset >= quoteSearch.next)) {
    quoteSearch.text = text;
    quoteSearch.from = offset;
    quoteSearch.next = text.indexOf('"', offset + 1);
  }
  const close = quoteSearch.next;
  if (close < 0 || close === offset + 1) return null;
  return [text.slice(offset, close + 1)] as unknown as RegExpExecArray;
}

// A quoted name may span lines: `[^"]` matches line breaks too.
export const QuotedActor = createToken({
  name: 'QuotedActor',
  pattern: { exec: matchQuoted },
  start_chars_hint: ['"'],
  categories: [Actor],
  line_breaks: true,
  label: 'a quoted participant name',
});
export const DotLine = createToken({ name: 'DotLine', pattern: /--/, label: "'--'" });
export const Line = createToken({ name: 'Line', pattern: /-/, label: "'-'" });
export const OpenArrow = createToken({ name: 'OpenArrow', pattern: />>/, label: "'>>'" });
export const Arrow = createToken({ name: 'Arrow', pattern: />/, label: "'>'" });
// Reached at ':' (and at an unclosed or empty '"'); the first character is dropped when read.
export const Message = createToken({ name: 'Message', pattern: /[^\r\n]+/, label: "':' and a text", start_chars_hint: LINE_START });

// The title state: everything up to the line break is the title (the first character is dropped).
export const TitleText = createToken({
  name: 'TitleText',
  pattern: /[^\r\n]+/,
  categories: [Message],
  pop_mode: true,
  start_chars_hint: LINE_START,
});
// `title` directly followed by a line break: the reference fails here; we hand the parser a line
// break so that it reports "title needs a text" and recovers at the next line.
export const TitleBreak = createToken({ name: 'TitleBreak', pattern: /[\r\n]+/, categories: [NL], line_breaks: true, pop_mode: true });

const statementTokens: TokenType[] = [
  NL,
  Whitespace,
  Comment,
  Participant,
  LeftOf,
  RightOf,
  Over,
  Note,
  Title,
  Comma,
  Actor,
  QuotedActor,
  DotLine,
  Line,
  OpenArrow,
  Arrow,
  Message,
];

export const allTokens: TokenType[] = [...statementTokens, TitleText, TitleBreak];

/** The lexer; `validate` runs Chevrotain's checks of the token definitions (in the tests, see SequenceParser). */
export function createSequenceLexer(options: { readonly validate?: boolean } = {}): ChevrotainLexer {
  return new Lexer(
    { modes: { statement: statementTokens, title: [TitleText, TitleBreak] }, defaultMode: 'statement' },
    {
      positionTracking: 'onlyOffset',
      ensureOptimizations: Boolean(options.validate),
      skipValidations: !options.validate,
      // Both quoted names and the skipped whitespace may hold line breaks; we compute lines from offsets.
      lineTerminatorsPattern: /\n|\r\n?/g,
      lineTerminatorCharacters: ['\n', '\r'],
    },
  );
}

export const sequenceLexer = createSequenceLexer();
