// `seqrun fmt` for mermaid input, and `seqrun fmt --to mermaid`: texts in, texts out. Every printed
// statement is the plainest spelling that seqrun's mermaid reader reads back as the same statement.
import type { Diagram, Statement } from '../../ast/types.ts';
import { forEachStatement } from '../../ast/types.ts';
import { LineIndex } from '../../diagnostics/lines.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { diagnostic } from '../diagnose.ts';
import { isMarkdown } from '../files.ts';
import { findFences } from '../markdown.ts';
import { readDiagram } from '../parse.ts';
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

/** True when two lines, each read alone as a mermaid diagram, are the same statement. */
function sameReading(line: string, other: string): boolean {
  const read = (text: string): string[] =>
    (parseMermaidSource(`sequenceDiagram\n${text}\n`, { file: '' }).diagrams[0]?.statements ?? []).map(withoutSpans);
  const [a, b] = [read(line), read(other)];
  return a.length === 1 && b.length === 1 && a[0] === b[0];
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
  return printMermaid(diagram, { source: text, eol: lineEnding(text), readsAs: readsAsMermaid, sameReading });
}

/** mermaid's line break tag (its `lineBreakRegex`): drawn as a line break wherever it stands, even encoded. */
const LINE_BREAK_TAG = /<br\s*\/?>/i;

/** SEQ150 for every statement whose text or names hold a `<br>`, which no mermaid spelling keeps. */
function lineBreakTags(diagram: Diagram): Diagnostic[] {
  const found: Diagnostic[] = [];
  forEachStatement(diagram.statements, (s) => {
    const words =
      s.kind === 'message'
        ? [s.from, s.to, s.text]
        : s.kind === 'note'
          ? [...s.participants, s.text]
          : s.kind === 'participant'
            ? [s.name, s.alias ?? '']
            : s.kind === 'title'
              ? [s.text]
              : [];
    const word = words.find((w) => LINE_BREAK_TAG.test(w));
    if (word === undefined) return;
    const tag = LINE_BREAK_TAG.exec(word)?.[0] ?? '<br>';
    const message = `'${tag}' in '${word}' would be a line break in mermaid, so the mermaid diagram would not mean the same`;
    found.push(diagnostic('SEQ150', message, diagram.file, s.span));
  });
  return found;
}

export interface ConvertedDiagram {
  /** The mermaid text, or null when the diagram has errors or cannot be converted with its meaning. */
  readonly text: string | null;
  /** Why it cannot be converted (SEQ150); its syntax errors are the parse's own. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The mermaid text with the meaning of the js-sequence diagram in `length` characters from `base` of `lines`. */
function convertAt(lines: LineIndex, base: number, length: number, file: string): ConvertedDiagram {
  const read = readDiagram({ file, lines, base }, length, { name: null, slug: null });
  if (read.diagnostics.some((d) => d.severity === 'error')) return { text: null, diagnostics: [] };
  const problems = lineBreakTags(read.diagram);
  if (problems.length > 0) return { text: null, diagnostics: problems };
  const eol = lineEnding(lines.text.slice(base, base + length));
  return { text: printMermaid(toMermaidDiagram(read.diagram), { eol, readsAs: readsAsMermaid, sameReading }), diagnostics: [] };
}

/** The mermaid text with the meaning of one js-sequence text (a `.seq` file). */
export function convertSequence(text: string, file = ''): ConvertedDiagram {
  return convertAt(new LineIndex(text), 0, text.length, file);
}

export interface Converted {
  /** The whole converted text: a `.seq` file's mermaid diagram, or the Markdown file with its fences converted. */
  readonly text: string;
  /** How many diagrams were converted. */
  readonly converted: number;
  /** How many were left as they are because they have errors or cannot be converted (SEQ150). */
  readonly broken: number;
  /** SEQ150 errors, at their lines in the file. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * `fmt --to mermaid`: a `.seq` text as mermaid, or a Markdown text with every closed ```sequence fence
 * turned into a ```mermaid fence holding the same diagram (every other byte kept).
 */
export function convertSource(text: string, file: string): Converted {
  if (!isMarkdown(file)) {
    const one = convertSequence(text, file);
    const counts = one.text === null ? { text, converted: 0, broken: 1 } : { text: one.text, converted: 1, broken: 0 };
    return { ...counts, diagnostics: one.diagnostics };
  }
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  let output = '';
  let copied = 0;
  let converted = 0;
  let broken = 0;
  for (const fence of findFences(text)) {
    if (fence.dialect !== 'sequence' || !fence.closed) continue;
    const body = convertAt(lines, fence.bodyStart, fence.bodyEnd - fence.bodyStart, file);
    diagnostics.push(...body.diagnostics);
    if (body.text === null) {
      broken++;
      continue;
    }
    const opening = text.slice(fence.openStart, fence.bodyStart).replace(/^(\s*(?:`{3,}|~{3,})\s*)sequence/i, '$1mermaid');
    output += text.slice(copied, fence.openStart) + opening + body.text;
    copied = fence.bodyEnd;
    converted++;
  }
  return { text: output + text.slice(copied), converted, broken, diagnostics };
}
