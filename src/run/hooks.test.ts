// Hooks around a run, through the executor: before-run, on-failure (once per failed step), after-run;
// journaled as hook events, never as steps; a resume does not run a before-run hook that passed.
import { describe, expect, it } from 'vitest';
import { planOf, type StepSpec } from '../../test/fixtures/run/plans.ts';
import { defineSteps, type StepRegistrar } from '../bind/define.ts';
import { createRegistry } from '../bind/registry.ts';
import type { HookContext } from '../bind/hooks.ts';
import type { RunEvent, StepFinished } from './events.ts';
import { runPlan, type RunOptions } from './executor.ts';
import { summarizeJournal } from './resume.ts';

type Register = (s: StepRegistrar) => void;

function hooksOf(register: Register) {
  const { registry, diagnostics } = createRegistry({ modules: [defineSteps(register)] });
  expect(diagnostics).toEqual([]);
  return registry.hooks;
}

async function run(specs: readonly StepSpec[], register: Register, extra: Partial<RunOptions> = {}) {
  const events: RunEvent[] = [];
  const outcome = await runPlan(planOf(specs), {
    runId: 'r1',
    diagram: 'test.seq',
    diagramHash: 'h',
    vars: { who: 'ci', API_TOKEN: 'sekrit-value' },
    env: {},
    onEvent: (e) => events.push(e),
    stopGraceMs: 100,
    hooks: hooksOf(register),
    ...extra,
  });
  const finished = Object.fromEntries(events.filter((e): e is StepFinished => e.type === 'step-finished').map((e) => [e.stepId, e.status]));
  const types = events.map((e) => (e.type.startsWith('hook-') && 'hookRun' in e ? `${e.type}:${e.hookRun}` : e.type));
  return { outcome, events, finished, types };
}

const steps = (seen: string[], failAt = -1): StepSpec[] =>
  [0, 1, 2].map((i) => ({
    note: ['CI', `step ${i}`] as const,
    fn: () => {
      seen.push(`s${i}`);
      if (i === failAt) throw new Error(`step ${i} broke`);
    },
  }));

