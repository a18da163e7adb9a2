// Inputs: `.seq` texts (one diagram), `.mmd` texts (one mermaid sequenceDiagram), Markdown files (one
// diagram per ```sequence fence and per ```mermaid fence holding a sequenceDiagram), `file.md#slug`
// selectors and folders. The dialect comes from the extension or the fence, never from the content.
// Reading files is the only I/O of the syntax layer.
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { Diagram } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { diagnostic } from './diagnose.ts';
import { findFences } from './markdown.ts';
import type { Fence } from './markdown.ts';
import { looksLikeMermaidSequence } from './mermaid/detect.ts';
import { parseMermaidSource, readMermaidDiagram } from './mermaid/parse.ts';
import { parseSource, readDiagram } from './parse.ts';
import type { ParseResult } from './parse.ts';
import { readSource, unreadableDiagnostic } from './source-file.ts';
import type { SourceFile } from './source-file.ts';
import { LineIndex } from '../diagnostics/lines.ts';

export function isMarkdown(file: string): boolean {
  return /\.(md|markdown)$/i.test(file);
}

export function isMermaidFile(file: string): boolean {
  return /\.mmd$/i.test(file);
}

/** SEQ006: a mermaid sequenceDiagram where js-sequence is expected (the dialect is never guessed). */
function mermaidInSequence(file: string, span: Diagnostic['span'], where: 'fence' | 'file'): Diagnostic {
  const hint =
    where === 'fence'
      ? 'This is a mermaid sequenceDiagram: use a ```mermaid fence for it (```sequence is for js-sequence-diagrams).'
      : 'This is a mermaid sequenceDiagram: name the file .mmd (.seq is for js-sequence-diagrams).';
  const message = `a mermaid sequenceDiagram in a ${where === 'fence' ? '```sequence fence' : '.seq file'}, which seqrun reads as js-sequence-diagrams`;
  return diagnostic('SEQ006', message, file, span, hint);
}

function readFence(fence: Fence, text: string, lines: LineIndex, file: string): { diagram: Diagram | null; diagnostics: Diagnostic[] } {
  const meta = { name: fence.heading, slug: fence.slug };
  const source = { file, lines, base: fence.bodyStart };
  const length = fence.bodyEnd - fence.bodyStart;
  const unclosed = fence.closed
    ? []
    : [
        fence.dialect === 'mermaid'
          ? diagnostic(
              'SEQ008',
              'this ```mermaid fence is never closed; it runs to the end of the file',
              file,
              lines.span(fence.openStart, fence.openStart),
            )
          : diagnostic(
              'SEQ003',
              'this ```sequence fence is never closed; it runs to the end of the file',
              file,
              lines.span(fence.openStart, fence.openStart),
            ),
      ];
  if (fence.dialect === 'mermaid') {
    const read = readMermaidDiagram(source, length, meta);
    return { diagram: read.diagram, diagnostics: [...unclosed, ...read.diagnostics] };
  }
  if (looksLikeMermaidSequence(text.slice(fence.bodyStart, fence.bodyEnd))) {
    return {
      diagram: null,
      diagnostics: [...unclosed, mermaidInSequence(file, lines.span(fence.openStart, fence.bodyStart - 1), 'fence')],
    };
  }
  const read = readDiagram(source, length, meta);
  return { diagram: read.diagram, diagnostics: [...unclosed, ...read.diagnostics] };
}

/** Parses every ```sequence fence and every mermaid sequenceDiagram fence of a Markdown text; spans are positions in the Markdown file. */
export function parseMarkdown(text: string, options: { file: string }): ParseResult {
  const lines = new LineIndex(text);
  const diagrams: Diagram[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const fence of findFences(text)) {
    const read = readFence(fence, text, lines, options.file);
    if (read.diagram) diagrams.push(read.diagram);
    diagnostics.push(...read.diagnostics);
  }
  return { file: options.file, diagrams, diagnostics };
}

/** Dispatches on the extension: Markdown files hold fences, `.mmd` is mermaid, anything else is one js-sequence diagram. */
export function parseText(text: string, options: { file: string }): ParseResult {
  if (isMarkdown(options.file)) return parseMarkdown(text, options);
  if (isMermaidFile(options.file)) return parseMermaidSource(text, options);
  if (looksLikeMermaidSequence(text)) {
    const at = text.indexOf('sequenceDiagram');
    const lines = new LineIndex(text);
    return { file: options.file, diagrams: [], diagnostics: [mermaidInSequence(options.file, lines.span(at, at + 15), 'file')] };
  }
  return parseSource(text, options);
}

/** The result for a file that cannot be read: no diagrams, one SEQ001 error. */
export function unreadable(file: string, error: unknown): ParseResult {
  return { file, diagrams: [], diagnostics: [unreadableDiagnostic(file, error)] };
}

export async function parseFile(path: string): Promise<ParseResult> {
  const read = await readSource(path);
  return read.ok ? parseText(read.source.text, { file: path }) : { file: path, diagrams: [], diagnostics: [read.diagnostic] };
}

