// Shared helpers for the render tests: seed diagrams, journal fixtures, golden files, mermaid's parser.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import DOMPurify from 'dompurify';
import mermaid from 'mermaid';
import { expect } from 'vitest';
import type { Diagram } from '../../src/ast/types.ts';
import { foldRun } from '../../src/render/run-view.ts';
import type { RunView } from '../../src/render/run-view.ts';
import { readJournal } from '../../src/run/journal-file.ts';
import { parseFile } from '../../src/syntax/index.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(ROOT, 'test/fixtures/render');
export const SEEDS = ['current', 'interim', 'final'] as const;
/** The journal fixture drawn on each seed: passed with a retried job, failed with skips and a retry, interrupted. */
export const SEED_JOURNALS: Readonly<Record<(typeof SEEDS)[number], string>> = {
  current: 'current-passed.journal.ndjson',
  interim: 'interim-failed.journal.ndjson',
  final: 'final-interrupted.journal.ndjson',
};

export async function seed(name: string): Promise<{ diagram: Diagram; source: string }> {
  const file = `specs/${name}.seq`;
  const source = await readFile(join(ROOT, file), 'utf8');
  const result = await parseFile(join(ROOT, file));
  const diagram = result.diagrams[0];
  if (!diagram) throw new Error(`no diagram in ${file}`);
  // Golden files show the path as users type it, not this machine's absolute path.
  return { diagram: { ...diagram, file }, source };
}

export async function journalRun(fixture: string): Promise<RunView> {
  const run = foldRun((await readJournal(join(FIXTURES, fixture))).events);
  if (!run) throw new Error(`${fixture} has no run-started event`);
  return run;
}

/** Compares with the golden file; `UPDATE_GOLDEN=1` rewrites it instead. */
export async function expectGolden(name: string, actual: string): Promise<void> {
  const path = join(FIXTURES, 'golden', name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, actual);
  }
  expect(actual).toBe(await readFile(path, 'utf8'));
}

// Node has no DOM, so DOMPurify loads as an empty shell and mermaid's parser fails on the title
// (it sanitizes titles while parsing). Sanitizing is a drawing concern, checked by the browser test;
// for the grammar check a pass-through is enough.
const purify = DOMPurify as unknown as Record<string, unknown>;
if (typeof purify['sanitize'] !== 'function') {
  purify['sanitize'] = (text: unknown) => String(text);
  purify['addHook'] = () => undefined;
}

/** Mermaid's own parser (it runs in Node); throws with mermaid's message on text mermaid rejects. */
export async function expectMermaidParses(text: string): Promise<void> {
  await expect(mermaid.parse(text)).resolves.toMatchObject({ diagramType: 'sequence' });
}

/** The bodies of the ```mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2] ?? '');
}
