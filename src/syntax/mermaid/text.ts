// mermaid's reading of texts: entity codes (`#59;`), `<br/>` line breaks, `wrap:`/`nowrap:` prefixes
// and `Name as Label` declarations, as its preprocessor and sequence database do it.
import { createRequire } from 'node:module';
import { decodeHTML } from 'entities';
import type * as YamlModule from 'yaml';

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

const MASKED = new RegExp(`${ENTITY_OPEN}(\\w+)${ENTITY_CLOSE}`, 'g');
const LINE_BREAK = /<br\s*\/?>/gi;

/**
 * A text as a browser draws mermaid's SVG of it: `<br>`, `<br/>` and `<br />` as line breaks (the
 * renderer splits there first), then the entity codes as HTML character references (`#59;` is
 * `&#59;`), then every character reference decoded as HTML does (`&amp;` written in the text too).
 */
export function drawnText(text: string): string {
  const split = text.includes('<') ? text.replace(LINE_BREAK, '\n') : text;
  const referenced = split.includes(ENTITY_OPEN)
    ? split.replace(MASKED, (_, name: string) => (/^\+?\d+$/.test(name) ? `&#${name};` : `&${name};`))
    : split;
  return referenced.includes('&') ? decodeHTML(referenced) : referenced;
}

/** sequenceDb.parseMessage: trimmed, a leading `wrap:` or `nowrap:` removed, then drawn. */
export function messageText(raw: string): string {
  const trimmed = raw.trim();
  // Case-sensitive, as mermaid's extractWrap: `WRAP:` stays part of the text.
  const unwrapped = /^:?(?:no)?wrap:/.test(trimmed) ? trimmed.replace(/^:?(?:no)?wrap:/, '').trim() : trimmed;
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

/** The YAML parser, loaded on the first `@{...}` (most diagrams have none, and every CLI start would pay for it). */
let yaml: typeof YamlModule | undefined;

/**
 * The `type` and `alias` of a participant's `@{...}`, read as mermaid reads it (YAML; a one-line
 * configuration is wrapped in braces first). An error text when it is not valid YAML: mermaid rejects that.
 */
export function configFields(config: string): { type: string | null; alias: string | null; error: string | null } {
  yaml ??= createRequire(import.meta.url)('yaml') as typeof YamlModule;
  const source = config.includes('\n') ? `${config}\n` : `{\n${config}\n}`;
  let document: unknown;
  try {
    document = yaml.parse(source);
  } catch (error) {
    return { type: null, alias: null, error: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  }
  const fields = document !== null && typeof document === 'object' ? (document as Record<string, unknown>) : {};
  const text = (value: unknown): string | null => (value === undefined || value === null || value === '' ? null : String(value));
  return { type: text(fields['type']), alias: text(fields['alias']), error: null };
}
