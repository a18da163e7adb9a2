// Inputs: `.seq` texts (one diagram), Markdown files (one diagram per ```sequence fence), `file.md#slug`
// selectors and folders. Reading files is the only I/O of the syntax layer.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Diagram } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { diagnostic } from './diagnose.ts';
import { findFences } from './markdown.ts';
import { parseSource, readDiagram } from './parse.ts';
import type { ParseResult } from './parse.ts';
import { LineIndex } from '../diagnostics/lines.ts';

export function isMarkdown(file: string): boolean {
  return /\.(md|markdown)$/i.test(file);
}

/** Parses every ```sequence fence of a Markdown text; spans are positions in the Markdown file. */
export function parseMarkdown(text: string, options: { file: string }): ParseResult {
  const lines = new LineIndex(text);
  const fences = findFences(text);
  const diagrams: Diagram[] = [];
  const diagnostics: Diagnostic[] = [];
  fences.forEach((fence) => {
    const meta = { name: fence.heading, slug: fence.slug };
    const read = readDiagram({ file: options.file, lines, base: fence.bodyStart }, fence.bodyEnd - fence.bodyStart, meta);
    if (!fence.closed) {
      diagnostics.push(diagnostic('SEQ003', 'this ```sequence fence is never closed; it runs to the end of the file', options.file, lines.span(fence.openStart, fence.openStart)));
    }
    diagrams.push(read.diagram);
    diagnostics.push(...read.diagnostics);
  });
  return { file: options.file, diagrams, diagnostics };
}

/** Dispatches on the extension: Markdown files hold fences, anything else is one diagram. */
export function parseText(text: string, options: { file: string }): ParseResult {
  return isMarkdown(options.file) ? parseMarkdown(text, options) : parseSource(text, options);
}

/** The result for a file that cannot be read: no diagrams, one SEQ001 error. */
export function unreadable(file: string, error: unknown): ParseResult {
  const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error);
  return { file, diagrams: [], diagnostics: [diagnostic('SEQ001', `cannot read ${file}: ${reason}`, file, null)] };
}

export async function parseFile(path: string): Promise<ParseResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return unreadable(path, error);
  }
  return parseText(text, { file: path });
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

/** The `.seq` and Markdown files under a folder, sorted, skipping dot-folders and node_modules. */
export async function diagramFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  // An unreadable folder is passed on as a path, so that reading it reports SEQ001 instead of throwing.
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => null);
  if (entries === null) return [folder];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await diagramFiles(path)));
    else if (entry.isFile() && (/\.seq$/i.test(entry.name) || isMarkdown(entry.name))) found.push(path);
  }
  return found;
}

/** Expands files and folders to the diagram files they name (selectors are kept as given). */
export async function expandPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const isFolder = await stat(path).then((s) => s.isDirectory(), () => false);
    files.push(...(isFolder ? await diagramFiles(path) : [path]));
  }
  return files;
}

/** Loads the diagrams a file, `file#slug` selector or folder names, with every diagnostic met on the way. */
export async function loadDiagrams(pathOrSelector: string): Promise<{ diagrams: Diagram[]; diagnostics: Diagnostic[] }> {
  const { path, slug } = splitSelector(pathOrSelector);
  const isFolder = await stat(path).then((s) => s.isDirectory(), () => false);
  if (slug !== null && !isFolder) {
    const result = await parseFile(path);
    const chosen = selectDiagram(result, pathOrSelector);
    if (chosen) return { diagrams: [chosen], diagnostics: result.diagnostics.filter((d) => d.span === null || (d.span.start.offset >= chosen.span.start.offset && d.span.start.offset <= chosen.span.end.offset)) };
    const known = result.diagrams.map((d) => d.slug).filter((s) => s !== null).join(', ') || 'none';
    return { diagrams: [], diagnostics: [...result.diagnostics, diagnostic('SEQ002', `no diagram '#${slug}' in ${path} (known: ${known})`, path, null)] };
  }
  const results = await Promise.all((isFolder ? await diagramFiles(path) : [path]).map((file) => parseFile(file)));
  return { diagrams: results.flatMap((r) => r.diagrams), diagnostics: results.flatMap((r) => r.diagnostics) };
}
