// mermaid's reading of texts: entity codes (`#59;`), `<br/>` line breaks, `wrap:`/`nowrap:` prefixes
// and `Name as Label` declarations, as its preprocessor and sequence database do it.

/** Stand-ins for `#` and `;` of an entity code: neither a word character, whitespace nor a delimiter. */
const ENTITY_OPEN = '\ue000';
const ENTITY_CLOSE = '\ue001';
const ENTITY_CODE = /#(\w+);/g;

/**
 * mermaid replaces every `#name;` of the text before lexing (so its `#` starts no comment and its `;`
 * ends no statement). The same here, character for character, so that offsets stay those of the file.
 */
export function maskEntities(text: string): string {
  if (!text.includes('#')) return text;
  return text.replace(ENTITY_CODE, (_, name: string) => `${ENTITY_OPEN}${name}${ENTITY_CLOSE}`);
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  colon: ':',
  semi: ';',
  num: '#',
  comma: ',',
  copy: '\u00a9',
  reg: '\u00ae',
  hellip: '\u2026',
  mdash: '\u2014',
  ndash: '\u2013',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  equals: '=',
  infin: '\u221e',
  hearts: '\u2665',
};

function entity(name: string): string {
  if (/^\+?\d+$/.test(name)) {
    const code = Number(name.replace('+', ''));
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : `&#${name};`;
  }
  return NAMED[name.toLowerCase()] ?? `&${name};`;
}

const MASKED = new RegExp(`${ENTITY_OPEN}(\\w+)${ENTITY_CLOSE}`, 'g');
const LINE_BREAK = /<br\s*\/?>/gi;

/** A text as mermaid draws it: entity codes decoded, `<br>`, `<br/>` and `<br />` as line breaks. */
export function drawnText(text: string): string {
  const decoded = text.includes(ENTITY_OPEN) ? text.replace(MASKED, (_, name: string) => entity(name)) : text;
  return decoded.includes('<') ? decoded.replace(LINE_BREAK, '\n') : decoded;
}

/** sequenceDb.parseMessage: trimmed, a leading `wrap:` or `nowrap:` removed, then drawn. */
export function messageText(raw: string): string {
  const trimmed = raw.trim();
  const unwrapped = /^:?(?:no)?wrap:/i.test(trimmed) ? trimmed.replace(/^:?(?:no)?wrap:/i, '').trim() : trimmed;
  return drawnText(unwrapped);
}

/** A TEXT token (`: text`): the colon dropped, then read as a message. */
export function tokenText(image: string): string {
  return messageText(image.trim().substring(1));
}

/** A participant name: trimmed (the lexer's yytext.trim()), entity codes decoded. */
export function participantName(image: string): string {
  return drawnText(image.trim());
}

/** `Name as Label` (one token of the ID state): the name, and the label read as a message. */
export function splitDeclaration(image: string): { name: string; label: string | null } {
  const match = /^(\S+)\s+as\b([\s\S]*)$/i.exec(image);
  if (!match) return { name: participantName(image), label: null };
  return { name: participantName(match[1] ?? ''), label: messageText(match[2] ?? '') };
}

/** `@{ ... } as Label` or `@{ ... }`: the configuration as written and the label. */
export function splitConfig(image: string): { config: string; label: string | null } {
  const close = image.indexOf('}');
  const config = image.slice(2, close).trim();
  const after = image.slice(close + 1);
  const match = /^\s+as\b([\s\S]*)$/i.exec(after);
  return { config, label: match ? messageText(match[1] ?? '') : null };
}

/** The `type` and `alias` of a participant's `@{...}` (YAML flow or JSON); others are drawing only. */
export function configFields(config: string): { type: string | null; alias: string | null } {
  const field = (key: string): string | null => {
    const match = new RegExp(`(?:^|[{,\\s])["']?${key}["']?\\s*:\\s*(?:"([^"]*)"|'([^']*)'|([^,}\\n]*))`).exec(config);
    if (!match) return null;
    const value = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    return value === '' ? null : value;
  };
  return { type: field('type'), alias: field('alias') };
}
