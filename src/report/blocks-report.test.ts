// The reporters on a mermaid run: a loop's step that failed is named by its iteration id (`s1#2`) at
// its step's place; a block that failed itself (a loop's bound, a condition that threw) by its block id
// at its header's place.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../run/events.ts';
import { junitXml } from './junit.ts';
import { LiveReporter } from './live.ts';
import { PlainReporter } from './plain.ts';
import { locator, type RunMeta } from './types.ts';

const base = { at: '2026-12-03T00:00:00.000Z', runId: 'r1' };
const meta: RunMeta = {
  diagram: 'release.mmd',
  journal: '.seqrun/runs/r1/journal.ndjson',
  steps: [
    { id: 's0', kind: 'call', mode: 'sync', label: 'CI->>AWS: Build the app', line: 3, column: 5 },
    { id: 's1', kind: 'call', mode: 'sync', label: 'CI->>AWS: Test the app', line: 4, column: 5 },
  ],
  blocks: [
    { id: 'b0', label: 'loop for each app', line: 2, column: 3 },
    { id: 'b1', label: 'opt the app has tests', line: 5, column: 3 },
  ],
};
const started: RunEvent = {
  ...base,
  type: 'run-started',
  diagram: 'release.mmd',
  diagramHash: 'h',
  title: null,
  vars: {},
  trigger: 't',
  steps: [],
};
const passed = (stepId: string): RunEvent => ({ ...base, type: 'step-finished', stepId, status: 'passed', attempt: 1, durationMs: 5 });

/** Two iterations: the second one's test fails. */
const stepFailed: RunEvent[] = [
  started,
  { ...base, type: 'block', blockId: 'b0', what: 'items', items: ['demo', 'tiny'] },
  passed('s0#1'),
  passed('s1#1'),
  passed('s0#2'),
  { ...base, type: 'step-started', stepId: 's1#2', attempt: 1 },
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
];

const boundMessage = 'The loop "for each app" (release.mmd:2:3) still held after 2 iterations, its maxIterations';
/** The loop's guard still holds after its bound: the block failed, no step did. */
const blockFailed: RunEvent[] = [
  started,
  passed('s0#1'),
  passed('s0#2'),
  {
    ...base,
    type: 'block',
    blockId: 'b0',
    what: 'ended',
    status: 'failed',
    error: { message: boundMessage, name: 'LoopBoundReached' },
  },
  { ...base, type: 'run-finished', status: 'failed', durationMs: 40, failedStepId: 'b0', reason: boundMessage },
];

function plain(events: readonly RunEvent[]): string[] {
  let out = '';
  const reporter = new PlainReporter(meta, (t) => (out += t));
  for (const e of events) reporter.onEvent(e);
  reporter.close();
  return out.trimEnd().split('\n');
}

describe('locator', () => {
  it("finds a step, a loop iteration's step at its step, and a block (in an iteration too)", () => {
    const where = locator(meta);
    expect(where('s1')).toMatchObject({ id: 's1', line: 4 });
    expect(where('s1#2')).toMatchObject({ id: 's1', line: 4 });
    expect(where('s1#2#3')).toMatchObject({ id: 's1', line: 4 });
    expect(where('b1#2')).toEqual({ id: 'b1', label: 'opt the app has tests', line: 5, column: 3 });
    expect(where('s9')).toBeUndefined();
  });
});

describe('plain reporter', () => {
  it("names a loop's failed step by its iteration id at its step's line", () => {
    expect(plain(stepFailed)).toContain('failed [s1#2] CI->>AWS: Test the app at release.mmd:4:5: tiny: 2 tests failed');
  });

  it('names a block that failed itself by its id at its header', () => {
    expect(plain(blockFailed)).toContain(`failed [b0] loop for each app at release.mmd:2:3: ${boundMessage}`);
  });
});

describe('junit', () => {
  it("has a case per iteration of a loop's steps, the failed one named by its iteration id", () => {
    const xml = junitXml(meta, stepFailed);
    expect(xml).toContain('tests="4" failures="1"');
    expect(xml.match(/<testcase name="[^"]*"/g)).toEqual([
      '<testcase name="s0#1 CI-&gt;&gt;AWS: Build the app"',
      '<testcase name="s0#2 CI-&gt;&gt;AWS: Build the app"',
      '<testcase name="s1#1 CI-&gt;&gt;AWS: Test the app"',
      '<testcase name="s1#2 CI-&gt;&gt;AWS: Test the app"',
    ]);
    expect(xml).toContain('<failure message="tiny: 2 tests failed" type="Error">release.mmd:4:5: tiny: 2 tests failed</failure>');
  });

  it('has a failed case for a block that failed itself, at its header', () => {
    const xml = junitXml(meta, blockFailed);
    expect(xml).toContain('tests="4" failures="1"'); // two iterations of s0, s1 not run, the loop
    expect(xml).toContain('<testcase name="b0 loop for each app" classname="release.mmd" time="0.000">');
    expect(xml).toContain('type="LoopBoundReached">release.mmd:2:3: The loop &quot;for each app&quot;');
  });

  it("has a failed case for a top-level break that ended the run, with the break's reason", () => {
    const xml = junitXml(meta, [
      started,
      { ...base, type: 'block', blockId: 'b1', what: 'branch', branch: 0 },
      { ...base, type: 'block', blockId: 'b1', what: 'ended', status: 'broke' },
      { ...base, type: 'run-finished', status: 'failed', durationMs: 3, failedStepId: 'b1', reason: 'break: the app has tests' },
    ]);
    expect(xml).toContain('failures="1"');
    expect(xml).toContain(
      '<testcase name="b1 opt the app has tests" classname="release.mmd" time="0.000">\n      <failure message="break: the app has tests" type="BlockEnded">release.mmd:5:3: break: the app has tests</failure>',
    );
  });
});

describe('live list', () => {
  it("shows a loop iteration's step on its step's row, under its iteration id", () => {
    let out = '';
    const reporter = new LiveReporter(meta, (t) => (out += t), { noColor: true, rows: 40, tickMs: 60_000, minRedrawMs: 0 });
    for (const e of stepFailed) reporter.onEvent(e);
    reporter.close();
    const frame = out.slice(out.lastIndexOf('\x1b[2Kseqrun'));
    expect(frame).toContain('s0#2 ✓ CI->>AWS: Build the app  5 ms');
    expect(frame).toContain('s1#2 ✗ CI->>AWS: Test the app  7 ms  — tiny: 2 tests failed');
  });
});