/** Splits `docs/deploy-to-test.md#final-candidate-release-process` into the file and the slug. */
export function splitSelector(selector: string): { path: string; slug: string | null } {
  const hash = selector.lastIndexOf('#');
  if (hash <= 0) return { path: selector, slug: null };
  return { path: selector.slice(0, hash), slug: selector.slice(hash + 1) };
}

/** The diagram a selector names in a parsed file: `file#slug`, or the only/first diagram for a bare file. */
export function selectDiagram(result: ParseResult, selector: string): Diagram | undefined {
  const { slug } = splitSelector(selector);
  if (slug === null) return result.diagrams[0];
  return result.diagrams.find((diagram) => diagram.slug === slug);
}

/** The `.seq`, `.mmd` and Markdown files under a folder, sorted, skipping dot-folders and node_modules. */
export async function diagramFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  // An unreadable folder is passed on as a path, so that reading it reports SEQ001 instead of throwing.
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => null);
  if (entries === null) return [folder];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await diagramFiles(path)));
    else if (entry.isFile() && (/\.seq$/i.test(entry.name) || isMermaidFile(entry.name) || isMarkdown(entry.name))) found.push(path);
  }
  return found;
}

/** One file as read: what it means, and its text (null when it could not be read or decoded). */
export interface FileRead {
  readonly result: ParseResult;
  readonly source: SourceFile | null;
}

async function readOne(file: string, path: string): Promise<FileRead> {
  const read = await readSource(path, file);
  if (!read.ok) return { result: { file, diagrams: [], diagnostics: [read.diagnostic] }, source: null };
  return { result: parseText(read.source.text, { file }), source: read.source };
}

async function readSelected(selector: string, file: string, path: string): Promise<FileRead> {
  const read = await readOne(file, path);
  if (read.source === null) return read;
  const chosen = selectDiagram(read.result, selector);
  if (chosen) return { ...read, result: { ...read.result, diagrams: [chosen] } };
  const known =
    read.result.diagrams
      .map((d) => d.slug)
      .filter((s) => s !== null)
      .join(', ') || 'none';
  const missing = diagnostic('SEQ002', `no diagram '#${splitSelector(selector).slug ?? ''}' in ${file} (known: ${known})`, file, null);
  return { ...read, result: { ...read.result, diagrams: [], diagnostics: [...read.result.diagnostics, missing] } };
}

/** A path that yields no diagram, and no error saying why, gets SEQ005 naming it. */
function requireDiagram(path: string, isFolder: boolean, reads: FileRead[]): FileRead[] {
  const results = reads.map((r) => r.result);
  if (results.some((r) => r.diagrams.length > 0 || r.diagnostics.some((d) => d.severity === 'error'))) return reads;
  const why = !isFolder
    ? 'it has no ```sequence fence and no ```mermaid fence holding a sequenceDiagram'
    : reads.length === 0
      ? 'it is a folder with no .seq, .mmd, .md or .markdown file under it'
      : 'none of the Markdown files under it has a ```sequence fence or a mermaid sequenceDiagram fence';
  const missing = diagnostic('SEQ005', `no diagram in ${path}: ${why}`, path, null);
  const [only] = reads;
  if (!isFolder && only) return [{ ...only, result: { ...only.result, diagnostics: [...only.result.diagnostics, missing] } }];
  return [...reads, { result: { file: path, diagrams: [], diagnostics: [missing] }, source: null }];
}

/**
 * Reads what a path names, one entry per file: a file, `file.md#slug` (that diagram only) or a folder
 * (its diagram files). Files are named as the path names them and read relative to `cwd`. A path
 * that yields no diagram is an error (SEQ001, SEQ002, SEQ004 or SEQ005) naming it.
 */
export async function readPath(pathOrSelector: string, options: { readonly cwd?: string } = {}): Promise<FileRead[]> {
  const { path, slug } = splitSelector(pathOrSelector);
  const absolute = resolve(options.cwd ?? '', path);
  const isFolder = await stat(absolute).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (slug !== null && !isFolder) return [await readSelected(pathOrSelector, path, absolute)];
  const files = isFolder ? (await diagramFiles(absolute)).map((f) => join(path, relative(absolute, f))) : [path];
  const reads = await Promise.all(files.map((file) => readOne(file, resolve(options.cwd ?? '', file))));
  return requireDiagram(path, isFolder, reads);
}

/** Loads the diagrams a file, `file#slug` selector or folder names, with every diagnostic met on the way. */
export async function loadDiagrams(pathOrSelector: string): Promise<{ diagrams: Diagram[]; diagnostics: Diagnostic[] }> {
  const results = (await readPath(pathOrSelector)).map((r) => r.result);
  const diagrams = results.flatMap((r) => r.diagrams);
  const [chosen] = diagrams;
  const diagnostics = results.flatMap((r) => r.diagnostics);
  if (splitSelector(pathOrSelector).slug === null || results.length !== 1 || !chosen) return { diagrams, diagnostics };
  // A selected diagram comes with the diagnostics inside it (and those of the whole file).
  const within = (d: Diagnostic): boolean =>
    d.span === null || (d.span.start.offset >= chosen.span.start.offset && d.span.start.offset <= chosen.span.end.offset);
  return { diagrams, diagnostics: diagnostics.filter(within) };
}