describe('hooks', () => {
  it('run before the first step and after the last, with the run context, journaled as hooks with their logs', async () => {
    const seen: string[] = [];
    const { outcome, types, events } = await run(steps(seen), (s) => {
      s.beforeRun({ name: 'Announce' }, (ctx) => {
        seen.push(`before ${ctx.run.id} ${ctx.vars['who']} ${ctx.hook.id}`);
        ctx.state['announced'] = true;
        ctx.log.info(`token ${ctx.vars['API_TOKEN']}`);
      });
      s.afterRun((ctx) => void seen.push(`after ${ctx.outcome} ${String(ctx.state['announced'])}`));
      s.onFailure(() => void seen.push('never'));
    });
    expect(outcome.status).toBe('passed');
    expect(seen).toEqual(['before r1 ci h0', 's0', 's1', 's2', 'after passed true']);
    expect(types).toEqual([
      'run-started',
      'hook-started:h0',
      'log',
      'hook-finished:h0',
      'state',
      ...['s0', 's1', 's2'].flatMap(() => ['step-started', 'step-finished']),
      'hook-started:h1',
      'hook-finished:h1',
      'run-finished',
    ]);
    expect(events[1]).toMatchObject({ type: 'hook-started', hookId: 'h0', hook: 'before-run', name: 'Announce' });
    // Hook logs go under the hook's id, redacted like every event.
    expect(events[2]).toMatchObject({ type: 'log', stepId: 'h0', message: 'token ***' });
    expect(events.find((e) => e.type === 'hook-started' && e.hookId === 'h1')).toMatchObject({
      name: expect.stringMatching(/^after-run hook \(hooks\.test\.ts:\d+\)$/),
    });
  });

  it('a failing before-run hook fails the run before any step; after-run hooks still run', async () => {
    const seen: string[] = [];
    const { outcome, finished, events } = await run(steps(seen), (s) => {
      s.beforeRun(() => {
        throw new Error('no credentials');
      });
      s.beforeRun(() => void seen.push('second before'));
      s.afterRun((ctx) => void seen.push(`after ${ctx.outcome}`));
    });
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 'h0' });
    expect(seen).toEqual(['after failed']);
    expect(finished).toEqual({ s0: 'skipped', s1: 'skipped', s2: 'skipped' });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'hook-finished',
        hookId: 'h0',
        status: 'failed',
        error: { message: 'no credentials', name: 'Error' },
      }),
    );
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed', failedStepId: 'h0' });
  });

  it('on-failure hooks run once per failed step with the step and its error, not around every handler', async () => {
    const seen: string[] = [];
    const failures: HookContext['failure'][] = [];
    const { outcome, events } = await run(steps(seen, 1), (s) => {
      s.onFailure({ name: 'Page on-call' }, (ctx) => void failures.push(ctx.failure));
      s.afterRun((ctx) => void seen.push(`after ${ctx.outcome} ${failures.length}`));
    });
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's1' });
    expect(seen).toEqual(['s0', 's1', 'after failed 1']);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.step).toMatchObject({ id: 's1', text: 'step 1' });
    expect((failures[0]?.error as Error).message).toBe('step 1 broke');
    expect(events).toContainEqual(expect.objectContaining({ type: 'hook-finished', hookRun: 'h0:s1', failedStep: 's1', status: 'passed' }));
  });

  it('every after-run hook runs when one fails, and the failure fails a run whose steps passed', async () => {
    const seen: string[] = [];
    const { outcome, events } = await run(steps(seen), (s) => {
      s.afterRun(() => {
        throw new Error('cleanup failed');
      });
      s.afterRun(() => void seen.push('second after'));
    });
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 'h0' });
    expect(seen).toEqual(['s0', 's1', 's2', 'second after']);
    expect(events.filter((e) => e.type === 'hook-finished').map((e) => e.type === 'hook-finished' && e.status)).toEqual([
      'failed',
      'passed',
    ]);
  });

  it('a hook past its timeoutMs fails; a resume does not run a before-run hook that passed, but runs one that did not', async () => {
    const seen: string[] = [];
    let slowRuns = 0;
    const register: Register = (s) => {
      s.beforeRun(() => void seen.push('once'));
      s.beforeRun({ timeoutMs: 20 }, (ctx) => {
        seen.push('slow');
        slowRuns += 1;
        // The first run never returns (until its time limit aborts it); the resumed one returns at once.
        if (slowRuns > 1) return undefined;
        return new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
      });
    };
    const first = await run(steps(seen), register);
    expect(first.outcome).toMatchObject({ status: 'failed', failedStepId: 'h1' });
    expect(first.events).toContainEqual(
      expect.objectContaining({ type: 'hook-finished', hookId: 'h1', error: { message: 'timed out after 20 ms', name: 'TimeoutError' } }),
    );
    const resume = summarizeJournal(first.events);
    expect([...(resume.hooksPassed ?? [])]).toEqual(['h0']);
    seen.length = 0;
    const second = await run(steps(seen), register, { resume });
    expect(second.outcome.status).toBe('passed');
    expect(seen).toEqual(['slow', 's0', 's1', 's2']);
  });

  it('a bad hook registration is a registration problem with its file and line', () => {
    const module = defineSteps((s) => {
      s.afterRun({ when: 'always' } as never, () => undefined);
      s.onFailure('not a function' as never);
    });
    expect(module.hooks).toEqual([]);
    expect(module.problems.map((p) => p.message)).toEqual([
      "Unknown option 'when' for s.afterRun(); it takes name, timeoutMs.",
      's.onFailure() needs a hook function last.',
    ]);
    expect(module.problems[0]?.source.file).toMatch(/hooks\.test\.ts$/);
  });
});
