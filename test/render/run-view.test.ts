// Folding journal events into what the renderers draw.
import { describe, expect, it } from 'vitest';
import { changedSteps, foldRun, viewOf } from '../../src/render/run-view.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { buildDiagram } from './build-diagram.ts';
import { journalRun } from './support.ts';

describe('foldRun', () => {
  it('is null for events without run-started', () => {
    expect(foldRun([])).toBeNull();
  });

  it('keeps the last attempt of a retried step, the job handle, outputs and the run outcome', async () => {
    const run = await journalRun('interim-failed.journal.ndjson');
    expect(run).toMatchObject({ runId: '20261120T140211Z-interim-7f3a', status: 'failed', durationMs: 751300, failedStepId: 's14' });
    expect(run.vars['SLACK_TOKEN']).toBe('***');
    expect(run.steps.get('s8')).toEqual({
      id: 's8',
      status: 'passed',
      attempts: 2,
      durationMs: 61320,
      output: undefined,
      error: null,
      handle: undefined,
      isJob: false,
      builtinSuccess: false,
    });
    // A reply bound to the built-in Success is drawn without a time.
    expect(run.steps.get('s2')).toMatchObject({ status: 'passed', builtinSuccess: true });
    expect(run.steps.get('s4')).toMatchObject({
      status: 'passed',
      isJob: true,
      handle: { project: 'pay-connector-armv8' },
      output: { buildStatus: 'SUCCEEDED' },
    });
    expect(run.steps.get('s14')).toMatchObject({ status: 'failed', isJob: true, error: { name: 'JobFailed' } });
    expect(run.steps.get('s22')?.status).toBe('skipped');
  });

  it('shows steps without events as not run and unfinished steps as running', async () => {
    const run = await journalRun('final-interrupted.journal.ndjson');
    expect(run.status).toBe('running');
    expect(viewOf(run, 4)).toMatchObject({ status: 'running', isJob: true });
    expect(viewOf(run, 5)?.status).toBe('not-run');
    expect(viewOf(run, 99)).toMatchObject({ id: 's99', status: 'not-run', attempts: 0 });
    expect(viewOf(null, 0)).toBeNull();
  });

  it('counts a job re-attached by resume, and the resumed run, from their first start', () => {
    const at = (s: number): { at: string; runId: string } => ({ at: new Date(Date.UTC(2026, 10, 26, 10, 0, s)).toISOString(), runId: 'r' });
    const steps = [
      { id: 's0', kind: 'call', text: 'Trigger build arm', line: 1, column: 1 },
      { id: 's1', kind: 'call', text: 'Build x86', line: 2, column: 1 },
    ];
    const events = (left: boolean): RunEvent[] =>
      [
        { type: 'run-started', diagram: 'a.seq', diagramHash: 'h', title: null, vars: {}, trigger: 't', steps, ...at(0) },
        { type: 'step-started', stepId: 's0', attempt: 1, ...at(1) },
        { type: 'job-started', stepId: 's0', handle: { id: 'b' }, ...at(1) },
        { type: 'step-started', stepId: 's1', attempt: 1, ...at(2) },
        // Killed here; or stopped by Ctrl-C with --leave-jobs, then resumed.
        ...(left
          ? [
              {
                type: 'step-finished',
                stepId: 's1',
                status: 'cancelled',
                attempt: 1,
                durationMs: 1000,
                error: { message: 'interrupted', name: 'AbortError' },
                ...at(3),
              },
              {
                type: 'step-finished',
                stepId: 's0',
                status: 'cancelled',
                attempt: 1,
                durationMs: 2000,
                error: { message: 'left running', name: 'JobLeftRunning' },
                ...at(3),
              },
              { type: 'run-finished', status: 'interrupted', durationMs: 3000, ...at(3) },
            ]
          : []),
        { type: 'run-resumed', pid: 2, ...at(40) },
        { type: 'step-started', stepId: 's0', attempt: 1, ...at(40) },
        { type: 'step-started', stepId: 's1', attempt: 1, ...at(40) },
        { type: 'step-finished', stepId: 's1', status: 'passed', attempt: 1, durationMs: 5000, ...at(45) },
        { type: 'step-finished', stepId: 's0', status: 'passed', attempt: 1, durationMs: 10_000, ...at(50) },
        { type: 'run-finished', status: 'passed', durationMs: 10_000, ...at(50) },
      ] as unknown as RunEvent[];
    for (const left of [false, true]) {
      const run = foldRun(events(left));
      expect(run?.steps.get('s0')).toMatchObject({ status: 'passed', durationMs: 49_000, isJob: true });
      expect(run?.steps.get('s1')).toMatchObject({ status: 'passed', durationMs: 5000 }); // a sync step runs again
      expect(run?.durationMs).toBe(50_000);
    }
  });

  it('names the steps whose text changed after the run', async () => {
    const run = await journalRun('current-passed.journal.ndjson');
    const edited = buildDiagram([
      { kind: 'note', position: 'left', participants: ['Pay CI'], text: 'Candidate build tag created' },
      { kind: 'message', from: 'Pay CI', to: 'GitHub', text: 'Fetch the release' },
    ]);
    expect(changedSteps(edited, run)).toEqual(['s1', ...run.journaledSteps.slice(2).map((s) => s.id), '(18 steps run, 2 drawn)']);
  });
});
