// Run folders: `.seqrun/runs/<run-id>/journal.ndjson`, and `.seqrun/runs/latest`, a file holding the
// id of the latest run (the journal writer keeps it). The one reader of both: resume and render
// find runs here, so they agree on what "the latest run" is.
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { foldJournal, type JournalFold } from './fold.ts';
import { readJournal, type JournalRead } from './journal-file.ts';

export const RUNS_DIR = join('.seqrun', 'runs');
export const LATEST = 'latest';

/** The runs folder of the project at `root`. */
export function runsDir(root: string): string {
  return join(root, RUNS_DIR);
}

export function runJournal(runs: string, runId: string): string {
  return join(runs, runId, 'journal.ndjson');
}

/** The journal of run `runId` of the project at `root`. */
export function journalPath(root: string, runId: string): string {
  return runJournal(runsDir(root), runId);
}

/** The id the `latest` pointer in `runs` names, or null when there is none. */
export function latestIn(runs: string): string | null {
  try {
    const id = readFileSync(join(runs, LATEST), 'utf8').trim();
    return id === '' ? null : id;
  } catch {
    return null;
  }
}

/** The id of the most recently started run of the project at `root`, or null when there is none. */
export function latestRunId(root: string): string | null {
  return latestIn(runsDir(root));
}

/** A run read from its folder: its journal as read, and folded. */
export interface RunRead {
  readonly runId: string;
  readonly journal: string;
  readonly read: JournalRead;
  readonly fold: JournalFold;
}

/** Why a run was not found: no `latest` pointer, or no readable journal where one should be. */
export type RunMissing =
  | { readonly kind: 'no-latest'; readonly runs: string }
  | { readonly kind: 'no-journal'; readonly runId: string; readonly journal: string; readonly cause: string };

/** Reads the journal at `journal` (of run `runId`, by default the one it names); a RunMissing when it cannot be read. */
export async function readRunJournal(journal: string, runId?: string): Promise<RunRead | RunMissing> {
  try {
    const read = await readJournal(journal);
    const fold = foldJournal(read.events);
    return { runId: runId ?? fold.runId, journal, read, fold };
  } catch (error) {
    return { kind: 'no-journal', runId: runId ?? '', journal, cause: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
}

/** Run `runId` in `runs`, or the one `latest` names when `runId` is null or `latest`. */
export async function readRun(runs: string, runId: string | null): Promise<RunRead | RunMissing> {
  const id = runId === null || runId === LATEST ? latestIn(runs) : runId;
  if (id === null) return { kind: 'no-latest', runs };
  return readRunJournal(runJournal(runs, id), id);
}

export function isMissing(found: RunRead | RunMissing): found is RunMissing {
  return 'kind' in found;
}

/** Every run in `runs` with a readable journal, in folder order (run ids sort by start time). */
export async function readRuns(runs: string): Promise<RunRead[]> {
  const entries = await readdir(runs, { withFileTypes: true }).catch(() => []);
  const found: RunRead[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const journal = runJournal(runs, entry.name);
    if (
      !(await stat(journal).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      continue;
    const run = await readRunJournal(journal, entry.name);
    if (!isMissing(run)) found.push(run);
  }
  return found;
}
