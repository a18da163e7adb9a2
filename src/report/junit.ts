// `--junit FILE`: one test case per step, in diagram order, for CI test-report widgets.
import type { RunEvent } from '../run/events.ts';
import { baseId } from '../run/events.ts';
import { foldJournal, hasFinished } from '../run/fold.ts';
import type { HookFold, JournalFold } from '../run/fold.ts';
import { hookWhen, locator, type BlockMeta, type Reporter, type RunMeta } from './types.ts';

// eslint-disable-next-line no-control-regex -- matching the control characters XML forbids is the point
const INVALID_XML = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all.
      .replace(INVALID_XML, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** A hook run as a test case of its own, named by its id and when it ran (never as a diagram step). */
function hookCase(hook: HookFold, classname: string, counts: { failures: number }): string {
  const open = `    <testcase name="${escapeXml(`${hook.hookId} hook ${hookWhen(hook)}`)}" classname="${escapeXml(classname)}" time="${seconds(hook.durationMs ?? 0)}"`;
  if (hook.status === 'passed') return `${open}/>`;
  if (hook.status === 'running') return `${open}>\n      <skipped message="did not finish"/>\n    </testcase>`;
  counts.failures += 1;
  const message = escapeXml(hook.error?.message ?? 'failed');
  return `${open}>\n      <failure message="${message}" type="${escapeXml(hook.error?.name ?? 'Error')}">${message}</failure>\n    </testcase>`;
}

/** A step's cases: itself, or each loop iteration it ran in (`s4#1`, `s4#2`) when it ran in a loop. */
function instancesOf(run: JournalFold, stepId: string): string[] {
  const ids = [...run.steps.keys()].filter((id) => id !== stepId && baseId(id) === stepId);
  return ids.length > 0 ? ids : [stepId];
}

/**
 * The blocks that failed themselves (a condition that threw, a loop's bound or bad answer), and a
 * top-level break that ended the run: a failed case each, at the block's header.
 */
function failedBlocks(meta: RunMeta, run: JournalFold): { id: string; block: BlockMeta; message: string; name: string }[] {
  const where = locator(meta);
  const failures = new Map<string, { message: string; name: string }>();
  for (const event of run.blocks)
    if (event.what === 'ended' && event.status === 'failed' && event.error)
      failures.set(event.blockId, { message: event.error.message, name: event.error.name ?? 'Error' });
  const failedId = run.finished?.failedStepId;
  if (failedId !== undefined && !failures.has(failedId) && meta.blocks?.some((b) => b.id === baseId(failedId)))
    failures.set(failedId, { message: run.finished?.reason ?? 'failed', name: 'BlockEnded' });
  return [...failures].flatMap(([id, failure]) => {
    const block = where(id);
    return block && !('kind' in block) ? [{ id, block, ...failure }] : [];
  });
}

/** The JUnit XML of a run from its events (a resumed run passes the whole journal). */
export function junitXml(meta: RunMeta, events: readonly RunEvent[]): string {
  const run = foldJournal(events);
  const startedAt = run.started?.at ?? '';
  const counts = { tests: 0, failures: 0, skipped: 0 };
  // A loop's body step is a case per iteration (`s4#1`, `s4#2`), under its iteration's id.
  const cases = meta.steps
    .flatMap((step) => instancesOf(run, step.id).map((id) => ({ id, step })))
    .map(({ id, step }) => {
      counts.tests += 1;
      const folded = run.steps.get(id);
      // Each step as its last attempt (or a resume) left it.
      const finished = folded && hasFinished(folded.status) ? { ...folded, status: folded.status } : undefined;
      const name = escapeXml(`${id} ${step.label}`);
      // Only the attributes the common JUnit schema (Jenkins xunit junit-10.xsd) allows on a test case; the
      // step's line is in its name's id and its failure text.
      const open = `    <testcase name="${name}" classname="${escapeXml(meta.diagram)}" time="${seconds(finished?.durationMs ?? 0)}"`;
      if (finished?.status === 'passed') return `${open}/>`;
      if (finished?.status === 'failed') {
        counts.failures += 1;
        const message = escapeXml(finished.error?.message ?? 'failed');
        const body = escapeXml(`${meta.diagram}:${step.line}:${step.column}: ${finished.error?.message ?? 'failed'}`);
        return `${open}>\n      <failure message="${message}" type="${escapeXml(finished.error?.name ?? 'Error')}">${body}</failure>\n    </testcase>`;
      }
      counts.skipped += 1;
      const why = finished?.status === 'cancelled' ? `cancelled: ${finished.error?.message ?? ''}` : finished ? 'skipped' : 'not run';
      return `${open}>\n      <skipped message="${escapeXml(why)}"/>\n    </testcase>`;
    });
  for (const failure of failedBlocks(meta, run)) {
    counts.tests += 1;
    counts.failures += 1;
    const message = escapeXml(failure.message);
    const body = escapeXml(`${meta.diagram}:${failure.block.line}:${failure.block.column}: ${failure.message}`);
    const open = `    <testcase name="${escapeXml(`${failure.id} ${failure.block.label}`)}" classname="${escapeXml(meta.diagram)}" time="0.000"`;
    cases.push(`${open}>\n      <failure message="${message}" type="${escapeXml(failure.name)}">${body}</failure>\n    </testcase>`);
  }
  const hooks = [...run.hooks.values()];
  counts.tests += hooks.length;
  for (const hook of hooks) if (hook.status === 'running') counts.skipped += 1;
  cases.push(...hooks.map((hook) => hookCase(hook, `${meta.diagram} hooks`, counts)));
  // A resumed run says so: its cases came from more than one runner.
  const properties = run.resumed ? ['    <properties>', '      <property name="seqrun.resumed" value="true"/>', '    </properties>'] : [];
  const totals = `tests="${counts.tests}" failures="${counts.failures}" errors="0"`;
  const time = `time="${seconds(run.activeMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    // The schema allows `skipped` and `file` on a testsuite, not on testsuites.
    `<testsuites name="seqrun" ${totals} ${time}>`,
    `  <testsuite name="${escapeXml(meta.diagram)}" ${totals} skipped="${counts.skipped}" ${time} timestamp="${escapeXml(startedAt)}" id="${escapeXml(run.runId)}" file="${escapeXml(meta.diagram)}">`,
    ...properties,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Collects events and writes the XML once, on close. */
export class JunitReporter implements Reporter {
  private readonly events: RunEvent[];

  private readonly meta: RunMeta;
  private readonly save: (xml: string) => void;
  constructor(meta: RunMeta, save: (xml: string) => void, history: readonly RunEvent[] = []) {
    this.meta = meta;
    this.save = save;
    this.events = [...history];
  }

  onEvent(event: RunEvent): void {
    if (event.type !== 'log' && event.type !== 'state') this.events.push(event);
  }

  close(): void {
    this.save(junitXml(this.meta, this.events));
  }
}
