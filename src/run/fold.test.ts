import { describe, expect, it } from 'vitest';
import type { RunEvent } from './events.ts';
import { foldJournal, tallySteps } from './fold.ts';

const at = (s: number): { at: string; runId: string } => ({ at: new Date(Date.UTC(2026, 10, 26, 10, 0, s)).toISOString(), runId: 'r1' });
const steps = [
  { id: 's0', kind: 'call', text: 'Trigger build', line: 1, column: 1, mode: 'job', joinedAt: 's2' },
  { id: 's1', kind: 'call', text: 'Compile', line: 2, column: 1, mode: 'sync' },
  { id: 's2', kind: 'reply', text: 'Success', line: 3, column: 1 },
] as const;
const started: RunEvent = {
  type: 'run-started',
  diagram: 'a.seq',
  diagramHash: 'h',
  title: null,
  vars: {},
  trigger: 't',
  steps,
  sandbox: 'a1',
  ...at(0),
};
// s0's job is left running by Ctrl-C with --leave-jobs; the resume re-attaches it; s1 passes on its second attempt.
const journal: RunEvent[] = [
  started,
  { type: 'step-started', stepId: 's0', attempt: 1, ...at(1) },
  { type: 'step-progress', stepId: 's0', attempt: 1, part: 'token-1', ...at(1) },
  { type: 'job-started', stepId: 's0', handle: { id: 'b-1' }, ...at(2) },
  { type: 'step-progress', stepId: 's0', attempt: 1, part: { polled: 1 }, ...at(3) },
  { type: 'step-started', stepId: 's1', attempt: 1, ...at(3) },
  { type: 'step-finished', stepId: 's1', status: 'failed', attempt: 1, durationMs: 1000, error: { message: 'flaky' }, ...at(4) },
  { type: 'state', state: { n: 1 }, ...at(4) },
  {
    type: 'step-finished',
    stepId: 's0',
    status: 'cancelled',
    attempt: 1,
    durationMs: 4000,
    error: { message: 'left running', name: 'JobLeftRunning' },
    ...at(5),
  },
  { type: 'step-finished', stepId: 's2', status: 'skipped', attempt: 0, durationMs: 0, ...at(5) },
  { type: 'run-finished', status: 'interrupted', durationMs: 5000, reason: 'SIGINT', ...at(5) },
  { type: 'run-resumed', pid: 2, ...at(40) },
];
const resumed: RunEvent[] = [
  { type: 'step-started', stepId: 's0', attempt: 1, ...at(40) },
  { type: 'step-started', stepId: 's1', attempt: 1, ...at(40) },
  { type: 'step-started', stepId: 's1', attempt: 2, ...at(41) },
  { type: 'step-finished', stepId: 's1', status: 'passed', attempt: 2, durationMs: 2000, output: 'ok', ...at(43) },
  { type: 'step-finished', stepId: 's0', status: 'passed', attempt: 1, durationMs: 9000, output: 'built', ...at(49) },
  { type: 'step-started', stepId: 's2', attempt: 1, ...at(49) },
  { type: 'step-finished', stepId: 's2', status: 'passed', attempt: 1, durationMs: 1000, ...at(50) },
  { type: 'run-finished', status: 'passed', durationMs: 10_000, ...at(50) },
];
const iso = (s: number): string => at(s).at;

