// What each folder of src may import (docs/architecture.md, "Layers"): the CLI on top, the application
// layer (src/app) composing the stages under it, the engine and the stages below, and nothing that runs
// back up. A new arrow upward fails here, naming the file and the import.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;

/** The folders (or top-level modules) each one may import besides itself. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  'errors.ts': [],
  ast: [],
  diagnostics: ['ast'],
  syntax: ['ast', 'diagnostics'],
  bind: ['ast', 'diagnostics', 'syntax', 'errors.ts'],
  run: ['ast', 'diagnostics', 'syntax', 'bind', 'errors.ts'],
  report: ['ast', 'diagnostics', 'bind', 'run'],
  render: ['ast', 'diagnostics', 'syntax', 'bind', 'run', 'report', 'errors.ts'],
  packs: ['bind', 'errors.ts'],
  sandbox: ['bind', 'packs', 'errors.ts'],
  // Journal stores beyond the local disk (S3) and leases: the journal's format from run, S3 clients from packs.
  store: ['run', 'packs', 'errors.ts'],
  // Review (`seqrun diff`): two versions' plans compared; BASE read from git; the new diagram drawn in mermaid.
  review: ['ast', 'diagnostics', 'syntax', 'bind', 'render', 'errors.ts'],
  // Other engines (Step Functions): the plan compiled to their language, and their executions read back as run events.
  engines: ['ast', 'diagnostics', 'syntax', 'bind', 'run', 'errors.ts'],
  // app: the commands' logic; from packs only what every AWS caller shares (how an SDK failure is named, and whether it passes).
  app: ['ast', 'diagnostics', 'syntax', 'bind', 'run', 'report', 'render', 'packs', 'sandbox', 'store', 'engines', 'errors.ts'],
  // The language server sits beside app: it composes the stages an editor needs, as check and fmt do.
  lsp: ['app', 'ast', 'diagnostics', 'syntax', 'bind', 'report', 'render', 'errors.ts'],
  cli: [
    'app',
    'lsp',
    'review',
    'engines',
    'ast',
    'diagnostics',
    'syntax',
    'bind',
    'run',
    'report',
    'render',
    'sandbox',
    'store',
    'errors.ts',
  ],
  'index.ts': ['bind', 'sandbox', 'errors.ts'],
  'config.ts': ['bind', 'sandbox'],
  'api.ts': ['index.ts', 'ast', 'diagnostics', 'syntax', 'bind', 'run', 'render', 'sandbox'],
};

/** Known arrows against the order, each with its reason; remove an entry when its import goes. */
const EXCEPTIONS: ReadonlySet<string> = new Set([
  // The config's `sandbox.resources` type is declared beside the code that provisions it.
  'bind/config.ts -> sandbox/declared.ts',
  // A run lock whose holder died is taken over: the same liveness check the sandbox uses.
  'run/lock.ts -> sandbox/processes.ts',
]);

/** The files renderers and reporters may read the runtime through: its events and the journal, never the executor. */
const RUN_READ_SIDE = new Set(['run/events.ts', 'run/fold.ts', 'run/run-folder.ts', 'run/journal-file.ts', 'run/redact.ts']);

const layerOf = (path: string): string => path.split('/')[0] as string;

function imports(): { from: string; to: string }[] {
  const found: { from: string; to: string }[] = [];
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
  );
  for (const file of files) {
    const text = readFileSync(join(SRC, file), 'utf8');
    for (const match of text.matchAll(/(?:\bfrom|\bimport\()\s*'(\.{1,2}\/[^']+)'/g)) {
      const to = relative(SRC, resolve(SRC, dirname(file), match[1] as string));
      if (!to.startsWith('..')) found.push({ from: file, to });
    }
  }
  return found;
}

describe('layers', () => {
  const all = imports();

  it('finds the imports it checks', () => {
    expect(all.some(({ from, to }) => from.startsWith('cli/') && to.startsWith('app/'))).toBe(true);
  });

  it('every import goes to the same folder or one the folder may import', () => {
    const wrong = all
      .filter(({ from, to }) => layerOf(from) !== layerOf(to))
      .filter(({ from, to }) => !(MAY_IMPORT[layerOf(from)] ?? []).includes(layerOf(to)))
      .map(({ from, to }) => `${from} -> ${to}`)
      .filter((arrow) => !EXCEPTIONS.has(arrow));
    expect(wrong).toEqual([]);
  });

  it('the engine (src/run) prints nothing and chooses no exit code: it imports no reporter, renderer, app or CLI', () => {
    const up = all.filter(({ from, to }) => layerOf(from) === 'run' && ['report', 'render', 'app', 'cli'].includes(layerOf(to)));
    expect(up).toEqual([]);
  });

  it('the application layer (src/app) leaves the process to the CLI: it gets an Io, signals and hooks', () => {
    const files = readdirSync(join(SRC, 'app')).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(files.filter((file) => /\bprocess\./.test(readFileSync(join(SRC, 'app', file), 'utf8')))).toEqual([]);
  });

  it('other engines read the runtime only through its events (an execution read back as run events)', () => {
    const reads = all.filter(({ from, to }) => layerOf(from) === 'engines' && layerOf(to) === 'run' && to !== 'run/events.ts');
    expect(reads).toEqual([]);
  });

  it('renderers and reporters read the runtime only through its events and journal', () => {
    const reads = all.filter(
      ({ from, to }) => ['render', 'report'].includes(layerOf(from)) && layerOf(to) === 'run' && !RUN_READ_SIDE.has(to),
    );
    expect(reads).toEqual([]);
  });
});
