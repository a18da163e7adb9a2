import { describe, expect, it } from 'vitest';
import type { RunEvent } from './events.ts';
import { sandboxGone, summarizeJournal } from './resume.ts';

const base = { at: '2026-11-26T00:00:00Z', runId: 'r' };
const started = (sandbox?: string): RunEvent => ({
  ...base,
  type: 'run-started',
  diagram: 'specs/final.seq',
  diagramHash: 'h',
  title: null,
  vars: {},
  trigger: 't',
  profile: 'sandbox',
  steps: [],
  ...(sandbox ? { sandbox } : {}),
});
const passed: RunEvent = { ...base, type: 'step-finished', stepId: 's0', status: 'passed', attempt: 1, durationMs: 1 };

describe('resuming against another sandbox', () => {
  it('is refused once the run did something in its own, and says that a sandbox starts empty', () => {
    const summary = summarizeJournal([started('a1'), passed]);
    expect(summary.sandbox).toBe('a1');
    expect(sandboxGone(summary, 'a1')).toBeNull();
    expect(sandboxGone(summary, 'b2')).toBe(
      "ran against sandbox a1, which is gone (this would run against sandbox b2). 'seqrun sandbox up' starts an empty sandbox: the run's S3 objects, images and builds went with the old one, so a run cannot resume across a sandbox restart. Start a new run instead: seqrun run --sandbox specs/final.seq --profile sandbox",
    );
    expect(sandboxGone(summary, null)).toContain('(this would run against no sandbox)');
  });

  it("is allowed when nothing passed and no job is open, and for a run that used no sandbox; the latest resume's sandbox counts", () => {
    expect(sandboxGone(summarizeJournal([started('a1')]), 'b2')).toBeNull();
    expect(sandboxGone(summarizeJournal([started(), passed]), 'b2')).toBeNull();
    const moved = summarizeJournal([started('a1'), { ...base, type: 'run-resumed', pid: 2, sandbox: 'b2' }, passed]);
    expect(sandboxGone(moved, 'b2')).toBeNull();
  });
});
