// Reports of a mermaid run: a loop's body step is a row per iteration (`s1#2`), its failure named so;
// a block that ended the run is said in the facts; a document's section names where the run failed.
import { describe, expect, it } from 'vitest';
import { toMarkdownReport } from '../../src/render/markdown.ts';
import { reportModel } from '../../src/render/report-model.ts';
import { foldRun, stepIndexOf, type RunView } from '../../src/render/run-view.ts';
import { sectionFacts } from '../../src/render/update-doc.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { parseMermaidSource } from '../../src/syntax/mermaid/parse.ts';

const SOURCE = `sequenceDiagram
  loop for each app
    CI->>AWS: Build the app
    CI->>AWS: Test the app
  end
`;
const diagram = parseMermaidSource(SOURCE, { file: 'release.mmd' }).diagrams[0];
if (!diagram) throw new Error('the test diagram did not parse');

const base = { at: '2026-12-03T00:00:00.000Z', runId: 'r1' };
const journaled = diagram.steps.map((step, i) => ({
  id: `s${i}`,
  kind: 'call' as const,
  text: step.text,
  line: step.span.start.line,
  column: step.span.start.column,
}));
const started: RunEvent = {
  ...base,
  type: 'run-started',
  diagram: 'release.mmd',
  diagramHash: 'h',
  title: null,
  vars: {},
  trigger: 't',
  steps: journaled,
};
const passed = (stepId: string): RunEvent => ({ ...base, type: 'step-finished', stepId, status: 'passed', attempt: 1, durationMs: 5 });

function runOf(events: readonly RunEvent[]): RunView {
  const run = foldRun(events);
  if (!run) throw new Error('no run-started');
  return run;
}

const stepFailed = runOf([
  started,
  passed('s0#1'),
  passed('s1#1'),
  passed('s0#2'),
  {
    ...base,
    type: 'step-finished',
    stepId: 's1#2',
    status: 'failed',
    attempt: 1,
    durationMs: 7,
    error: { message: 'tiny: 2 tests failed', name: 'Error' },
  },
  { ...base, type: 'run-finished', status: 'failed', durationMs: 40, failedStepId: 's1#2' },
]);

const reason = 'The loop "for each app" (release.mmd:2:3) still held after 1 iterations, its maxIterations';
const blockFailed = runOf([
  started,
  passed('s0#1'),
  passed('s1#1'),
  { ...base, type: 'block', blockId: 'b0', what: 'ended', status: 'failed', error: { message: reason, name: 'LoopBoundReached' } },
  { ...base, type: 'run-finished', status: 'failed', durationMs: 40, failedStepId: 'b0', reason },
]);

describe('a report of a run with a loop', () => {
  it('lists each iteration of a body step as a row under its iteration id, and the failure by that id', () => {
    const model = reportModel({ diagram, run: stepFailed, source: SOURCE });
    expect(model.rows.map((r) => [r.id, r.line, r.status])).toEqual([
      ['s0#1', 3, 'passed'],
      ['s0#2', 3, 'passed'],
      ['s1#1', 4, 'passed'],
      ['s1#2', 4, 'failed'],
    ]);
    expect(model.failures.map((f) => [f.row.id, f.message])).toEqual([['s1#2', 'tiny: 2 tests failed']]);
    expect(toMarkdownReport({ diagram, run: stepFailed, source: SOURCE })).toContain('### Step s1#2 failed\n\n`release.mmd:4:5`');
  });

  it('says which block ended the run, and why, when no step failed', () => {
    const model = reportModel({ diagram, run: blockFailed, source: SOURCE });
    expect(model.facts).toContainEqual(['Failed at', `block b0: ${reason}`]);
    expect(model.failures).toEqual([]);
  });
});

describe("a document's generated section", () => {
  const target = { diagram, run: null, source: SOURCE };

  it("names a loop iteration's failed step by its number and its iteration id", () => {
    expect(sectionFacts(target, stepFailed, null).failedStep).toBe('step 2 (s1#2), `CI->>AWS: Test the app`');
  });

  it('names a block that ended the run by its id (never as the step of the same number)', () => {
    expect(sectionFacts(target, blockFailed, null).failedStep).toBe('block b0');
  });

  it('reads step ids with and without iterations, and not block ids', () => {
    expect([stepIndexOf('s4'), stepIndexOf('s4#2#1'), stepIndexOf('b0'), stepIndexOf('b0#1')]).toEqual([4, 4, null, null]);
  });
});
