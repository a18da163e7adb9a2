// `seqrun render doc.md --run latest --in-place`: under each ```sequence fence, a generated section with
// the last run's status and a link to its Markdown report, written beside the document
// (`runs/<doc>/<fence>.md`) so the link works wherever the document is read, GitHub included: the
// journal's folder, .seqrun/, is not committed. The HTML report is written next to the journal as well.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Diagram } from '../ast/types.ts';
import { formatDuration } from '../report/duration.ts';
import type { BrowserOptions } from './browser.ts';
import { findFenceLines, statusSection, updateSections } from './in-place.ts';
import type { SectionFacts } from './in-place.ts';
import type { RenderTarget } from './formats.ts';
import { render } from './render.ts';
import { writtenStep } from './report-model.ts';
import { stepIndexOf, type RunView } from './run-view.ts';
import { selectorOf } from './targets.ts';

const RUN_MARK: Readonly<Record<RunView['status'], string>> = { passed: '✔', failed: '✘', interrupted: '⊘', running: '…' };

/** The facts of a fence's generated section: its run's status, and where it failed (a step, a loop iteration's step, a block). */
export function sectionFacts(target: RenderTarget, run: RunView, reportHref: string | null): SectionFacts {
  const failedIndex = run.failedStepId === null ? null : stepIndexOf(run.failedStepId);
  const failedStep = failedIndex === null ? undefined : target.diagram.steps[failedIndex];
  // A loop iteration's step is named with its iteration (`s4#2`); a block that ended the run by its id.
  const iteration = run.failedStepId?.includes('#') && failedIndex !== null ? ` (${run.failedStepId})` : '';
  const failedAt = failedStep
    ? `step ${(failedIndex ?? 0) + 1}${iteration}, \`${writtenStep(failedStep).replace(/`/g, "'")}\``
    : run.failedStepId === null
      ? null
      : `block ${run.failedStepId}`;
  return {
    status: run.status === 'running' ? 'not finished' : run.status,
    mark: RUN_MARK[run.status],
    startedAt: run.startedAt.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC'),
    duration: run.durationMs === null ? null : formatDuration(run.durationMs),
    runId: run.runId,
    // The step number, not the line: the sections themselves move the document's lines.
    failedStep: failedAt,
    reportHref,
  };
}

/** Where a fence's Markdown report goes: `runs/<document name>/<fence slug>.md` beside the document. */
export function reportBesideDocument(documentPath: string, diagram: Diagram, index: number): string {
  const stem = basename(documentPath, extname(documentPath));
  const name = (diagram.slug ?? '').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || `diagram-${index + 1}`;
  return join(dirname(documentPath), 'runs', stem, `${name}.md`);
}

export interface InPlaceResult {
  readonly changed: boolean;
  readonly reports: readonly string[];
  readonly problems: readonly string[];
}

/**
 * Rewrites the generated sections of `file` (whose diagrams are `targets`, journals alongside), writes
 * each run's Markdown report beside the document (linked from its section) and its HTML report as
 * `report.html` next to its journal.
 */
export async function updateDocument(
  file: string,
  targets: readonly RenderTarget[],
  journals: readonly (string | null)[],
  options: { readonly cwd: string; readonly browser: BrowserOptions },
): Promise<InPlaceResult> {
  const path = resolve(options.cwd, file);
  const text = await readFile(path, 'utf8');
  const withRun = targets.flatMap((t, i) =>
    t.run && journals[i] ? [{ target: t, report: join(dirname(journals[i] ?? ''), 'report.html') }] : [],
  );
  const { outputs, problems } = await render(
    withRun.map((w) => w.target),
    'html',
    options.browser,
  );
  await Promise.all(withRun.map((w, i) => writeFile(w.report, outputs[i]?.content ?? '')));
  const markdown = await render(
    withRun.map((w) => w.target),
    'markdown',
    options.browser,
  );
  const besides = withRun.map((w) => reportBesideDocument(path, w.target.diagram, targets.indexOf(w.target)));
  for (const [i, beside] of besides.entries()) {
    await mkdir(dirname(beside), { recursive: true });
    await writeFile(beside, markdown.outputs[i]?.content ?? '');
  }
  const reportOf = new Map(
    withRun.map((w, i) => [
      w.target,
      relative(dirname(path), besides[i] ?? '')
        .split(sep)
        .join('/'),
    ]),
  );
  const fences = findFenceLines(text);
  const sections = new Map<number, string>();
  for (const target of targets) {
    const line = target.diagram.span.start.line;
    const fence = fences.find((f) => f.open < line && line <= f.close);
    if (!fence) continue;
    const facts = target.run ? sectionFacts(target, target.run, reportOf.get(target) ?? null) : null;
    sections.set(fence.close, statusSection(facts, selectorOf(target.diagram)));
  }
  const updated = updateSections(text, sections);
  if (updated !== text) await writeFile(path, updated);
  return {
    changed: updated !== text,
    reports: [...besides, ...withRun.map((w) => w.report)],
    problems: [...problems, ...markdown.problems],
  };
}
