// Which run `seqrun resume` without an id continues: the one run of the project that did not pass.
// With several it asks (a list of them), rather than guess the latest: resuming the wrong release
// repeats nothing but continues something nobody meant to. `seqrun resume latest` still takes the latest.
import { escapeControls } from '../diagnostics/escape.ts';
import { readRuns, type RunRead } from '../run/run-folder.ts';

export type ResumeChoice =
  | { readonly kind: 'one'; readonly run: RunRead }
  /** No run left to resume: none at all, or every one passed. */
  | { readonly kind: 'none'; readonly runs: number }
  | { readonly kind: 'several'; readonly runs: readonly RunRead[] };

/** A run a resume can continue: it started, and did not pass (failed, interrupted, or killed before it finished). */
export function isResumable(run: RunRead): boolean {
  return run.fold.started !== null && run.fold.status !== 'passed';
}

/** The runs in `runs` a resume could continue, oldest first (run ids sort by start time). */
export async function resumableRuns(runs: string): Promise<{ all: number; resumable: RunRead[] }> {
  const all = (await readRuns(runs)).sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
  return { all: all.length, resumable: all.filter(isResumable) };
}

export async function chooseRun(runs: string): Promise<ResumeChoice> {
  const { all, resumable } = await resumableRuns(runs);
  const [only] = resumable;
  if (resumable.length === 1 && only) return { kind: 'one', run: only };
  if (resumable.length === 0) return { kind: 'none', runs: all };
  return { kind: 'several', runs: resumable };
}

/** How a run's status reads in the list: `running` there means no run-finished (killed, or running elsewhere). */
function statusWord(run: RunRead): string {
  return run.fold.status === 'running' ? 'not finished (killed, or still running)' : run.fold.status;
}

const shownTime = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

/** The table of runs a resume could take, one line each: id, diagram, start time, status. */
export function runList(runs: readonly RunRead[]): string {
  const rows = runs.map((run) => [
    run.runId,
    run.fold.started?.diagram ?? '?',
    run.fold.started ? shownTime(run.fold.started.at) : '?',
    statusWord(run),
  ]);
  const header = ['RUN', 'DIAGRAM', 'STARTED', 'STATUS'];
  const cells = [header, ...rows].map((r) => r.map((c) => escapeControls(c, { singleLine: true })));
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  return cells.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')}\n`).join('');
}
