// A handler's identity across two versions: what it matches, where it is registered (relative to the
// version's top folder, so BASE's temporary copy and the working tree compare), and a hash of its code:
// the registration's own text (`s.call('…', async (ctx) => …)`, its arguments and options) and the
// source of its functions (a handler passed by name is defined elsewhere in the file).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { Handler } from '../bind/types.ts';
import type { Identify } from './describe.ts';
import type { HandlerRef } from './types.ts';

/** Skips a string, template or comment starting at `i`; returns the index after it, or `i` when none starts there. */
function skipLiteral(text: string, i: number): number {
  const c = text[i];
  if (c === '/' && text[i + 1] === '/') return text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
  if (c === '/' && text[i + 1] === '*') return text.indexOf('*/', i + 2) < 0 ? text.length : text.indexOf('*/', i + 2) + 2;
  if (c !== "'" && c !== '"' && c !== '`') return i;
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === c) return j + 1;
  }
  return text.length;
}

/** The text of the call whose name starts at `offset`: up to its closing parenthesis (brackets balanced). */
export function registrationText(text: string, offset: number): string {
  const open = text.indexOf('(', offset);
  if (open < 0) return '';
  let depth = 0;
  for (let i = open; i < text.length;) {
    const after = skipLiteral(text, i);
    if (after !== i) {
      i = after;
      continue;
    }
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    i++;
    if (depth === 0) return text.slice(offset, i);
  }
  return text.slice(offset);
}

/** The offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at + Math.max(column - 1, 0);
}

function functionsOf(handler: Handler): string {
  if ('fn' in handler) return String(handler.fn);
  const { job } = handler;
  return [job.start, job.wait, job.cancel, job.attach].map((f) => (f ? String(f) : '')).join('\n');
}

/** An `Identify` for the handlers of the version whose files sit under `top`. */
export function handlerIdentity(top: string): Identify {
  const texts = new Map<string, string>();
  const known = new Map<Handler, HandlerRef>();
  const textOf = (file: string): string => {
    let text = texts.get(file);
    if (text === undefined) {
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = '';
      }
      texts.set(file, text);
    }
    return text;
  };
  return (handler) => {
    const cached = known.get(handler);
    if (cached) return cached;
    const { file, line, column } = handler.source;
    const registration = registrationText(textOf(file), offsetOf(textOf(file), line, column));
    const hash = createHash('sha256').update(registration).update('\0').update(functionsOf(handler)).digest('hex').slice(0, 16);
    const shown = relative(top, file).split(sep).join('/');
    const ref: HandlerRef = { kind: handler.kind, expression: String(handler.expression), file: shown, line, hash };
    known.set(handler, ref);
    return ref;
  };
}