describe('foldJournal', () => {
  it('folds a run stopped with a job left running: steps, the open job, the run', () => {
    expect(foldJournal(journal)).toEqual({
      runId: 'r1',
      started,
      finished: null,
      status: 'running',
      resumed: true,
      durationMs: null,
      activeMs: 5000,
      failedStepId: null,
      sandbox: null,
      state: { n: 1 },
      stepMetadata: true,
      steps: new Map([
        [
          's0',
          {
            id: 's0',
            status: 'cancelled',
            attempts: 1,
            durationMs: 4000,
            output: undefined,
            error: { message: 'left running', name: 'JobLeftRunning' },
            progress: [{ polled: 1 }],
            startedAt: iso(1),
            finishedAt: iso(5),
            job: { state: 'left-running', handle: { id: 'b-1' }, joinedAt: 's2', reattached: false },
          },
        ],
        [
          's1',
          {
            id: 's1',
            status: 'failed',
            attempts: 1,
            durationMs: 1000,
            output: undefined,
            error: { message: 'flaky' },
            progress: [],
            startedAt: iso(3),
            finishedAt: iso(4),
            job: null,
          },
        ],
        [
          's2',
          {
            id: 's2',
            status: 'skipped',
            attempts: 0,
            durationMs: 0,
            output: undefined,
            error: null,
            progress: [],
            startedAt: null,
            finishedAt: iso(5),
            job: null,
          },
        ],
      ]),
      blocks: [],
      hooks: new Map(),
    });
  });

  it('folds hook runs by their run id: running until finished, an on-failure run with its step, the last run of an id counting', () => {
    const hook = { runId: 'r1', hookId: 'h0', hook: 'after-run', name: 'Clean up' } as const;
    const fold = foldJournal([
      started,
      { type: 'hook-started', runId: 'r1', hookRun: 'h1:s1', hookId: 'h1', hook: 'on-failure', name: 'Page', failedStep: 's1', at: iso(2) },
      { type: 'hook-started', hookRun: 'h0', ...hook, at: iso(3) },
      { type: 'hook-finished', hookRun: 'h0', ...hook, status: 'failed', durationMs: 10, error: { message: 'no bucket' }, at: iso(4) },
      { type: 'run-resumed', pid: 2, runId: 'r1', at: iso(5) },
      { type: 'hook-started', hookRun: 'h0', ...hook, at: iso(6) },
      { type: 'hook-finished', hookRun: 'h0', ...hook, status: 'passed', durationMs: 5, at: iso(7) },
    ]);
    expect([...fold.hooks.values()]).toEqual([
      {
        hookRun: 'h1:s1',
        hookId: 'h1',
        kind: 'on-failure',
        name: 'Page',
        status: 'running',
        durationMs: null,
        error: null,
        failedStep: 's1',
      },
      { hookRun: 'h0', hookId: 'h0', kind: 'after-run', name: 'Clean up', status: 'passed', durationMs: 5, error: null, failedStep: null },
    ]);
  });

  it('counts a re-attached job and a resumed run from their first start', () => {
    const fold = foldJournal([...journal, ...resumed]);
    expect(fold).toMatchObject({ status: 'passed', durationMs: 50_000, activeMs: 15_000, failedStepId: null });
    expect(fold.steps.get('s0')).toEqual({
      id: 's0',
      status: 'passed',
      attempts: 1,
      durationMs: 48_000,
      output: 'built',
      error: null,
      progress: [],
      startedAt: iso(1),
      finishedAt: iso(49),
      job: { state: 'done', handle: { id: 'b-1' }, joinedAt: 's2', reattached: true },
    });
    expect(fold.steps.get('s1')).toMatchObject({ status: 'passed', attempts: 2, durationMs: 2000, startedAt: iso(41) });
    expect(tallySteps(fold)).toEqual({ passed: 3, failed: 0, skipped: 0, cancelled: 0 });
  });

  it('reads an older journal: jobs known from their handles, no join points', () => {
    const old = { ...started, steps: steps.map(({ id, kind, text, line, column }) => ({ id, kind, text, line, column })) };
    const fold = foldJournal([old, journal[1] as RunEvent, journal[3] as RunEvent]);
    expect(fold.stepMetadata).toBe(false);
    expect(fold.steps.get('s0')?.job).toEqual({ state: 'running', handle: { id: 'b-1' }, joinedAt: undefined, reattached: false });
    expect(fold.steps.get('s1')?.job).toBeNull();
  });

  it('a job whose start failed before its handle was never started; a handle after its attempt ended is stopped', () => {
    const fold = foldJournal([
      started,
      { type: 'step-started', stepId: 's0', attempt: 1, ...at(1) },
      {
        type: 'step-finished',
        stepId: 's0',
        status: 'failed',
        attempt: 1,
        durationMs: 30_000,
        error: { message: 'timed out', name: 'TimeoutError' },
        ...at(31),
      },
      { type: 'job-started', stepId: 's0', handle: 'late', ...at(32) },
    ]);
    expect(fold.steps.get('s0')?.job).toEqual({ state: 'stopped', handle: 'late', joinedAt: 's2', reattached: false });
    const never = foldJournal([
      started,
      { type: 'step-started', stepId: 's0', attempt: 1, ...at(1) },
      { type: 'step-finished', stepId: 's0', status: 'failed', attempt: 1, durationMs: 5, error: { message: 'no' }, ...at(2) },
    ]);
    expect(never.steps.get('s0')?.job?.state).toBe('not-started');
  });

  it('a step started after the run ended (a Step Functions worker that took a message late) does not reopen it', () => {
    const late: RunEvent[] = [
      started,
      { type: 'step-started', stepId: 's1', attempt: 1, ...at(1) },
      { type: 'step-finished', stepId: 's1', status: 'failed', attempt: 1, durationMs: 1000, error: { message: 'boom' }, ...at(2) },
      { type: 'run-finished', status: 'failed', durationMs: 2000, failedStepId: 's1', ...at(2) },
      { type: 'step-started', stepId: 's1', attempt: 2, ...at(3) },
    ];
    expect(foldJournal(late).steps.get('s1')).toMatchObject({ status: 'failed', attempts: 1 });
    // After a resume a step starts again as usual.
    const again = foldJournal([
      ...late,
      { type: 'run-resumed', pid: 2, ...at(4) },
      { type: 'step-started', stepId: 's1', attempt: 1, ...at(5) },
    ]);
    expect(again.steps.get('s1')?.status).toBe('running');
  });

  it('folds events without run-started (a journal torn at its start)', () => {
    expect(foldJournal([]).steps.size).toBe(0);
    expect(foldJournal([journal[3] as RunEvent]).steps.get('s0')?.job?.state).toBe('running');
  });
});
