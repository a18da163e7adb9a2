// Token types of mermaid's sequenceDiagram language, mirroring mermaid 11's jison lexer rule by rule
// (packages/mermaid/src/diagrams/sequence/parser/sequenceDiagram.jison). Like jison, Chevrotain takes
// the FIRST token type whose pattern matches, so the order below is the reference's order; all
// patterns are case-insensitive as the reference's are. jison's LINE, ALIAS, CONFIG and acc_* states
// read a fixed shape to the end of the line, so here each is one composite token (`loop` and its
// text, `Name as Label`, `@{...}`) that the builder takes apart; the ID state is a lexer mode.
import { createToken, Lexer } from '../chevrotain.ts';
import type { Lexer as ChevrotainLexer, TokenType } from 'chevrotain';
import { allCharsBut } from '../tokens.ts';
import { matchCharPercentComment, matchName, NOT_ID, NOT_LINE_BREAK, NOT_NAME_START, SPACES } from './matchers.ts';

// Categories the parser consumes.
export const NL = createToken({ name: 'MermaidNL', pattern: Lexer.NA, label: 'a line break' });
export const Invalid = createToken({ name: 'MermaidInvalid', pattern: Lexer.NA, label: 'an unexpected character' });
/** A participant name as statements write it (the INITIAL state's ACTOR or the ID state's). */
export const Actor = createToken({ name: 'MermaidActor', pattern: Lexer.NA, label: 'a participant name' });
export const Arrow = createToken({ name: 'MermaidArrow', pattern: Lexer.NA, label: 'an arrow' });
export const BlockOpen = createToken({ name: 'MermaidBlockOpen', pattern: Lexer.NA, label: 'a block keyword' });
export const SectionOpen = createToken({ name: 'MermaidSectionOpen', pattern: Lexer.NA, label: "'else', 'and' or 'option'" });

const rest = '[^#\\n;]*';
function keyword(name: string, word: string, extra: Partial<Parameters<typeof createToken>[0]> = {}): TokenType {
  return createToken({ name, pattern: new RegExp(`${word}\\b`, 'i'), label: `'${word}'`, ...extra });
}
/** A keyword that jison follows with its LINE state: the rest of the line up to `#` or `;` is its text. */
function lineKeyword(word: string, category: TokenType): TokenType {
  const name = `Mermaid_${word}`;
  return createToken({ name, pattern: new RegExp(`${word}\\b${rest}`, 'i'), label: `'${word}'`, categories: [category] });
}

