import { describe, expect, it } from 'vitest';
import { planOf, type StepSpec } from '../../test/fixtures/run/plans.ts';
import type { HandlerContext, JobImplementation } from '../bind/types.ts';
import type { RunEvent, StepFinished } from './events.ts';
import { runPlan, type ResumePoint, type RunOptions } from './executor.ts';

async function run(specs: readonly StepSpec[], extra: Partial<RunOptions> = {}) {
  const events: RunEvent[] = [];
  const outcome = await runPlan(planOf(specs), {
    runId: 'r1',
    diagram: 'test.seq',
    diagramHash: 'h',
    vars: {},
    env: {},
    onEvent: (e) => events.push(e),
    stopGraceMs: 100, // handlers that ignore their signal are waited for this long at the end
    ...extra,
  });
  const finished = Object.fromEntries(events.filter((e): e is StepFinished => e.type === 'step-finished').map((e) => [e.stepId, e.status]));
  return { outcome, events, finished };
}

/** A job whose wait settles when the test says so; records every call. */
function controllableJob(name: string, calls: string[]) {
  let settle: { resolve: (v: unknown) => void; reject: (e: unknown) => void } | null = null;
  const job: JobImplementation = {
    start: async () => (calls.push(`${name}.start`), { id: name }),
    wait: (ctx) =>
      new Promise((resolve, reject) => {
        calls.push(`${name}.wait`);
        settle = { resolve, reject };
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
      }),
    cancel: async (_ctx, handle) => void calls.push(`${name}.cancel:${(handle as { id: string }).id}`),
    attach: async (_ctx, handle) => void calls.push(`${name}.attach:${(handle as { id: string }).id}`),
  };
  return { job, resolve: (v: unknown) => settle?.resolve(v), reject: (e: unknown) => settle?.reject(e) };
}

const untilAborted = (ctx: HandlerContext) =>
  new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));

