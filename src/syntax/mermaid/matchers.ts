// The mermaid lexer's hand-written parts: first-character hints for the complement-set patterns
// (Chevrotain cannot analyse those), and two patterns written as code, each equivalent to the
// reference's regular expression: one runs at nearly every character, the other recursed once per
// part of a name and overflowed the stack on a long hostile line.
import { allCharsBut } from '../tokens.ts';

export const NOT_NAME_START = allCharsBut('/\\+()<->:\n,;');
export const NOT_LINE_BREAK = allCharsBut('\n');
export const NOT_ID = allCharsBut('<>:\n,;@');
export const SPACES = [
  9, 11, 12, 13, 32, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029,
  0x202f, 0x205f, 0x3000, 0xfeff,
];

/** `[^}]%%[^\n]*`, tried at nearly every character: the two `%` are checked before any regular expression runs. */
export function matchCharPercentComment(text: string, offset: number): RegExpExecArray | null {
  if (text.charCodeAt(offset + 1) !== 37 || text.charCodeAt(offset + 2) !== 37) return null;
  const first = text.charCodeAt(offset);
  if (first === 125 || Number.isNaN(first)) return null;
  const newline = text.indexOf('\n', offset + 3);
  return [text.slice(offset, newline < 0 ? text.length : newline)] as unknown as RegExpExecArray;
}
/** Characters that end a name's first run, and a later run, in the reference's ACTOR pattern. */
const NAME_STOP = asciiTable('/\\+()<->:\n,;');
const PART_STOP = asciiTable('+<->:\n,;');

function asciiTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (const char of chars) table[char.charCodeAt(0)] = 1;
  return table;
}

/** True when the character at `at` is in `table` (all its characters are ASCII); false past the end. */
function stops(table: Uint8Array, text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code < 128 && table[code] === 1;
}
/** Where no further part of a name may start: an arrow, `--` or `()` (case-insensitive `x`). */
const NAME_BREAKS = ['-x', '--x', '-)', '--)', '-|\\', '-\\', '-/', '-//', '-|/', '/|-', '\\|-', '//-', '\\\\-', '--|\\', '--', '()'];

function breaksName(text: string, at: number): boolean {
  const first = text.charCodeAt(at);
  // Every break starts with '-', '/', '\\' or '('.
  if (first !== 45 && first !== 47 && first !== 92 && first !== 40) return false;
  for (const stop of NAME_BREAKS) {
    if (stop.endsWith('x') ? text.slice(at, at + stop.length).toLowerCase() === stop : text.startsWith(stop, at)) return true;
  }
  return false;
}

/**
 * The reference's ACTOR, `[^/\\+()<\->:\n,;]+((?!(-x|--x|-\)|...|--|\(\)))[-]*[^+<\->:\n,;]+)*`, as a loop:
 * the regular expression recurses once per part and overflows the stack on a long `a-a-a-...` line.
 */
export function matchName(text: string, offset: number): RegExpExecArray | null {
  let end = offset;
  while (end < text.length && !stops(NAME_STOP, text, end)) end++;
  if (end === offset) return null;
  while (!breaksName(text, end)) {
    let part = end;
    while (text.charCodeAt(part) === 45) part++;
    const start = part;
    while (part < text.length && !stops(PART_STOP, text, part)) part++;
    if (part === start) break;
    end = part;
  }
  return [text.slice(offset, end)] as unknown as RegExpExecArray;
}
