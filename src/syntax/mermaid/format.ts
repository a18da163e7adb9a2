// `seqrun fmt` for mermaid input, and `seqrun fmt --to mermaid`: texts in, texts out. Every printed
// statement is the plainest spelling that seqrun's mermaid reader reads back as the same statement.
import type { Statement } from '../../ast/types.ts';
import { isMarkdown } from '../files.ts';
import { findFences } from '../markdown.ts';
import { parseSource } from '../parse.ts';
import type { ParseResult } from '../parse.ts';
import { toMermaidDiagram } from './convert.ts';
import { parseMermaidSource } from './parse.ts';
import { printMermaid } from './printer.ts';

function withoutSpans(statement: Statement): string {
  return JSON.stringify(statement, (key, value: unknown) => (key === 'span' || key === 'endSpan' ? undefined : value));
}

/**
 * True when `line`, read alone as a mermaid diagram, is exactly `statement`. Errors about its context
 * (a `-` deactivation of a participant that is only active in the whole diagram) do not count.
 */
export function readsAsMermaid(line: string, statement: Statement): boolean {
  if (statement.kind === 'comment') return true;
  const statements = parseMermaidSource(`sequenceDiagram\n${line}\n`, { file: '' }).diagrams[0]?.statements ?? [];
  const [only] = statements;
  return statements.length === 1 && only !== undefined && withoutSpans(only) === withoutSpans(statement);
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function hasErrors(result: ParseResult): boolean {
  return result.diagnostics.some((d) => d.severity === 'error');
}

/** The canonical text of one mermaid diagram (a `.mmd` text or a fence body), or null when it has errors. */
export function formatMermaid(text: string): string | null {
  const result = parseMermaidSource(text, { file: '' });
  const diagram = result.diagrams[0];
  if (!diagram || hasErrors(result)) return null;
  return printMermaid(diagram, { source: text, eol: lineEnding(text), readsAs: readsAsMermaid });
}

/** The mermaid text with the meaning of one js-sequence diagram (a `.seq` text or a fence body), or null when it has errors. */
export function convertSequence(text: string): string | null {
  const result = parseSource(text, { file: '' });
  const diagram = result.diagrams[0];
  if (!diagram || hasErrors(result)) return null;
  return printMermaid(toMermaidDiagram(diagram), { eol: lineEnding(text), readsAs: readsAsMermaid });
}

export interface Converted {
  /** The whole converted text: a `.seq` file's mermaid diagram, or the Markdown file with its fences converted. */
  readonly text: string;
  /** How many diagrams were converted. */
  readonly converted: number;
  /** How many were left as they are because they have errors. */
  readonly broken: number;
}

/**
 * `fmt --to mermaid`: a `.seq` text as mermaid, or a Markdown text with every closed ```sequence fence
 * turned into a ```mermaid fence holding the same diagram (every other byte kept).
 */
export function convertSource(text: string, file: string): Converted {
  if (!isMarkdown(file)) {
    const converted = convertSequence(text);
    return converted === null ? { text, converted: 0, broken: 1 } : { text: converted, converted: 1, broken: 0 };
  }
  let output = '';
  let copied = 0;
  let converted = 0;
  let broken = 0;
  for (const fence of findFences(text)) {
    if (fence.dialect !== 'sequence' || !fence.closed) continue;
    const body = convertSequence(text.slice(fence.bodyStart, fence.bodyEnd));
    if (body === null) {
      broken++;
      continue;
    }
    const opening = text.slice(fence.openStart, fence.bodyStart).replace(/^(\s*(?:`{3,}|~{3,})\s*)sequence/i, '$1mermaid');
    output += text.slice(copied, fence.openStart) + opening + body;
    copied = fence.bodyEnd;
    converted++;
  }
  return { text: output + text.slice(copied), converted, broken };
}
