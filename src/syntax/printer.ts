// The canonical printer behind `seqrun fmt`: one statement per line, `A->B: text`,
// `Note left of A: text`, `Title: text`, no trailing spaces, a final newline, and at most one
// blank line where the author left some. Every printed statement is parsed back and compared,
// so printing never changes what a diagram means; a statement that cannot be printed canonically
// keeps its original text.
import type { Diagram, Statement } from '../ast/types.ts';
import { isMarkdown, isMermaidFile } from './files.ts';
import { findFences } from './markdown.ts';
import { formatMermaid, readsAsMermaid } from './mermaid/format.ts';
import { printStatement } from './mermaid/printer.ts';
import { parseSource } from './parse.ts';

const ARROWS = { solid: '-', dashed: '--' } as const;
const HEADS = { filled: '>', open: '>>' } as const;
const PLACEMENTS = { left: 'left of', right: 'right of', over: 'over' } as const;

function withoutSpan(statement: Statement): string {
  return JSON.stringify(statement, (key, value: unknown) => (key === 'span' ? undefined : value));
}

/** True when `line` reads back as exactly `statement` without errors. */
function readsAs(line: string, statement: Statement): boolean {
  const result = parseSource(line, { file: '' });
  const statements = result.diagrams[0]?.statements ?? [];
  return (
    result.diagnostics.every((d) => d.severity !== 'error') &&
    statements.length === 1 &&
    statements[0] !== undefined &&
    withoutSpan(statements[0]) === withoutSpan(statement)
  );
}

/** Text after ':' : plain, else quoted (to keep surrounding spaces or quotes). Line breaks print as `\n`. */
function textVariants(text: string): string[] {
  const escaped = text.replace(/\n/g, '\\n');
  return text === '' ? [''] : [` ${escaped}`, ` "${escaped}"`];
}

function nameVariants(name: string): string[] {
  return [name, `"${name}"`, `" ${name} "`];
}

function candidates(statement: Statement): string[] {
  switch (statement.kind) {
    case 'comment':
      return [`#${statement.text}`];
    case 'title':
      return textVariants(statement.text).map((text) => `Title:${text}`);
    case 'participant': {
      const declared = statement.alias === null ? statement.name : `${statement.name} as ${statement.alias}`;
      return nameVariants(declared).map((name) => `participant ${name}`);
    }
    case 'message': {
      const arrow = ARROWS[statement.line] + (statement.headless ? '' : HEADS[statement.arrow]);
      return nameVariants(statement.from).flatMap((from) =>
        nameVariants(statement.to).flatMap((to) => textVariants(statement.text).map((text) => `${from}${arrow}${to}:${text}`)),
      );
    }
    case 'note': {
      const lists =
        statement.participants.length === 2
          ? nameVariants(statement.participants[0]).flatMap((a) => nameVariants(statement.participants[1] ?? '').map((b) => `${a},${b}`))
          : nameVariants(statement.participants[0]);
      return lists.flatMap((list) => textVariants(statement.text).map((text) => `Note ${PLACEMENTS[statement.position]} ${list}:${text}`));
    }
    // mermaid's statements never occur in a js-sequence diagram; its own printer prints them.
    case 'block':
    case 'box':
    case 'activation':
    case 'autonumber':
    case 'drawing':
      return [];
  }
}

/** The canonical line for one statement, or the author's text (from `source`) when none reads back the same. */
export function formatStatement(statement: Statement, source?: string): string {
  // A mermaid message is shown as written in mermaid (`A->>+B: text`); notes read the same in both dialects.
  if (statement.kind === 'message' && statement.mermaid) return printStatement(statement, readsAsMermaid);
  for (const line of candidates(statement)) {
    if (statement.kind === 'comment' || readsAs(line, statement)) return line;
  }
  const original = source?.slice(statement.span.start.offset, statement.span.end.offset);
  return original ?? candidates(statement)[0] ?? '';
}

/**
 * Canonical js-sequence text for a diagram, ending with a newline (empty for an empty diagram).
 * `source` is the text the spans point into; it is only needed for statements that cannot be
 * printed canonically.
 */
export function formatDiagram(diagram: Diagram, source?: string, eol = '\n'): string {
  const lines: string[] = [];
  let previousEnd = 0;
  for (const statement of diagram.statements) {
    if (lines.length > 0 && statement.span.start.line > previousEnd + 1) lines.push('');
    lines.push(formatStatement(statement, source));
    previousEnd = statement.span.end.line;
  }
  return lines.length === 0 ? '' : lines.join(eol) + eol;
}

function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/**
 * Formats a `.seq` text, a `.mmd` text (mermaid/format.ts), or the ```sequence and mermaid
 * sequenceDiagram fences of a Markdown text (everything else stays byte-identical). Diagrams with
 * errors, and unclosed fences, are left as they are.
 */
export function formatSource(text: string, file: string): string {
  const eol = lineEnding(text);
  if (isMermaidFile(file)) return formatMermaid(text) ?? text;
  if (!isMarkdown(file)) {
    const result = parseSource(text, { file });
    const diagram = result.diagrams[0];
    if (!diagram || result.diagnostics.some((d) => d.severity === 'error')) return text;
    return formatDiagram(diagram, text, eol);
  }
  let output = '';
  let copied = 0;
  for (const fence of findFences(text)) {
    if (!fence.closed) continue;
    const body = text.slice(fence.bodyStart, fence.bodyEnd);
    if (fence.dialect === 'mermaid') {
      const formatted = formatMermaid(body);
      if (formatted === null) continue;
      output += text.slice(copied, fence.bodyStart) + formatted;
      copied = fence.bodyEnd;
      continue;
    }
    const result = parseSource(body, { file });
    const diagram = result.diagrams[0];
    if (!diagram || result.diagnostics.some((d) => d.severity === 'error')) continue;
    output += text.slice(copied, fence.bodyStart) + formatDiagram(diagram, body, eol);
    copied = fence.bodyEnd;
  }
  return output + text.slice(copied);
}
