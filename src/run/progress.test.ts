// ctx.progress and ctx.recorded: a handler records part of its work the moment it exists; a later
// attempt, or a resumed run, gets the parts back and does only the rest.
import { describe, expect, it } from 'vitest';
import { planOf, type StepSpec } from '../../test/fixtures/run/plans.ts';
import type { HandlerContext, JobImplementation } from '../bind/types.ts';
import type { RunEvent } from './events.ts';
import { runPlan, type ResumePoint } from './executor.ts';
import { summarizeJournal } from './resume.ts';

async function run(specs: readonly StepSpec[], resume?: ResumePoint) {
  const events: RunEvent[] = [];
  const outcome = await runPlan(planOf(specs), {
    runId: 'r1',
    diagram: 'test.seq',
    diagramHash: 'h',
    vars: {},
    env: {},
    onEvent: (e) => events.push(e),
    ...(resume ? { resume } : {}),
  });
  return { outcome, events };
}

/** Starts `names` in order, each recorded as it starts; skips those recorded before; fails once after `failAfter`. */
function severalThings(names: readonly string[], started: string[], failAfter?: string): JobImplementation {
  let failed = false;
  return {
    start: async (ctx: HandlerContext) => {
      const done = new Set(ctx.recorded as string[]);
      for (const name of names) {
        if (done.has(name)) continue;
        started.push(name);
        ctx.progress(name);
        if (name === failAfter && !failed) {
          failed = true;
          throw new Error(`StartBuild throttled after ${name}`);
        }
      }
      return names;
    },
    wait: async () => 'built',
  };
}

const at = '2026-11-26T00:00:00Z';

describe('ctx.progress', () => {
  it('journals each part at once, and a retried start gets the parts of the attempt before and starts only the rest', async () => {
    const started: string[] = [];
    const job = severalThings(['arm', 'x86'], started, 'arm');
    const { outcome, events } = await run([
      { call: ['CI', 'AWS', 'Trigger builds'], job, options: { retry: { attempts: 2, backoffMs: 1, jitter: false } } },
    ]);
    expect(outcome.status).toBe('passed');
    expect(started).toEqual(['arm', 'x86']);
    const s0 = events
      .filter((e) => 'stepId' in e && e.type !== 'log')
      .map((e) => (e.type === 'step-progress' ? `${e.type}:${String(e.part)}@${e.attempt}` : e.type));
    expect(s0).toEqual(['step-started', 'step-progress:arm@1', 'step-started', 'step-progress:x86@2', 'job-started', 'step-finished']);
  });

  it('a resume hands the parts a killed runner recorded back to start, which starts only the rest', async () => {
    const journal: RunEvent[] = [
      { at, runId: 'r1', type: 'run-started', diagram: 'test.seq', diagramHash: 'h', title: null, vars: {}, trigger: 't', steps: [] },
      { at, runId: 'r1', type: 'step-started', stepId: 's0', attempt: 1 },
      { at, runId: 'r1', type: 'step-progress', stepId: 's0', attempt: 1, part: 'arm' },
    ];
    const summary = summarizeJournal(journal);
    expect([...(summary.progress ?? [])]).toEqual([['s0', ['arm']]]);
    expect(summary.openJobs.size).toBe(0);
    const started: string[] = [];
    const { outcome } = await run([{ call: ['CI', 'AWS', 'Trigger builds'], job: severalThings(['arm', 'x86', 'e2e'], started) }], summary);
    expect(outcome.status).toBe('passed');
    expect(started).toEqual(['x86', 'e2e']);
  });

  it("parts recorded after a job's handle go to attach on resume; a handle or a pass covers the parts before it", () => {
    const summary = summarizeJournal([
      { at, runId: 'r1', type: 'step-progress', stepId: 's0', attempt: 1, part: 'arm' },
      { at, runId: 'r1', type: 'job-started', stepId: 's0', handle: ['arm'] },
      { at, runId: 'r1', type: 'step-progress', stepId: 's0', attempt: 1, part: { polled: 3 } },
      { at, runId: 'r1', type: 'step-progress', stepId: 's1', attempt: 1, part: 'half' },
      { at, runId: 'r1', type: 'step-finished', stepId: 's1', status: 'passed', attempt: 1, durationMs: 1 },
    ]);
    expect([...(summary.progress ?? [])]).toEqual([['s0', [{ polled: 3 }]]]);
  });

  it('an attach sees what the job recorded since its handle', async () => {
    const seen: unknown[] = [];
    const job: JobImplementation = {
      start: async () => {
        throw new Error('never started again');
      },
      attach: async (ctx) => void seen.push(...ctx.recorded),
      wait: async () => 'built',
    };
    const resume: ResumePoint = {
      passed: new Map(),
      openJobs: new Map([['s0', ['arm']]]),
      state: {},
      progress: new Map([['s0', [{ polled: 3 }]]]),
    };
    const { outcome } = await run([{ call: ['CI', 'AWS', 'Trigger builds'], job }], resume);
    expect(outcome.status).toBe('passed');
    expect(seen).toEqual([{ polled: 3 }]);
  });

  it('a secret in a part is masked in the journal', async () => {
    const events: RunEvent[] = [];
    const fn = (ctx: HandlerContext) => ctx.progress({ token: ctx.secret('s3cr3t-value'), id: 1 });
    await runPlan(planOf([{ call: ['CI', 'CI', 'Log in'], fn }]), {
      runId: 'r1',
      diagram: 't.seq',
      diagramHash: 'h',
      vars: {},
      env: {},
      onEvent: (e) => events.push(e),
    });
    expect(events.find((e) => e.type === 'step-progress')).toMatchObject({ part: { token: '***', id: 1 } });
  });
});