describe('runPlan', () => {
  it('runs sync calls in order, gives expectations and replies the call result, passes outputs on', async () => {
    const seen: string[] = [];
    const { outcome, finished, events } = await run([
      { note: ['CI', 'tag created'], fn: () => void seen.push('note') },
      { call: ['CI', 'GitHub', 'fetch'], fn: () => (seen.push('fetch'), { sha: 'abc' }) },
      { expect: ['GitHub', 'has sha'], of: 1, fn: (ctx) => void seen.push(`expect:${(ctx.result as { sha: string }).sha}`) },
      { reply: ['GitHub', 'CI', 'Success'], answers: 1 },
      { call: ['CI', 'CI', 'build'], fn: (ctx) => void seen.push(`build:${(ctx.outputs.get('s1') as { sha: string }).sha}`) },
    ]);
    expect(outcome.status).toBe('passed');
    expect(seen).toEqual(['note', 'fetch', 'expect:abc', 'build:abc']);
    expect(finished).toEqual({ s0: 'passed', s1: 'passed', s2: 'passed', s3: 'passed', s4: 'passed' });
    expect(events.map((e) => e.type)[0]).toBe('run-started');
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
  });

  it('runs a job concurrently until its reply, journals the handle first and checks its expectations after it finishes', async () => {
    const calls: string[] = [];
    const build = controllableJob('arm', calls);
    const specs: StepSpec[] = [
      { call: ['CI', 'AWS', 'Trigger ARM'], job: build.job },
      { expect: ['AWS', 'pushed'], of: 0, fn: (ctx) => void calls.push(`expect:${String(ctx.result)}`) },
      { call: ['CI', 'CI', 'Build x86'], fn: () => void (calls.push('x86'), setTimeout(() => build.resolve('image-arm'), 5)) },
      { note: ['CI', 'Await'], fn: () => void calls.push('await') },
      { reply: ['AWS', 'CI', 'Success'], answers: 0, fn: (ctx) => void calls.push(`reply:${String(ctx.result)}`) },
    ];
    const { outcome, events } = await run(specs);
    expect(outcome.status).toBe('passed');
    expect(calls).toEqual(['arm.start', 'arm.wait', 'x86', 'await', 'expect:image-arm', 'reply:image-arm']);
    const s0 = events.filter((e) => 'stepId' in e && e.stepId === 's0').map((e) => e.type);
    expect(s0).toEqual(['step-started', 'job-started', 'step-finished']);
  });

  it('fails on a throwing handler: location-carrying step failed, later steps skipped, open jobs cancelled', async () => {
    const calls: string[] = [];
    const build = controllableJob('arm', calls);
    const { outcome, finished, events } = await run([
      { call: ['CI', 'AWS', 'Trigger ARM'], job: build.job },
      {
        call: ['CI', 'CI', 'Build x86'],
        fn: () => {
          throw new Error('compiler exploded');
        },
      },
      { reply: ['AWS', 'CI', 'Success'], answers: 0 },
      { note: ['CI', 'Slack'], fn: () => undefined },
    ]);
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's1' });
    expect(finished).toEqual({ s0: 'cancelled', s1: 'failed', s2: 'skipped', s3: 'skipped' });
    expect(calls).toContain('arm.cancel:arm');
    expect(events.find((e) => e.type === 'step-finished' && e.stepId === 's1')).toMatchObject({
      error: { message: 'compiler exploded', name: 'Error' },
    });
  });

  it('fails a handler that never returns when its timeout passes', async () => {
    const { outcome, events } = await run([
      { call: ['CI', 'CI', 'hang'], fn: () => new Promise(() => undefined), options: { timeoutMs: 20 } },
    ]);
    expect(outcome.status).toBe('failed');
    expect(events.find((e) => e.type === 'step-finished')).toMatchObject({ status: 'failed', error: { name: 'TimeoutError' } });
  });

  it('retries a handler that fails twice then succeeds, journaling each attempt', async () => {
    let n = 0;
    const flaky = () => {
      n += 1;
      if (n < 3) throw new Error(`flake ${n}`);
      return 'ok';
    };
    const { outcome, events } = await run([{ call: ['CI', 'CI', 'flaky'], fn: flaky, options: { retry: { attempts: 3, backoffMs: 1 } } }]);
    expect(outcome.status).toBe('passed');
    expect(events.filter((e) => e.type === 'step-started').map((e) => (e as { attempt: number }).attempt)).toEqual([1, 2, 3]);
    expect(events.filter((e) => e.type === 'log').map((e) => (e as { message: string }).message)).toEqual([
      expect.stringMatching(/^attempt 1 failed: flake 1; retrying in \d+ ms$/),
      expect.stringMatching(/^attempt 2 failed: flake 2; retrying in \d+ ms$/),
    ]);
    expect(events.find((e) => e.type === 'step-finished')).toMatchObject({ status: 'passed', attempt: 3, output: 'ok' });
  });

  it('does not retry errors its retryOn rejects', async () => {
    let n = 0;
    const { outcome } = await run([
      {
        call: ['CI', 'CI', 'x'],
        fn: () => {
          n += 1;
          throw new Error('fatal');
        },
        options: { retry: { attempts: 5, backoffMs: 1, retryOn: (e) => (e as Error).message !== 'fatal' } },
      },
    ]);
    expect(outcome.status).toBe('failed');
    expect(n).toBe(1);
  });

  it('fails fast: a job failing in the background aborts the running step and cancels the other open jobs', async () => {
    const calls: string[] = [];
    const arm = controllableJob('arm', calls);
    const e2e = controllableJob('e2e', calls);
    let aborted = false;
    const { outcome, finished } = await run([
      { call: ['CI', 'AWS', 'Trigger ARM'], job: arm.job },
      { call: ['CI', 'AWS', 'Trigger E2E'], job: e2e.job },
      {
        call: ['CI', 'CI', 'Build x86'],
        fn: (ctx) => {
          setTimeout(() => arm.reject(new Error('build FAILED')), 5);
          ctx.signal.addEventListener('abort', () => (aborted = true));
          return new Promise(() => undefined); // ignores its signal: must be abandoned, not awaited
        },
      },
      { reply: ['AWS', 'CI', 'Success'], answers: 0 },
      { reply: ['AWS', 'CI', 'Success'], answers: 1 },
    ]);
    // The ARM job is joined further down, so the run fails at its reply, the line that checks it.
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's3' });
    expect(aborted).toBe(true);
    expect(finished).toEqual({ s0: 'failed', s1: 'cancelled', s2: 'cancelled', s3: 'failed', s4: 'skipped' });
    expect(calls.filter((c) => c.includes('cancel'))).toEqual(['e2e.cancel:e2e']);
  });

  it('stops gracefully when interrupted, cancelling open jobs', async () => {
    const calls: string[] = [];
    const arm = controllableJob('arm', calls);
    const interrupt = new AbortController();
    const { outcome, finished } = await run(
      [
        { call: ['CI', 'AWS', 'Trigger ARM'], job: arm.job },
        { call: ['CI', 'CI', 'long'], fn: (ctx) => (setTimeout(() => interrupt.abort(), 5), untilAborted(ctx)) },
        { reply: ['AWS', 'CI', 'Success'], answers: 0 },
      ],
      { interrupt: interrupt.signal },
    );
    expect(outcome.status).toBe('interrupted');
    expect(finished).toEqual({ s0: 'cancelled', s1: 'cancelled', s2: 'skipped' });
    expect(calls).toContain('arm.cancel:arm');
  });

  it('leaves open jobs running with leaveJobs, marked for re-attachment', async () => {
    const calls: string[] = [];
    const arm = controllableJob('arm', calls);
    const { events } = await run(
      [
        { call: ['CI', 'AWS', 'Trigger ARM'], job: arm.job },
        {
          call: ['CI', 'CI', 'x'],
          fn: () => {
            throw new Error('no');
          },
        },
      ],
      { leaveJobs: true },
    );
    expect(calls.some((c) => c.includes('cancel'))).toBe(false);
    expect(events.find((e) => e.type === 'step-finished' && e.stepId === 's0')).toMatchObject({
      status: 'cancelled',
      error: { name: 'JobLeftRunning' },
    });
  });

  it("journals each step's kind, each call's mode and each job's join point in run-started", async () => {
    const arm = controllableJob('arm', []);
    const plan = planOf([
      { call: ['CI', 'AWS', 'Trigger ARM'], job: arm.job },
      { call: ['CI', 'CI', 'x'], fn: () => void setTimeout(() => arm.resolve('built'), 5) },
      { reply: ['AWS', 'CI', 'Success'], answers: 0 },
    ]);
    const joined = { ...plan, steps: plan.steps.map((p) => (p.index === 0 ? { ...p, joinedAt: 2 } : p)) };
    const events: RunEvent[] = [];
    await runPlan(joined, { runId: 'r1', diagram: 'test.seq', diagramHash: 'h', vars: {}, env: {}, onEvent: (e) => events.push(e) });
    const started = events[0]?.type === 'run-started' ? events[0] : null;
    expect(started?.steps.map(({ id, kind, mode, joinedAt }) => ({ id, kind, mode, joinedAt }))).toEqual([
      { id: 's0', kind: 'call', mode: 'job', joinedAt: 's2' },
      { id: 's1', kind: 'call', mode: 'sync', joinedAt: undefined },
      { id: 's2', kind: 'reply', mode: undefined, joinedAt: undefined },
    ]);
  });

  it('joins a job nobody waits for at the end of the diagram, and fails when one of its expectations fails', async () => {
    const calls: string[] = [];
    const arm = controllableJob('arm', calls);
    const { outcome, finished } = await run([
      { call: ['CI', 'AWS', 'Trigger ARM'], job: arm.job },
      {
        expect: ['AWS', 'tests passed'],
        of: 0,
        fn: (ctx) => {
          if (ctx.result !== 'green') throw new Error(`tests: ${String(ctx.result)}`);
        },
      },
      { call: ['CI', 'CI', 'x'], fn: () => void setTimeout(() => arm.resolve('red'), 5) },
    ]);
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's1' });
    expect(finished).toEqual({ s0: 'passed', s1: 'failed', s2: 'passed' });
  });

  it('resumes: passed steps are not re-run, open jobs are re-attached and never started again, state is restored', async () => {
    const calls: string[] = [];
    const arm = controllableJob('arm', calls);
    const resume: ResumePoint = {
      passed: new Map([['s0', 'fetched']]),
      openJobs: new Map([['s1', { id: 'build-7' }]]),
      state: { counter: 2 },
    };
    const { outcome, events } = await run(
      [
        { call: ['CI', 'GitHub', 'fetch'], fn: () => void calls.push('fetch') },
        { call: ['CI', 'AWS', 'Trigger'], job: arm.job },
        {
          call: ['CI', 'CI', 'x'],
          fn: (ctx) => {
            calls.push(`x:${String(ctx.outputs.get('s0'))}:${String(ctx.state['counter'])}`);
            ctx.state['counter'] = 3;
            arm.resolve('ok');
          },
        },
        { reply: ['AWS', 'CI', 'Success'], answers: 1 },
      ],
      { resume, pid: 42 },
    );
    expect(outcome.status).toBe('passed');
    expect(calls).toEqual(['arm.attach:build-7', 'arm.wait', 'x:fetched:2']);
    expect(events[0]).toMatchObject({ type: 'run-resumed', pid: 42 });
    expect(events.filter((e) => e.type === 'step-started').map((e) => (e as { stepId: string }).stepId)).toEqual(['s1', 's2', 's3']);
    expect(events.find((e) => e.type === 'state')).toMatchObject({ state: { counter: 3 } });
  });

  it('keeps secrets out of every event: ctx.secret values and secret-looking vars and env', async () => {
    const { events } = await run(
      [
        {
          call: ['CI', 'CI', 'login'],
          fn: (ctx) => {
            const token = ctx.secret('s3cr3t-value');
            ctx.log.info(`using ${token} and ${String(ctx.env['NPM_TOKEN'])}`, { auth: token });
            return { header: `Bearer ${token}`, pass: ctx.vars['DB_PASSWORD'] };
          },
        },
        {
          call: ['CI', 'CI', 'fail'],
          fn: () => {
            throw new Error('rejected s3cr3t-value');
          },
        },
      ],
      { vars: { DB_PASSWORD: 'hunter22', region: 'eu' }, env: { NPM_TOKEN: 'npm_abcdef' } },
    );
    const text = JSON.stringify(events);
    for (const secret of ['s3cr3t-value', 'hunter22', 'npm_abcdef']) expect(text).not.toContain(secret);
    expect(events[0]).toMatchObject({ vars: { DB_PASSWORD: '***', region: 'eu' } });
    expect(events.find((e) => e.type === 'log')).toMatchObject({ message: 'using *** and ***', fields: { auth: '***' } });
  });

  it('fails a job whose wait outlives its timeout and cancels it', async () => {
    const calls: string[] = [];
    const build = controllableJob('arm', calls);
    const { outcome, events } = await run([
      { call: ['CI', 'AWS', 'Trigger'], job: build.job, options: { timeoutMs: 20 } },
      { reply: ['AWS', 'CI', 'Success'], answers: 0 },
    ]);
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's0' });
    expect(events.find((e) => e.type === 'step-finished' && e.stepId === 's0')).toMatchObject({
      status: 'failed',
      error: { name: 'TimeoutError' },
    });
    expect(calls).toContain('arm.cancel:arm');
  });

  it('journals and cancels a job whose start returns after its attempt timed out, before the run finishes', async () => {
    const calls: string[] = [];
    const job: JobImplementation = {
      start: () => new Promise((resolve) => setTimeout(() => resolve({ id: 'late' }), 30)),
      wait: async () => 'never',
      cancel: async (_ctx, handle) => void calls.push(`cancel:${(handle as { id: string }).id}`),
    };
    const { outcome, events, finished } = await run([
      { call: ['CI', 'AWS', 'Trigger'], job, options: { timeoutMs: 10 } },
      { note: ['CI', 'after'], fn: () => undefined },
    ]);
    expect(outcome.status).toBe('failed');
    expect(finished).toEqual({ s0: 'failed', s1: 'skipped' });
    expect(calls).toEqual(['cancel:late']);
    const types = events.map((e) => e.type);
    expect(types.indexOf('job-started')).toBeGreaterThan(-1);
    expect(types.indexOf('job-started')).toBeLessThan(types.indexOf('run-finished'));
  });

  it('on resume, checks the expectations of a job that finished before the crash at their own place', async () => {
    const calls: string[] = [];
    const build = controllableJob('arm', calls);
    const resume: ResumePoint = { passed: new Map([['s0', 'image-1']]), openJobs: new Map(), state: {} };
    const { outcome } = await run(
      [
        { call: ['CI', 'AWS', 'Trigger'], job: build.job },
        { expect: ['AWS', 'pushed'], of: 0, fn: (ctx) => void calls.push(`expect:${String(ctx.result)}`) },
        { reply: ['AWS', 'CI', 'Success'], answers: 0, fn: (ctx) => void calls.push(`reply:${String(ctx.result)}`) },
      ],
      { resume },
    );
    expect(outcome.status).toBe('passed');
    expect(calls).toEqual(['expect:image-1', 'reply:image-1']);
  });

  it('stops before the first step when already interrupted', async () => {
    const interrupt = new AbortController();
    interrupt.abort();
    const { outcome, finished } = await run([{ note: ['CI', 'x'], fn: () => undefined }], { interrupt: interrupt.signal });
    expect(outcome.status).toBe('interrupted');
    expect(finished).toEqual({ s0: 'skipped' });
  });
});
