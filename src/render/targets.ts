// From loaded diagrams to render targets: each diagram with its source text and the run drawn on it.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagram } from '../ast/types.ts';
import type { RenderTarget } from './formats.ts';
import type { LoadedRun } from './runs.ts';
import { RunNotFound, latestRunOf, listRuns, loadJournal, loadRun, runIsOf } from './runs.ts';
import { runsDir } from '../run/run-folder.ts';

export interface RunChoice {
  /** A run id or `latest` (the latest run of each diagram). */
  readonly run?: string | null;
  /** An explicit journal file. */
  readonly journal?: string | null;
  readonly cwd: string;
  /** Diagrams the named run is not of get their latest run (for --in-place, which rewrites every fence). */
  readonly othersLatest?: boolean;
}

export interface TargetsResult {
  readonly targets: RenderTarget[];
  /** Which journal each target was drawn from (null: none). */
  readonly journals: (string | null)[];
  /** Things the user should know (diagrams without a run, torn journals). */
  readonly notes: string[];
}

export function selectorOf(diagram: Diagram): string {
  return diagram.slug ? `${diagram.file}#${diagram.slug}` : diagram.file;
}

async function sourceOf(diagram: Diagram, cwd: string): Promise<string | null> {
  return readFile(resolve(cwd, diagram.file), 'utf8').catch(() => null);
}

async function latestRuns(diagrams: readonly Diagram[], cwd: string, notes: string[]): Promise<(LoadedRun | null)[]> {
  const runs = await listRuns(runsDir(cwd));
  return diagrams.map((d) => {
    const found = latestRunOf(runs, d, cwd);
    if (!found) notes.push(`${selectorOf(d)}: no run recorded in ${runsDir(cwd)}`);
    return found;
  });
}

/** The run each diagram gets: one named run (or journal) for the diagram it belongs to, or each diagram's latest. */
async function chooseRuns(diagrams: readonly Diagram[], choice: RunChoice, notes: string[]): Promise<(LoadedRun | null)[]> {
  if (!choice.run && !choice.journal) return diagrams.map(() => null);
  if (choice.run === 'latest' && !choice.journal) return latestRuns(diagrams, choice.cwd, notes);
  const loaded = choice.journal
    ? await loadJournal(resolve(choice.cwd, choice.journal))
    : await loadRun(runsDir(choice.cwd), choice.run ?? 'latest');
  notes.push(...loaded.notes);
  if (diagrams.length === 1) {
    const only = diagrams[0];
    if (only && !runIsOf(loaded.view, only, choice.cwd))
      notes.push(`run ${loaded.view.runId} was a run of ${loaded.view.diagram}, drawn on ${selectorOf(only)}`);
    return [loaded];
  }
  const latest = choice.othersLatest ? await latestRuns(diagrams, choice.cwd, []) : diagrams.map(() => null);
  const chosen = diagrams.map((d, i) => (runIsOf(loaded.view, d, choice.cwd) ? loaded : (latest[i] ?? null)));
  if (!chosen.includes(loaded)) {
    throw new RunNotFound(
      `run ${loaded.view.runId} is a run of ${loaded.view.diagram}, which is not among the diagrams given; render that diagram instead`,
    );
  }
  return chosen;
}

export async function renderTargets(diagrams: readonly Diagram[], choice: RunChoice): Promise<TargetsResult> {
  const notes: string[] = [];
  const runs = await chooseRuns(diagrams, choice, notes);
  const targets = await Promise.all(
    diagrams.map(async (diagram, i) => ({ diagram, run: runs[i]?.view ?? null, source: await sourceOf(diagram, choice.cwd) })),
  );
  return { targets, journals: runs.map((r) => r?.journal ?? null), notes };
}
