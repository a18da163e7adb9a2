// Writing text into mermaid `sequenceDiagram` source so that mermaid reads (and draws) exactly that text:
// the one escaping rule for the mermaid printer, `fmt --to mermaid` and the mermaid renderer.
//
// mermaid ends a text at `;` (a statement separator) and at `#` (a comment), so both become the entity
// codes mermaid decodes when it draws (`#59;`, `#35;`). `%` could start a comment or a `%%{directive}%%`
// and `<br>` draws as a line break, so those are encoded too. Line breaks become `<br/>`. A leading
// `wrap:`/`nowrap:` is read as a directive and a line holding `style…:…#…;` loses its last `;` to
// mermaid's style pre-pass: in both cases a letter is encoded.

/** `readable` encodes only what mermaid would read differently; `strict` also `<`, `>`, `&`, `"`, `{`, `}`. */
export type MermaidEscaping = 'readable' | 'strict';

const ALWAYS = /[#;%]|<(?=\s*br\s*\/?\s*>)/gi;
const STRICT = /[#;<>&%{}"]/g;

function code(c: string): string {
  return `#${c.charCodeAt(0)};`;
}

/** The first letter of every `word` in `text` as an entity code. */
function encodeFirstLetters(text: string, word: RegExp): string {
  return text.replace(word, (w) => code(w.charAt(0)) + w.slice(1));
}

/**
 * Text after a message's or note's `:`, a title, a label or an alias, escaped so that mermaid reads
 * `text` back. Surrounding spaces are written as entity codes (mermaid would trim them).
 */
export function mermaidText(text: string, escaping: MermaidEscaping = 'strict'): string {
  const encoded = text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(escaping === 'strict' ? STRICT : ALWAYS, code))
    .join('<br/>')
    // mermaid trims a text before it decodes it: surrounding spaces survive as entity codes.
    .replace(/^[ \t]+|[ \t]+$/g, (spaces) => spaces.replace(/./g, code));
  const unwrapped = /^(no)?wrap:/i.test(encoded) ? encodeFirstLetters(encoded, /^[a-z]/i) : encoded;
  return /(style|classDef)/.test(unwrapped) && unwrapped.includes(';') ? encodeFirstLetters(unwrapped, /(style|classDef)/g) : unwrapped;
}

/** mermaid's keywords: a participant name that starts with one (as a word) is read as that keyword. */
const KEYWORDS =
  /^(?:box|participant|actor|create|destroy|as|loop|rect|opt|alt|else|par|par_over|and|critical|option|break|end|left of|right of|links|link|properties|details|over|note|activate|deactivate|title|acctitle|accdescr|sequencediagram|autonumber|off)\b/i;

/**
 * A participant name written so that mermaid reads it back as `name` wherever a name stands (message,
 * note, declaration). mermaid decodes entity codes in names too, so any character can be written:
 * everything but letters, digits, `_`, inner spaces, `.` and `'` is encoded, as is the first letter of a
 * name that starts with a keyword and the `a` of an inner ` as `.
 */
export function mermaidName(name: string): string {
  const encoded = name.trim().replace(/[^\p{L}\p{N}_ .']/gu, (c) => `#${c.codePointAt(0) ?? 0};`);
  // A leading keyword, or a leading number (mermaid's NUM token, as in `autonumber 10 5`), is not a name.
  const unkeyworded =
    KEYWORDS.test(encoded) || /^(?:\d+(?:\.\d{1,2})?|\.\d{1,2})(?:\s|$)/.test(encoded) ? encodeFirstLetters(encoded, /^./u) : encoded;
  return unkeyworded.replace(/(?<=\s)as(?=\s|$)/gi, (w) => code(w.charAt(0)) + w.slice(1));
}
