// mermaid's reading of texts: entity codes (`#59;`), `<br/>` line breaks, `wrap:`/`nowrap:` prefixes
// and `Name as Label` declarations, as its preprocessor and sequence database do it.
import { createRequire } from 'node:module';
import { decodeHTML } from 'entities';

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

/** js-yaml, the YAML reader mermaid bundles; loaded on the first `@{...}` (most diagrams have none). */
interface JsYaml {
  load(text: string, options: { schema: unknown }): unknown;
  JSON_SCHEMA: unknown;
}
let jsYaml: JsYaml | undefined;

/** js-yaml's reading of `source` with the JSON schema, as mermaid loads its YAML; the first line of its error. */
export function loadYaml(source: string): { readonly value: unknown } | { readonly error: string } {
  jsYaml ??= createRequire(import.meta.url)('js-yaml') as JsYaml;
  try {
    return { value: jsYaml.load(source, { schema: jsYaml.JSON_SCHEMA }) };
  } catch (error) {
    return { error: error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error) };
  }
}

/**
 * The `type` and `alias` of a participant's `@{...}`, read as mermaid reads it (a one-line
 * configuration is wrapped in braces first). An error text when it does not load: mermaid rejects that.
 */
export function configFields(config: string): { type: string | null; alias: string | null; error: string | null } {
  const loaded = loadYaml(config.includes('\n') ? `${config}\n` : `{\n${config}\n}`);
  if ('error' in loaded) return { type: null, alias: null, error: loaded.error };
  const document = loaded.value;
  const fields = document !== null && typeof document === 'object' ? (document as Record<string, unknown>) : {};
  const text = (value: unknown): string | null => (value === undefined || value === null || value === '' ? null : String(value));
  return { type: text(fields['type']), alias: text(fields['alias']), error: null };
}
