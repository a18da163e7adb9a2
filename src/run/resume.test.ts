import { describe, expect, it } from 'vitest';
import type { RunEvent } from './events.ts';
import { summarizeJournal } from './resume.ts';

const at = '2026-11-26T00:00:00Z';
const base = { at, runId: 'r' };
const started: RunEvent = {
  ...base,
  type: 'run-started',
  diagram: 'x.seq',
  diagramHash: 'h',
  title: null,
  vars: {},
  trigger: 't',
  steps: [],
};
const finished = (stepId: string, status: 'passed' | 'failed' | 'cancelled', extra: object = {}): RunEvent => ({
  ...base,
  type: 'step-finished',
  stepId,
  status,
  attempt: 1,
  durationMs: 1,
  ...extra,
});

describe('summarizeJournal', () => {
  it('collects passed outputs, open job handles and the last state', () => {
    const s = summarizeJournal([
      started,
      finished('s0', 'passed', { output: { sha: 'a' } }),
      { ...base, type: 'job-started', stepId: 's1', handle: 'build-1' },
      { ...base, type: 'state', state: { n: 1 } },
      { ...base, type: 'job-started', stepId: 's2', handle: 'build-2' },
      finished('s2', 'passed', { output: 'img' }),
      { ...base, type: 'state', state: { n: 2 } },
    ]);
    expect(s.started).toBe(started);
    expect(s.finished).toBeNull();
    expect([...s.passed]).toEqual([
      ['s0', { sha: 'a' }],
      ['s2', 'img'],
    ]);
    expect([...s.openJobs]).toEqual([['s1', 'build-1']]);
    expect(s.state).toEqual({ n: 2 });
  });
  it('forgets jobs the run cancelled but keeps jobs left running; a resume clears the previous finish', () => {
    const s = summarizeJournal([
      started,
      { ...base, type: 'job-started', stepId: 's1', handle: 'cancelled-one' },
      { ...base, type: 'job-started', stepId: 's2', handle: 'left-one' },
      finished('s1', 'cancelled', { error: { message: 'x', name: 'JobCancelled' } }),
      finished('s2', 'cancelled', { error: { message: 'x', name: 'JobLeftRunning' } }),
      { ...base, type: 'run-finished', status: 'failed', durationMs: 1 },
      { ...base, type: 'run-resumed', pid: 1 },
    ]);
    expect([...s.openJobs]).toEqual([['s2', 'left-one']]);
    expect(s.finished).toBeNull();
  });
  it('ignores a handle that arrived after its attempt was abandoned', () => {
    const s = summarizeJournal([
      started,
      { ...base, type: 'step-started', stepId: 's1', attempt: 1 },
      finished('s1', 'failed', { error: { message: 'timed out', name: 'TimeoutError' } }),
      { ...base, type: 'job-started', stepId: 's1', handle: 'late' },
    ]);
    expect(s.openJobs.size).toBe(0);
  });
});