export const Newline = createToken({ name: 'MermaidNewline', pattern: /\n+/, line_breaks: true, categories: [NL], label: 'a line break' });
export const Whitespace = createToken({ name: 'MermaidWhitespace', pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });
export const HashComment = createToken({ name: 'MermaidHashComment', pattern: /#[^\n]*/, group: 'comments' });
/** `%%{init: ...}%%`: mermaid removes directives before it lexes; kept as drawing statements. */
export const Directive = createToken({
  name: 'MermaidDirective',
  pattern: /%{2}\{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!\}%{2}).|\r?\n)*))?\s*(?:\}%{2})?/i,
  group: 'directives',
  line_breaks: true,
});
export const PercentComment = createToken({ name: 'MermaidPercentComment', pattern: /%(?!\{)[^\n]*/, group: 'comments' });
export const CharPercentComment = createToken({
  name: 'MermaidCharPercentComment',
  pattern: { exec: matchCharPercentComment },
  group: 'comments',
  start_chars_hint: allCharsBut('}'),
});
export const Num = createToken({ name: 'MermaidNum', pattern: /([0-9]+(\.[0-9]{1,2})?|\.[0-9]{1,2})(?=[ \n]+)/, label: 'a number' });

export const Box = lineKeyword('box', BlockOpen);
export const ParticipantKw = keyword('MermaidParticipant', 'participant', { push_mode: 'id' });
export const ActorKw = keyword('MermaidActorKeyword', 'actor', { push_mode: 'id' });
export const Create = keyword('MermaidCreate', 'create');
export const Destroy = keyword('MermaidDestroy', 'destroy', { push_mode: 'id' });
export const Loop = lineKeyword('loop', BlockOpen);
export const Rect = lineKeyword('rect', BlockOpen);
export const Opt = lineKeyword('opt', BlockOpen);
export const Alt = lineKeyword('alt', BlockOpen);
export const Else = lineKeyword('else', SectionOpen);
export const Par = lineKeyword('par', BlockOpen);
export const ParOver = lineKeyword('par_over', BlockOpen);
export const And = lineKeyword('and', SectionOpen);
export const Critical = lineKeyword('critical', BlockOpen);
export const Option = lineKeyword('option', SectionOpen);
export const Break = lineKeyword('break', BlockOpen);
export const End = keyword('MermaidEnd', 'end');
export const LeftOf = keyword('MermaidLeftOf', 'left of');
export const RightOf = keyword('MermaidRightOf', 'right of');
export const Links = keyword('MermaidLinks', 'links');
export const Link = keyword('MermaidLink', 'link');
export const Properties = keyword('MermaidProperties', 'properties');
export const Details = keyword('MermaidDetails', 'details');
export const Over = keyword('MermaidOver', 'over');
export const Note = keyword('MermaidNote', 'note');
export const Activate = keyword('MermaidActivate', 'activate', { push_mode: 'id' });
export const Deactivate = keyword('MermaidDeactivate', 'deactivate', { push_mode: 'id' });
// `\s` may be a line break: `title` at the end of a line takes the next line as the title, as in mermaid.
export const Title = createToken({ name: 'MermaidTitle', pattern: /title\s[^#\n;]+/i, line_breaks: true, label: "'title'" });
export const LegacyTitle = createToken({ name: 'MermaidLegacyTitle', pattern: /title:\s[^#\n;]+/i, line_breaks: true, label: "'title:'" });
export const AccTitle = createToken({
  name: 'MermaidAccTitle',
  pattern: /accTitle\s*:\s*[^\n]*/i,
  line_breaks: true,
  label: "'accTitle:'",
});
export const AccDescr = createToken({
  name: 'MermaidAccDescr',
  pattern: /accDescr\s*:\s*[^\n]*/i,
  line_breaks: true,
  label: "'accDescr:'",
});
export const AccDescrBlock = createToken({
  name: 'MermaidAccDescrBlock',
  pattern: /accDescr\s*\{[^}]*\}/i,
  line_breaks: true,
  label: "'accDescr {...}'",
});
export const AccDescrUnclosed = createToken({
  name: 'MermaidAccDescrUnclosed',
  pattern: /accDescr\s*\{[^}]*/i,
  line_breaks: true,
  categories: [Invalid],
});
export const SequenceDiagram = keyword('MermaidSequenceDiagram', 'sequenceDiagram');
export const Autonumber = keyword('MermaidAutonumber', 'autonumber');
export const Off = keyword('MermaidOff', 'off');
export const Comma = createToken({ name: 'MermaidComma', pattern: /,/, label: "','" });
export const Semicolon = createToken({ name: 'MermaidSemicolon', pattern: /;/, categories: [NL], label: "';'" });
export const Name = createToken({
  name: 'MermaidName',
  pattern: { exec: matchName },
  line_breaks: false,
  categories: [Actor],
  label: 'a participant name',
  start_chars_hint: NOT_NAME_START,
});

function arrow(name: string, pattern: RegExp): TokenType {
  return createToken({ name: `MermaidArrow_${name}`, pattern, categories: [Arrow], label: `'${pattern.source.replace(/\\/g, '')}'` });
}
// In the reference's order: `->>` before `->`, `-->>` before `-->`; the half arrows after the classic ones.
export const ARROWS: readonly TokenType[] = [
  arrow('solid', /->>/),
  arrow('bidirectionalSolid', /<<->>/),
  arrow('dotted', /-->>/),
  arrow('bidirectionalDotted', /<<-->>/),
  arrow('solidOpen', /->/),
  arrow('dottedOpen', /-->/),
  arrow('solidCross', /-x/i),
  arrow('dottedCross', /--x/i),
  arrow('solidPoint', /-\)/),
  arrow('dottedPoint', /--\)/),
  arrow('solidTopDotted', /--\|\\/),
  arrow('solidBottomDotted', /--\|\//),
  arrow('stickTopDotted', /--\\\\/),
  arrow('stickBottomDotted', /--\/\//),
  arrow('solidTopReverseDotted', /\/\|--/),
  arrow('solidBottomReverseDotted', /\\\|--/),
  arrow('stickTopReverseDotted', /\/\/--/),
  arrow('stickBottomReverseDotted', /\\\\--/),
  arrow('solidTop', /-\|\\/),
  arrow('solidBottom', /-\|\//),
  arrow('stickTop', /-\\\\/),
  arrow('stickBottom', /-\/\//),
  arrow('solidTopReverse', /\/\|-/),
  arrow('solidBottomReverse', /\\\|-/),
  arrow('stickTopReverse', /\/\/-/),
  arrow('stickBottomReverse', /\\\\-/),
];

export const Text = createToken({ name: 'MermaidText', pattern: /:[^#\n;]*/, label: "':' and a text" });
export const Plus = createToken({ name: 'MermaidPlus', pattern: /\+/, label: "'+'" });
export const Minus = createToken({ name: 'MermaidMinus', pattern: /-/, label: "'-'" });
/** Not in the reference, for speed only: dashes followed by two more, where no arrow can start, as one token. */
export const MinusRun = createToken({ name: 'MermaidMinusRun', pattern: /-+(?=--)/, categories: [Minus], label: "'-'" });
export const Central = createToken({ name: 'MermaidCentral', pattern: /\(\)/, label: "'()'" });
/**
 * Not in the reference, for speed only: a run of characters each of which jison would read as a
 * one-character INVALID (`>`, `)`, and `<`, `(`, `/`, `\\` where no arrow or `()` starts), as one token.
 */
export const InvalidRun = createToken({
  name: 'MermaidInvalidRun',
  pattern: /(?:(?![^}]%%)(?:[>)]|<(?!<--?>>)|\((?!\))|\/(?!\|-|\/-)|\\(?!\|-|\\-))){2,1000}/,
  categories: [Invalid],
});
export const AnyChar = createToken({ name: 'MermaidAnyChar', pattern: /[^\n]/, categories: [Invalid], start_chars_hint: NOT_LINE_BREAK });

// The ID state (after participant, actor, destroy, activate, deactivate): one name, maybe `@{...}` and `as`.
export const IdSpace = createToken({ name: 'MermaidIdSpace', pattern: /[^\S\n]+/, group: Lexer.SKIPPED, start_chars_hint: SPACES });
/** `Name@{...} as Label` and `Name@{...}`: the name is its own token, the rest is one. */
export const ConfigAs = createToken({
  name: 'MermaidConfigAs',
  pattern: /@\{[^}]+\}(?=[^\S\n]+as\s)[^\S\n]+as\b[^#\n;]*/i,
  line_breaks: true,
  pop_mode: true,
  label: "'@{...} as'",
});
export const Config = createToken({ name: 'MermaidConfig', pattern: /@\{[^}]+\}/, line_breaks: true, pop_mode: true, label: "'@{...}'" });
export const BadConfig = createToken({
  name: 'MermaidBadConfig',
  pattern: /@\{[^}]*\}?/,
  line_breaks: true,
  pop_mode: true,
  categories: [Invalid],
  start_chars_hint: NOT_LINE_BREAK,
});
export const IdBeforeConfig = createToken({
  name: 'MermaidIdBeforeConfig',
  pattern: /[^<=>\-:\n,;@\s]+(?=@\{)/,
  categories: [Actor],
  start_chars_hint: NOT_ID,
});
/** `Name as Label`: jison's ALIAS and LINE states in one token (the name, `as`, the label to `#` or `;`). */
export const IdAs = createToken({
  name: 'MermaidIdAs',
  pattern: /[^<>:\n,;@\s]+(?=[^\S\n]+as\s)[^\S\n]+as\b[^#\n;]*/i,
  line_breaks: true,
  pop_mode: true,
  categories: [Actor],
  start_chars_hint: NOT_ID,
});
export const IdName = createToken({
  name: 'MermaidIdName',
  pattern: /[^<>:\n,;@]+(?=\s*[\n;#])/,
  pop_mode: true,
  categories: [Actor],
  start_chars_hint: NOT_ID,
});
export const IdInvalid = createToken({
  name: 'MermaidIdInvalid',
  pattern: /[^<>:\n,;@]*<[^\n]*|[^\n]+/,
  pop_mode: true,
  categories: [Invalid],
  start_chars_hint: NOT_LINE_BREAK,
});
/** Not in the reference (its lexer fails here): a line break right after the keyword ends the mode. */
export const IdBreak = createToken({ name: 'MermaidIdBreak', pattern: /\n+/, line_breaks: true, pop_mode: true, categories: [NL] });

const statementTokens: TokenType[] = [
  Newline,
  Whitespace,
  HashComment,
  Directive,
  PercentComment,
  CharPercentComment,
  Num,
  Box,
  ParticipantKw,
  ActorKw,
  Create,
  Destroy,
  Loop,
  Rect,
  Opt,
  Alt,
  Else,
  Par,
  ParOver,
  And,
  Critical,
  Option,
  Break,
  End,
  LeftOf,
  RightOf,
  Links,
  Link,
  Properties,
  Details,
  Over,
  Note,
  Activate,
  Deactivate,
  Title,
  LegacyTitle,
  AccTitle,
  AccDescr,
  AccDescrBlock,
  AccDescrUnclosed,
  SequenceDiagram,
  Autonumber,
  Off,
  Comma,
  Semicolon,
  Name,
  MinusRun,
  ...ARROWS,
  Text,
  Plus,
  Minus,
  Central,
  InvalidRun,
  AnyChar,
];
const idTokens: TokenType[] = [IdSpace, HashComment, ConfigAs, Config, BadConfig, IdBeforeConfig, IdAs, IdName, IdInvalid, IdBreak];

export const allMermaidTokens: TokenType[] = [
  NL,
  Invalid,
  Actor,
  Arrow,
  BlockOpen,
  SectionOpen,
  ...statementTokens,
  ...idTokens.filter((t) => t !== HashComment),
];

export function createMermaidLexer(options: { readonly validate?: boolean } = {}): ChevrotainLexer {
  return new Lexer(
    { modes: { statement: statementTokens, id: idTokens }, defaultMode: 'statement' },
    {
      positionTracking: 'onlyOffset',
      ensureOptimizations: Boolean(options.validate),
      skipValidations: !options.validate,
      lineTerminatorsPattern: /\n/g,
      lineTerminatorCharacters: ['\n'],
    },
  );
}

export const mermaidLexer = createMermaidLexer();
