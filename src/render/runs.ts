// Finding runs in `.seqrun/runs/<run-id>/journal.ndjson` and matching them to diagrams.
import { resolve } from 'node:path';
import { diagramHash } from '../ast/meaning.ts';
import type { Diagram } from '../ast/types.ts';
import { isMissing, readRun, readRunJournal, readRuns, type RunRead } from '../run/run-folder.ts';
import type { RunView } from './run-view.ts';
import { runViewOf } from './run-view.ts';
import { SeqrunError } from '../errors.ts';

export interface LoadedRun {
  readonly view: RunView;
  readonly journal: string;
  /** Problems reading the journal that the user should know about (torn tail, bad lines). */
  readonly notes: readonly string[];
}

export class RunNotFound extends SeqrunError {
  override readonly name = 'RunNotFound';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'RUN_NOT_FOUND', options);
  }
}

function loaded(run: RunRead): LoadedRun {
  const view = runViewOf(run.fold);
  const path = run.journal;
  if (!view) throw new RunNotFound(`${path} has no run-started event; it is not a seqrun journal`);
  const notes = [
    ...(run.read.tornTail ? [`${path}: the last line is incomplete (the run was killed mid-write); it was ignored`] : []),
    ...run.read.badLines.map((n) => `${path}:${n}: not a journal event; ignored`),
  ];
  return { view, journal: path, notes };
}

/** The run in the journal file at `path` (`--journal FILE`). */
export async function loadJournal(path: string): Promise<LoadedRun> {
  const run = await readRunJournal(path);
  if (isMissing(run))
    throw new RunNotFound(
      `cannot read journal ${path}: ${run.kind === 'no-journal' ? run.cause : 'missing'}; check the path or give --run RUN-ID`,
    );
  return loaded(run);
}

/** Run `id` in `runsDir` (`latest`: the one the `latest` pointer names). */
export async function loadRun(runsDir: string, id: string): Promise<LoadedRun> {
  const run = await readRun(runsDir, id);
  if (isMissing(run)) {
    const what = run.kind === 'no-latest' ? 'no latest run' : `no run ${JSON.stringify(run.runId)}`;
    throw new RunNotFound(`${what} in ${runsDir}; run a diagram first (seqrun run ...), or name a journal with --journal FILE`);
  }
  return loaded(run);
}

/** Every run under `runsDir`, oldest first. */
export async function listRuns(runsDir: string): Promise<LoadedRun[]> {
  const runs = (await readRuns(runsDir)).flatMap((run) => (run.fold.started ? [loaded(run)] : []));
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
