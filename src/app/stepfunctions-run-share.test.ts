import { describe, expect, it } from 'vitest';
import type { RunEvent, StepFinished } from '../run/events.ts';
import { RunShare } from './stepfunctions-run-share.ts';

const at = '2026-12-03T10:00:00.000Z';
const runId = 'r1';
const started: RunEvent = {
  type: 'run-started',
  at,
  runId,
  diagram: 'release.mmd',
  diagramHash: 'h',
  title: null,
  vars: {},
  trigger: 'manual',
  profile: null,
  steps: [],
};
const start = (stepId: string, attempt = 1): RunEvent => ({ type: 'step-started', at, runId, stepId, attempt });
const end = (stepId: string, status: 'passed' | 'failed' | 'cancelled' | 'skipped', attempt = 1): StepFinished => ({
  type: 'step-finished',
  at,
  runId,
  stepId,
  status,
  attempt,
  durationMs: 0,
});
const log = (stepId: string, message: string): RunEvent => ({ type: 'log', at, runId, stepId, level: 'warn', message });

describe("what the run command adds to the S3 journal the workers write (the history's events)", () => {
  it("adds the run's own events and no step a worker journaled, its start held back until its end", () => {
    const share = new RunShare();
    const workers: RunEvent[] = [started, start('s0'), { ...end('s0', 'passed'), output: 'built' }];
    const block: RunEvent = { type: 'block', at, runId, blockId: 'b1', what: 'items', items: ['one'] };
    // The history's run-started is the journal's already; s1 has started but not ended: nothing of it yet.
    expect(share.take([started, start('s0'), end('s0', 'passed'), block, start('s1')])(workers)).toEqual([block]);
    const finished: RunEvent = { type: 'run-finished', at, runId, status: 'passed', durationMs: 9 };
    // s1 (a built-in Success: no worker runs it) ends: its start comes with its end.
    expect(share.take([end('s1', 'passed'), finished])(workers)).toEqual([start('s1'), end('s1', 'passed'), finished]);
  });

  it('adds what no worker could say: retries that ran out, a timed-out attempt, steps cancelled and skipped', () => {
    const share = new RunShare();
    // s5's first attempt failed in a worker (it said so); the second timed out: no worker journaled it.
    const workers: RunEvent[] = [started, start('s5'), log('s5', 'attempt 1 failed: Error: 503')];
    const history = [
      start('s5'),
      log('s5', 'attempt 1 failed: seqrun.StepFailed; Step Functions retries it'),
      start('s5', 2),
      end('s5', 'failed', 2),
      end('s6', 'skipped', 0),
    ];
    expect(share.take(history)(workers)).toEqual([start('s5', 2), end('s5', 'failed', 2), end('s6', 'skipped', 0)]);
    // A journal without the worker's line (another writer's segment read again): the history's warning goes in.
    expect(share.take([log('s7', 'attempt 1 failed: timed out; Step Functions retries it')])(workers)).toEqual([
      log('s7', 'attempt 1 failed: timed out; Step Functions retries it'),
    ]);
  });

  it("writes the history's end where it differs from the worker's (the answer was journaled, then the task timed out)", () => {
    const share = new RunShare();
    const workers: RunEvent[] = [started, start('s2'), end('s2', 'passed')];
    const added = share.take([start('s2'), end('s2', 'failed'), end('s3', 'cancelled')]);
    // s2's start is the worker's already.
    expect(added(workers)).toEqual([end('s2', 'failed'), end('s3', 'cancelled')]);
    // Asked again on a newer journal (another writer took the segment): the same answer, from the same held starts.
    expect(added([...workers, end('s3', 'cancelled')])).toEqual([end('s2', 'failed')]);
  });

  it('a follower that attached midway writes only what the journal lacks: no block, step end, retry or run end twice', () => {
    const block = (blockId: string, what: 'items' | 'guard' | 'ended', iteration?: number): RunEvent => ({
      type: 'block',
      at,
      runId,
      blockId,
      what,
      ...(iteration === undefined ? {} : { iteration }),
    });
    const finished: RunEvent = { type: 'run-finished', at, runId, status: 'passed', durationMs: 9 };
    const retry = log('s5', 'attempt 1 failed: timed out; Step Functions retries it');
    // The first follower wrote run-started, b0's items, its first guard, s4 (no worker runs it) and a retry no worker answered; then it died.
    const first: RunEvent[] = [started, block('b0', 'items'), block('b1', 'guard', 1), start('s4'), end('s4', 'passed'), retry];
    const history = [
      started,
      block('b0', 'items'),
      block('b1', 'guard', 1),
      start('s4'),
      end('s4', 'passed'),
      retry,
      block('b1', 'guard', 2),
      block('b0', 'ended'),
      end('s6', 'skipped', 0),
      finished,
    ];
    expect(new RunShare().take(history)(first)).toEqual([block('b1', 'guard', 2), block('b0', 'ended'), end('s6', 'skipped', 0), finished]);
    // Both followers alive: whichever appends second finds the other's end and writes nothing of it.
    expect(
      new RunShare().take(history)([...first, block('b1', 'guard', 2), block('b0', 'ended'), end('s6', 'skipped', 0), finished]),
    ).toEqual([]);
  });
});
