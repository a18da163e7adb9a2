// After the demo's runs: each run rendered into docs/runs/<name>/ (the Markdown report with its
// mermaid drawing, an SVG when a browser is present, the journal), the status sections of
// docs/deploy-to-test.md updated (its three fences are the same diagrams as specs/*.seq), and the
// interim run's overlap of the ARM build with the x86 steps measured from its journal. specs/release.mmd
// is rendered into docs/runs/release/ with its blocks drawn (the loop's iterations, the par's times).
import { execFile } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { RunEvent } from '../../src/run/events.ts';
import { readJournal } from '../../src/run/journal-file.ts';
import { foldRun } from '../../src/render/index.ts';
import { updateDocument } from '../../src/render/update-doc.ts';
import { loadDiagrams } from '../../src/syntax/index.ts';

const exec = promisify(execFile);

/** The seed's three processes (specs/<name>.seq) and specs/release.mmd, the final one said in mermaid. */
export const DEMO_PROCESSES = ['current', 'interim', 'final', 'release'] as const;

/** The diagram a demo process runs. */
export function specOf(name: DemoRun['name']): string {
  return name === 'release' ? 'specs/release.mmd' : `specs/${name}.seq`;
}

export interface DemoRun {
  readonly name: (typeof DEMO_PROCESSES)[number];
  readonly release: number;
  readonly runId: string;
  readonly journal: string;
  readonly status: string;
  readonly exitCode: number;
}

export interface Published {
  readonly files: string[];
  readonly overlap: Overlap | null;
}

export interface Overlap {
  readonly armBuildMs: number;
  readonly x86StepsMs: number;
  readonly overlapMs: number;
}

/** Start and end (ms since epoch) of each step in a journal. */
function stepTimes(events: readonly RunEvent[]): Map<string, { start: number; end: number }> {
  const times = new Map<string, { start: number; end: number }>();
  for (const event of events) {
    if (event.type === 'step-started' && !times.has(event.stepId))
      times.set(event.stepId, { start: Date.parse(event.at), end: Number.NaN });
    if (event.type === 'step-finished') {
      const t = times.get(event.stepId);
      if (t) t.end = Date.parse(event.at);
    }
  }
  return times;
}

/** interim.seq: s4 is `Trigger CodeBuild (ARM)`, s7..s9 the x86 build, image and push. */
export function interimOverlap(events: readonly RunEvent[]): Overlap | null {
  const times = stepTimes(events);
  const arm = times.get('s4');
  const first = times.get('s7');
  const last = times.get('s9');
  if (!arm || !first || !last || [arm.end, last.end].some(Number.isNaN)) return null;
  const overlapMs = Math.max(0, Math.min(arm.end, last.end) - Math.max(arm.start, first.start));
  return { armBuildMs: arm.end - arm.start, x86StepsMs: last.end - first.start, overlapMs };
}

async function seqrun(repo: string, args: readonly string[]): Promise<void> {
  await exec(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd: repo,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], NO_COLOR: '1' },
  });
}

export async function publishRuns(repo: string, runs: readonly DemoRun[], options: { chromium: boolean }): Promise<Published> {
  const files: string[] = [];
  let overlap: Overlap | null = null;
  const doc = join(repo, 'docs/deploy-to-test.md');
  const fences = (await loadDiagrams(doc)).diagrams;
  const targets = [];
  const journals: string[] = [];
  const durations = new Map<string, number>();
  for (const run of runs) {
    const folder = join(repo, 'docs/runs', run.name);
    await mkdir(folder, { recursive: true });
    const journal = join(folder, 'journal.ndjson');
    await copyFile(run.journal, journal);
    const spec = specOf(run.name);
    await seqrun(repo, ['render', spec, '--journal', journal, '--format', 'markdown', '-o', join(folder, 'report.md')]);
    files.push(journal, join(folder, 'report.md'));
    if (options.chromium) {
      await seqrun(repo, ['render', spec, '--journal', journal, '--format', 'svg', '-o', join(folder, `${run.name}.svg`)]);
      files.push(join(folder, `${run.name}.svg`));
    }
    const { events } = await readJournal(journal);
    const finished = events.findLast((e) => e.type === 'run-finished');
    if (finished?.type === 'run-finished') durations.set(run.name, finished.durationMs);
    if (run.name === 'interim') overlap = interimOverlap(events);
    const fence = fences[['current', 'interim', 'final'].indexOf(run.name)];
    const view = foldRun(events);
    if (fence && view) {
      targets.push({ diagram: fence, run: view, source: null });
      journals.push(journal);
    }
  }
  const updated = await updateDocument(doc, targets, journals, { cwd: repo, browser: { chromiumPath: null, env: process.env } });
  files.push(doc, ...updated.reports);
  await writeFile(join(repo, 'docs/runs/README.md'), indexPage(runs, durations, overlap));
  files.push(join(repo, 'docs/runs/README.md'));
  return { files: files.map((f) => relative(repo, f)), overlap };
}

function indexPage(runs: readonly DemoRun[], durations: ReadonlyMap<string, number>, overlap: Overlap | null): string {
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const took = (name: string): string => (durations.has(name) ? seconds(durations.get(name) ?? 0) : '?');
  const rows = runs.map(
    (r) => `| [${r.name}](${r.name}/report.md) | \`${specOf(r.name)}\` | ${r.release} | ${r.status} | ${took(r.name)} | \`${r.runId}\` |`,
  );
  const measured = overlap
    ? `In the interim run the ARM build (\`Trigger CodeBuild (ARM)\`, ${seconds(overlap.armBuildMs)}) overlapped the x86 build, image and push (${seconds(overlap.x86StepsMs)}) for ${seconds(overlap.overlapMs)}.`
    : 'The interim run did not record both the ARM build and the x86 steps.';
  return [
    '# Runs of the seed release processes',
    '',
    'Generated by `npm run demo` (test/demo/run.ts): each process run against the sandbox with the',
    '`sandbox` profile of `seqrun.config.ts`, releasing the demo app in `test/fixtures/demo-app`.',
    'Each folder holds the Markdown report (with the run drawn in mermaid), the HTML report, an SVG',
    'when a browser was present, and the journal it was rendered from. `release` is `specs/release.mmd`,',
    'the final process said in mermaid, whose loop builds the demo app and `test/fixtures/cardid-app`',
    'under one release number: its loop (two iterations), par and critical block are drawn with the run.',
    '',
    '| process | diagram | release | status | duration | run |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    measured,
    '',
  ].join('\n');
}
