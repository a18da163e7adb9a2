// Completion of a step's text from the registered expressions: after the `:` of a message or a note,
// the expressions of the handlers that could bind there (by kind: a solid arrow is a call, a dashed
// one a reply, a note an action or an expectation; and by the from/to/over filters), each parameter
// a snippet placeholder.
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Range } from 'vscode-languageserver';
import type { Handler, HandlerKind } from '../bind/types.ts';
import { pieces } from './expression-text.ts';

/** What the line before the cursor says about the step being written. */
export interface StepContext {
  readonly kinds: readonly HandlerKind[];
  readonly from?: string;
  readonly to?: string;
  readonly over?: readonly string[];
  /** 0-based column where the step's text starts (after the colon and its spaces). */
  readonly textStart: number;
}

const NOTE = /^\s*note\s+(?:left\s+of|right\s+of|over)\s+(.+?)\s*$/i;
// js-sequence and mermaid arrows: -> --> ->> -->> - -- -x --x -) --) <<->> and the +/- activation suffix.
const MESSAGE = /^\s*(.+?)\s*(<<)?(--?)(>>|>|x|\))?([+-])?\s*([^+\-<>]+?)\s*$/;
const unquote = (name: string): string => name.replace(/^"(.*)"$/, '$1').trim();

// mermaid block labels that bind: a loop's text, and the conditions of alt, else, opt, break and critical's options.
const BLOCK_LABEL = /^(\s*(loop|alt|else|opt|break|option)\s+)/;

/**
 * The step context of `line` (its text up to the cursor), or null when the cursor is not in a step's
 * text; in a mermaid diagram, a block label that binds is one too.
 */
export function stepContext(line: string, mermaid = false): StepContext | null {
  const block = mermaid ? BLOCK_LABEL.exec(line) : null;
  if (block) return { kinds: [block[2] === 'loop' ? 'loop' : 'condition'], textStart: (block[1] ?? '').length };
  const colon = line.indexOf(':');
  if (colon < 0) return null;
  const head = line.slice(0, colon);
  const textStart = colon + 1 + (/^\s*/.exec(line.slice(colon + 1))?.[0].length ?? 0);
  const note = NOTE.exec(head);
  if (note) return { kinds: ['note', 'expect'], over: (note[1] ?? '').split(',').map(unquote), textStart };
  const message = MESSAGE.exec(head);
  if (!message) return null;
  const dashed = message[3] === '--';
  return { kinds: [dashed ? 'reply' : 'call'], from: unquote(message[1] ?? ''), to: unquote(message[6] ?? ''), textStart };
}

function fits(handler: Handler, context: StepContext): boolean {
  if (!context.kinds.includes(handler.kind)) return false;
  const { filter } = handler;
  if (filter.from !== undefined && context.from !== undefined && filter.from !== context.from) return false;
  if (filter.to !== undefined && context.to !== undefined && filter.to !== context.to) return false;
  if (filter.over !== undefined && context.over !== undefined && !context.over.includes(filter.over)) return false;
  return true;
}

const escapeSnippet = (text: string): string => text.replace(/[$}\\]/g, '\\$&');

/**
 * A Cucumber expression as a snippet: each `{type}` a placeholder named after its type, optional text
 * `(s)` left out, an alternative `a/b` as its first word, escapes taken as written.
 */
export function expressionSnippet(expression: string): string {
  let index = 0;
  return pieces(expression)
    .map((piece) => (piece.parameter ? `\${${++index}:${escapeSnippet(piece.text || 'value')}}` : escapeSnippet(piece.text)))
    .join('');
}

/** Completion items for the step text being written; `range` is what they replace (the text typed so far). */
export function completions(handlers: readonly Handler[], context: StepContext, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  for (const handler of handlers) {
    if (typeof handler.expression !== 'string' || !fits(handler, context) || seen.has(handler.expression)) continue;
    seen.add(handler.expression);
    const mode = handler.kind === 'call' ? ` (${handler.mode})` : '';
    items.push({
      label: handler.expression,
      kind: CompletionItemKind.Function,
      detail: `${handler.kind}${mode}`,
      filterText: handler.expression,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: expressionSnippet(handler.expression) },
    });
  }
  return items;
}
