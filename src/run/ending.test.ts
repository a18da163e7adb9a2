// How a run ends and says why: non-Error throws, handlers that can never settle, the grace period of
// a stop, a forced end, and jobs journaled as cancelled before their cancel is requested.
import { describe, expect, it } from 'vitest';
import { planOf, type StepSpec } from '../../test/fixtures/run/plans.ts';
import type { JobImplementation } from '../bind/types.ts';
import type { RunEvent, RunFinished, StepFinished } from './events.ts';
import { runPlan, type RunOptions } from './executor.ts';

async function run(specs: readonly StepSpec[], extra: Partial<RunOptions> = {}) {
  const events: RunEvent[] = [];
  const options = {
    runId: 'r1',
    diagram: 'test.seq',
    diagramHash: 'h',
    vars: {},
    env: {},
    onEvent: (e: RunEvent) => events.push(e),
    stopGraceMs: 100,
    ...extra,
  };
  const outcome = await runPlan(planOf(specs), options);
  const finished = (id: string) => events.find((e): e is StepFinished => e.type === 'step-finished' && e.stepId === id);
  return { outcome, events, finished };
}

const never = (): Promise<never> => new Promise(() => undefined);
/** Ignores its signal; settles (much) later. */
const ignoring = (ms: number) => () => new Promise((resolve) => setTimeout(resolve, ms));

describe('what a thrown value says', () => {
  it.each([
    [{ message: 'x' }, 'x'],
    [undefined, 'threw undefined, not an Error'],
    [null, 'threw null, not an Error'],
    [{ code: 42 }, 'threw { code: 42 }, not an Error'],
    ['plain text', 'plain text'],
  ])('throw %o shows %s', async (thrown, message) => {
    const { outcome, finished } = await run([
      {
        call: ['CI', 'CI', 'x'],
        fn: () => {
          throw thrown;
        },
      },
    ]);
    expect(outcome.status).toBe('failed');
    expect(finished('s0')?.error?.message).toBe(message);
  });
});

describe('a handler that can never settle', () => {
  it('fails with "handler never settled" and where the handler was registered when the event loop drains', async () => {
    let drained = (): void => undefined;
    const onLoopDrained = (listener: () => void) => ((drained = listener), () => (drained = () => undefined));
    const started = new Promise<void>((resolve) => {
      const specs: StepSpec[] = [
        { call: ['CI', 'CI', 'stuck'], fn: () => (resolve(), never()) },
        { note: ['CI', 'after'], fn: () => undefined },
      ];
      void run(specs, { onLoopDrained }).then((r) => result.push(r));
    });
    const result: Awaited<ReturnType<typeof run>>[] = [];
    await started;
    drained();
    await expect.poll(() => result.length).toBe(1);
    const [{ outcome, finished }] = result as [Awaited<ReturnType<typeof run>>];
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's0' });
    expect(finished('s0')?.error).toMatchObject({
      name: 'HandlerNeverSettled',
      message: expect.stringMatching(/^handler never settled \(test\/fixtures\/run\/plans\.ts:1:1\): /),
    });
    expect(finished('s1')?.status).toBe('skipped');
  });
});

describe('a stop request', () => {
  it('gives a handler that ignores its signal the grace period, then ends interrupted, saying so', async () => {
    const interrupt = new AbortController();
    const { outcome, events } = await run(
      [{ call: ['CI', 'CI', 'slow'], fn: () => (setTimeout(() => interrupt.abort('SIGTERM'), 5), ignoring(10_000)()) }],
      { interrupt: interrupt.signal, stopGraceMs: 50 },
    );
    expect(outcome).toMatchObject({ status: 'interrupted', reason: expect.stringContaining('SIGTERM') });
    expect(outcome.reason).toContain('abandoned the handlers of s0');
    expect(events.at(-1)).toMatchObject({
      type: 'run-finished',
      status: 'interrupted',
      reason: outcome.reason,
    } satisfies Partial<RunFinished>);
  });

  it('journals a job as cancelled before its cancel is requested, and ends when the grace period runs out even if the cancel never returns', async () => {
    const interrupt = new AbortController();
    const events: RunEvent[] = [];
    let journaledBeforeCancel = false;
    const job: JobImplementation = {
      start: async () => ({ id: 'b1' }),
      wait: (ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))),
      cancel: () => {
        journaledBeforeCancel = events.some((e) => e.type === 'step-finished' && e.stepId === 's0' && e.status === 'cancelled');
        return new Promise((resolve) => setTimeout(resolve, 10_000)); // holds the loop, never in time
      },
    };
    const outcome = await runPlan(
      planOf([
        { call: ['CI', 'AWS', 'Build'], job },
        { call: ['CI', 'CI', 'wait'], fn: () => (interrupt.abort('SIGINT'), never()) },
      ]),
      {
        runId: 'r1',
        diagram: 'test.seq',
        diagramHash: 'h',
        vars: {},
        env: {},
        onEvent: (e) => events.push(e),
        interrupt: interrupt.signal,
        stopGraceMs: 20,
        cancelTimeoutMs: 100,
      },
    );
    expect(journaledBeforeCancel).toBe(true);
    expect(outcome).toMatchObject({ status: 'interrupted', reason: expect.stringContaining('the 100 ms grace period ran out') });
    expect(events.filter((e) => e.type === 'run-finished')).toHaveLength(1);
    expect(events.find((e) => e.type === 'step-finished' && e.stepId === 's0')).toMatchObject({
      status: 'cancelled',
      error: { name: 'JobCancelled' },
    });
  });

  it('ends at once on a forced stop, journaling what is open: a job not yet cancelled is left for resume to re-attach', async () => {
    const force = new AbortController();
    const job: JobImplementation = { start: async () => ({ id: 'b1' }), wait: () => never() };
    const { outcome, events } = await run(
      [
        { call: ['CI', 'AWS', 'Build'], job },
        { call: ['CI', 'CI', 'wait'], fn: () => (force.abort('SIGTERM'), never()) },
        { note: ['CI', 'later'], fn: () => undefined },
      ],
      { force: force.signal },
    );
    expect(outcome).toMatchObject({
      status: 'interrupted',
      reason: expect.stringMatching(/^SIGTERM again: forced to stop at once; abandoned the handlers of s1/),
    });
    const statuses = Object.fromEntries(events.flatMap((e) => (e.type === 'step-finished' ? [[e.stepId, [e.status, e.error?.name]]] : [])));
    expect(statuses).toEqual({ s0: ['cancelled', 'JobLeftRunning'], s1: ['cancelled', 'AbortError'], s2: ['skipped', undefined] });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'interrupted' });
  });
});
