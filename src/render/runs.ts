// Finding runs in `.seqrun/runs/<run-id>/journal.ndjson` and matching them to diagrams.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { diagramHash } from '../ast/meaning.ts';
import type { Diagram } from '../ast/types.ts';
import { readJournal } from '../run/journal-file.ts';
import type { RunView } from './run-view.ts';
import { foldRun } from './run-view.ts';

export interface LoadedRun {
  readonly view: RunView;
  readonly journal: string;
  /** Problems reading the journal that the user should know about (torn tail, bad lines). */
  readonly notes: readonly string[];
}

export class RunNotFound extends Error {}

export async function loadJournal(path: string): Promise<LoadedRun> {
  let read;
  try {
    read = await readJournal(path);
  } catch (error) {
    throw new RunNotFound(`cannot read journal ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}; check the path or give --run RUN-ID`);
  }
  const view = foldRun(read.events);
  if (!view) throw new RunNotFound(`${path} has no run-started event; it is not a seqrun journal`);
  const notes = [
    ...(read.tornTail ? [`${path}: the last line is incomplete (the run was killed mid-write); it was ignored`] : []),
    ...read.badLines.map((n) => `${path}:${n}: not a journal event; ignored`),
  ];
  return { view, journal: path, notes };
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** The run id the `latest` pointer names: a directory/symlink with a journal, or a file holding the id. */
async function latestPointer(runsDir: string): Promise<string | null> {
  const pointer = join(runsDir, 'latest');
  if (await isFile(join(pointer, 'journal.ndjson'))) return join(pointer, 'journal.ndjson');
  if (await isFile(pointer)) {
    const id = (await readFile(pointer, 'utf8')).trim();
    return id === '' ? null : join(runsDir, id, 'journal.ndjson');
  }
  return null;
}

/** The journal of run `id` (or of the `latest` pointer). */
export async function journalOf(runsDir: string, id: string): Promise<string> {
  const path = id === 'latest' ? await latestPointer(runsDir) : join(runsDir, id, 'journal.ndjson');
  if (path === null || !(await isFile(path))) {
    const what = id === 'latest' ? 'no latest run' : `no run ${JSON.stringify(id)}`;
    throw new RunNotFound(`${what} in ${runsDir}; run a diagram first (seqrun run ...), or name a journal with --journal FILE`);
  }
  return path;
}

/** Every run under `runsDir`, oldest first. */
export async function listRuns(runsDir: string): Promise<LoadedRun[]> {
  const entries = await readdir(runsDir, { withFileTypes: true }).catch(() => []);
  const runs: LoadedRun[] = [];
  for (const entry of entries) {
    if (entry.name === 'latest' || !entry.isDirectory()) continue;
    const journal = join(runsDir, entry.name, 'journal.ndjson');
    if (!(await isFile(journal))) continue;
    const run = await loadJournal(journal).catch(() => null);
    if (run) runs.push(run);
  }
  return runs.sort((a, b) => a.view.startedAt.localeCompare(b.view.startedAt));
}

/**
 * True when the run's `diagram` (`file` or `doc.md#slug`, relative to `cwd`) is this diagram, or when
 * the run was of a diagram that means the same (same participants and steps, e.g. `specs/interim.seq`
 * for the interim fence of the document it was copied from).
 */
export function runIsOf(run: RunView, diagram: Diagram, cwd: string): boolean {
  const match = /^(.*)#([^#/\\]+)$/.exec(run.diagram);
  const file = match?.[1] ?? run.diagram;
  const slug = match?.[2] ?? null;
  if (resolve(cwd, file) === resolve(cwd, diagram.file) && slug === diagram.slug) return true;
  return run.diagramHash !== '' && run.diagramHash === diagramHash(diagram);
}

export function latestRunOf(runs: readonly LoadedRun[], diagram: Diagram, cwd: string): LoadedRun | null {
  return runs.filter((r) => runIsOf(r.view, diagram, cwd)).at(-1) ?? null;
}
