import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../run/events.ts';
import { applyStateChanges, foldSharedRun, stateChanges } from './stepfunctions-shared-run.ts';

const at = '2026-12-03T10:00:00.000Z';
const runId = 'r1';

describe('what the workers share about a run', () => {
  it('folds outputs, the last state, finished steps, jobs per attempt and progress', () => {
    const events: RunEvent[] = [
      { type: 'step-finished', at, runId, stepId: 's0', status: 'passed', attempt: 1, durationMs: 3, output: { tag: 'x' } },
      { type: 'state', at, runId, state: { release: 7 } },
      { type: 'step-started', at, runId, stepId: 's1', attempt: 1 },
      { type: 'step-progress', at, runId, stepId: 's1', attempt: 1, part: { index: 0, token: 't0' } },
      { type: 'job-started', at, runId, stepId: 's1', handle: 'build-1' },
      { type: 'step-started', at, runId, stepId: 's1', attempt: 2 },
      { type: 'job-started', at, runId, stepId: 's1', handle: 'build-2' },
      { type: 'step-finished', at, runId, stepId: 's2', status: 'failed', attempt: 1, durationMs: 1, error: { message: 'no' } },
      { type: 'state', at, runId, state: { release: 7, tag: 'x' } },
    ];
    const run = foldSharedRun(events);
    expect([...run.outputs]).toEqual([['s0', { tag: 'x' }]]);
    expect(run.state).toEqual({ release: 7, tag: 'x' });
    expect([...run.finished.keys()]).toEqual(['s0', 's2']);
    expect([...run.jobs].map(([key, job]) => [key, job.handle])).toEqual([
      ['s1@1', 'build-1'],
      ['s1@2', 'build-2'],
    ]);
    expect([...run.progress]).toEqual([['s1', [{ index: 0, token: 't0' }]]]);
  });

  it("merges a step's changes into a state other steps changed meanwhile, key by key", () => {
    const before = { release: 7, images: { a: '1' }, openBuilds: { s4: ['b'] }, passed: ['s0'] };
    const after = { release: 7, images: { a: '1', b: '2' }, openBuilds: {}, passed: ['s0', 's1'], tag: 'x', source: { key: 'k' } };
    const changes = stateChanges(before, after);
    expect(changes).toEqual([
      { path: ['images', 'b'], value: '2' },
      { path: ['openBuilds', 's4'], deleted: true },
      { path: ['passed'], value: ['s0', 's1'] },
      { path: ['tag'], value: 'x' },
      { path: ['source', 'key'], value: 'k' },
    ]);
    const newest = {
      release: 7,
      images: { a: '1', c: '3' },
      openBuilds: { s4: ['b'], s9: ['c'] },
      passed: ['s0'],
      source: { bucket: 'z' },
    };
    expect(applyStateChanges(newest, changes)).toEqual({
      release: 7,
      images: { a: '1', b: '2', c: '3' },
      openBuilds: { s9: ['c'] },
      passed: ['s0', 's1'],
      tag: 'x',
      source: { bucket: 'z', key: 'k' },
    });
    expect(newest.images).toEqual({ a: '1', c: '3' });
  });

  it('no change, no changes; a value that was not an object becomes one when a key is set under it', () => {
    expect(stateChanges({ a: { b: [1] } }, { a: { b: [1] } })).toEqual([]);
    expect(applyStateChanges({ a: 1 }, [{ path: ['a', 'b'], value: 2 }])).toEqual({ a: { b: 2 } });
    expect(stateChanges({}, { empty: {} })).toEqual([{ path: ['empty'], value: {} }]);
  });
});
