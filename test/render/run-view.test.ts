// Folding journal events into what the renderers draw.
import { describe, expect, it } from 'vitest';
import { changedSteps, foldRun, viewOf } from '../../src/render/run-view.ts';
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
    expect(run.steps.get('s8')).toEqual({ id: 's8', status: 'passed', attempts: 2, durationMs: 61320, output: undefined, error: null, handle: undefined, isJob: false });
    expect(run.steps.get('s4')).toMatchObject({ status: 'passed', isJob: true, handle: { project: 'pay-connector-armv8' }, output: { buildStatus: 'SUCCEEDED' } });
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

  it('names the steps whose text changed after the run', async () => {
    const run = await journalRun('current-passed.journal.ndjson');
    const edited = buildDiagram([
      { kind: 'note', position: 'left', participants: ['Pay CI'], text: 'Candidate build tag created' },
      { kind: 'message', from: 'Pay CI', to: 'GitHub', text: 'Fetch the release' },
    ]);
    expect(changedSteps(edited, run)).toEqual(['s1', ...run.journaledSteps.slice(2).map((s) => s.id), '(18 steps run, 2 drawn)']);
  });
});
