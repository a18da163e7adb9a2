// Running mermaid's blocks (hand-built diagrams, the real bind): par, loop, alt/opt, critical, break,
// refused calls, and resuming inside them from the journal's decisions.
import { describe, expect, it } from 'vitest';
import { block, mermaidDiagram, msg, note, reply } from '../../test/fixtures/run/blocks.ts';
import type { Statement } from '../ast/types.ts';
import { defineSteps, type StepRegistrar } from '../bind/define.ts';
import { bind } from '../bind/plan.ts';
import { createRegistry } from '../bind/registry.ts';
import type { HandlerContext } from '../bind/types.ts';
import type { BlockEvent, RunEvent, StepFinished } from './events.ts';
import { runPlan, type ResumePoint } from './executor.ts';
import { summarizeJournal } from './resume.ts';

async function run(statements: readonly Statement[], register: (s: StepRegistrar) => void, resume?: ResumePoint) {
  const { registry, diagnostics } = createRegistry({ modules: [defineSteps(register)] });
  expect(diagnostics).toEqual([]);
  const plan = bind(mermaidDiagram(statements), registry);
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const events: RunEvent[] = [];
  const outcome = await runPlan(plan, {
    runId: 'r1',
    diagram: 'test.mmd',
    diagramHash: 'h',
    vars: {},
    env: {},
    onEvent: (e) => events.push(e),
    stopGraceMs: 100,
    hooks: registry.hooks,
    ...(resume ? { resume } : {}),
  });
  const finished = Object.fromEntries(events.filter((e): e is StepFinished => e.type === 'step-finished').map((e) => [e.stepId, e.status]));
  const blocks = events.filter((e): e is BlockEvent => e.type === 'block').map(({ at: _at, runId: _r, type: _t, ...rest }) => rest);
  return { outcome, events, finished, blocks };
}

const untilAborted = (ctx: HandlerContext) =>
  new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));

describe('par', () => {
  it('runs the branches side by side and journals each branch time', async () => {
    const order: string[] = [];
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { outcome, finished, blocks } = await run(
      [
        block('par', [
          ['par', 'ARM', [msg('CI', 'AWS', 'Build ARM')]],
          ['and', 'x86', [msg('CI', 'AWS', 'Build x86')]],
        ]),
      ],
      (s) => {
        // ARM waits for x86 to start: it would never finish if the branches ran one after the other.
        s.call('Build ARM', async () => (order.push('arm start'), await gate, order.push('arm end')));
        s.call('Build x86', () => (order.push('x86'), open()));
      },
    );
    expect(outcome.status).toBe('passed');
    expect(order).toEqual(['arm start', 'x86', 'arm end']);
    expect(finished).toEqual({ s0: 'passed', s1: 'passed' });
    expect(blocks).toEqual([
      {
        blockId: 'b0',
        what: 'ended',
        status: 'passed',
        branchMs: [expect.any(Number), expect.any(Number)],
        durationMs: expect.any(Number),
      },
    ]);
  });

  it('a failing branch cancels its sibling at once, its open job included (cancel called), and fails the run', async () => {
    const calls: string[] = [];
    const { outcome, finished } = await run(
      [
        block('par', [
          ['par', 'ARM', [msg('CI', 'AWS', 'Build ARM'), note('CI', 'Wait a while'), reply('AWS', 'CI', 'Success')]],
          ['and', 'x86', [msg('CI', 'Docker', 'Build x86')]],
        ]),
        msg('CI', 'Slack', 'Notify'),
      ],
      (s) => {
        s.job('Build ARM', {
          start: async () => (calls.push('arm.start'), 'arm-1'),
          wait: (ctx) => untilAborted(ctx),
          cancel: async (_ctx, handle) => void calls.push(`arm.cancel:${String(handle)}`),
        });
        s.note('Wait a while', (ctx) => untilAborted(ctx));
        s.call('Build x86', async () => {
          await new Promise((r) => setTimeout(r, 20));
          throw new Error('x86 compiler crashed');
        });
        s.call('Notify', () => calls.push('notify'));
      },
    );
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's3' });
    expect(calls).toEqual(['arm.start', 'arm.cancel:arm-1']);
    expect(finished).toEqual({ s0: 'cancelled', s1: 'cancelled', s2: 'skipped', s3: 'failed', s4: 'skipped' });
  });
});

describe('loop', () => {
  it('runs the body once per item with ctx.item, journals per-iteration step ids and the items', async () => {
    const seen: string[] = [];
    const { outcome, finished, blocks } = await run(
      [
        block('loop', [['loop', 'for each app in apps', [msg('CI', 'AWS', 'Build app'), reply('AWS', 'CI', 'Success')]]]),
        msg('CI', 'Slack', 'Done'),
      ],
      (s) => {
        s.loop('for each app in {word}', (_ctx, _apps) => ['demo', 'tiny', 'api']);
        s.call('Build app', (ctx) => (seen.push(`${ctx.step.id}:${String(ctx.item)}:${ctx.iteration}`), ctx.item));
        s.call('Done', () => undefined);
      },
    );
    expect(outcome.status).toBe('passed');
    expect(seen).toEqual(['s0#1:demo:1', 's0#2:tiny:2', 's0#3:api:3']);
    expect(finished).toEqual({
      's0#1': 'passed',
      's1#1': 'passed',
      's0#2': 'passed',
      's1#2': 'passed',
      's0#3': 'passed',
      's1#3': 'passed',
      s2: 'passed',
    });
    expect(blocks).toEqual([
      { blockId: 'b0', what: 'items', items: ['demo', 'tiny', 'api'] },
      { blockId: 'b0', what: 'ended', status: 'passed', iterations: 3 },
    ]);
  });

  it('a guard runs the body while it holds; one that always holds stops at maxIterations with an error naming the loop', async () => {
    let n = 0;
    const { outcome, finished, events } = await run([block('loop', [['loop', 'until healthy', [msg('CI', 'App', 'Probe')]]])], (s) => {
      s.loop('until healthy', { maxIterations: 3 }, () => () => true);
      s.call('Probe', () => void n++);
    });
    expect(n).toBe(3);
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 'b0' });
    expect(outcome.reason).toBe(
      'The loop "until healthy" (test.mmd:2:1) still held after 3 iterations, its maxIterations: raise it with s.loop(expression, { maxIterations }, ...) or end the guard',
    );
    expect(finished).toEqual({ 's0#1': 'passed', 's0#2': 'passed', 's0#3': 'passed' });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed' });
  });

  it('a loop handler returning neither an iterable nor a guard is a clear error at the loop', async () => {
    const { outcome } = await run([block('loop', [['loop', 'for each app', [msg('CI', 'App', 'Probe')]]])], (s) => {
      s.loop('for each app', () => 42);
      s.call('Probe', () => undefined);
    });
    expect(outcome.reason).toBe(
      'The loop "for each app" (test.mmd:2:1) returned number 42: a loop handler returns an iterable of items (an array) or a guard function () => boolean',
    );
  });

  it('break leaves the loop when its condition holds, after its body', async () => {
    const seen: unknown[] = [];
    const { outcome, finished } = await run(
      [
        block('loop', [
          ['loop', 'for each app', [msg('CI', 'App', 'Probe'), block('break', [['break', 'the app is broken', [note('CI', 'Log it')]]])]],
        ]),
        msg('CI', 'Slack', 'Done'),
      ],
      (s) => {
        s.loop('for each app', () => ['a', 'b', 'c']);
        s.call('Probe', (ctx) => void seen.push(ctx.item));
        s.condition('the app is broken', (ctx) => ctx.item === 'b');
        s.note('Log it', (ctx) => void seen.push(`log ${String(ctx.item)}`));
        s.call('Done', () => void seen.push('done'));
      },
    );
    expect(outcome.status).toBe('passed');
    expect(seen).toEqual(['a', 'b', 'log b', 'done']);
    expect(finished['s1#3']).toBeUndefined();
  });
});

describe('alt, opt, break at the top level', () => {
  it('takes the first branch whose condition holds, a bare else by default; conditions asked once and journaled', async () => {
    const asked: string[] = [];
    const { outcome, finished, blocks } = await run(
      [
        block('alt', [
          ['alt', 'deploy to prod', [msg('CI', 'Prod', 'Deploy')]],
          ['else', 'deploy to staging', [msg('CI', 'Staging', 'Deploy')]],
          ['else', '', [note('CI', 'Nothing to do')]],
        ]),
        block('opt', [['opt', 'notify', [msg('CI', 'Slack', 'Notify')]]]),
      ],
      (s) => {
        s.condition('deploy to {word}', (_ctx, env) => (asked.push(String(env)), env === 'staging'));
        s.condition('notify', () => false);
        s.call('Deploy', { to: 'Staging' }, () => 'staging');
        s.call('Deploy', { to: 'Prod' }, () => 'prod');
        s.note('Nothing to do', () => undefined);
        s.call('Notify', () => undefined);
      },
    );
    expect(outcome.status).toBe('passed');
    expect(asked).toEqual(['prod', 'staging']);
    expect(finished).toEqual({ s1: 'passed', s0: 'skipped', s2: 'skipped', s3: 'skipped' });
    expect(blocks).toEqual([
      { blockId: 'b0', what: 'branch', branch: 1 },
      { blockId: 'b1', what: 'branch', branch: -1 },
    ]);
  });

  it('a condition that throws fails its block with the condition’s location', async () => {
    const { outcome, blocks } = await run([block('opt', [['opt', 'notify', [msg('CI', 'Slack', 'Notify')]]])], (s) => {
      s.condition('notify', () => {
        throw new Error('no Slack token');
      });
      s.call('Notify', () => undefined);
    });
    expect(outcome).toMatchObject({
      status: 'failed',
      failedStepId: 'b0',
      reason: 'The condition "notify" (test.mmd:2:1) threw: no Slack token',
    });
    expect(blocks).toEqual([
      {
        blockId: 'b0',
        what: 'ended',
        status: 'failed',
        error: { name: 'BlockLabelError', message: 'The condition "notify" (test.mmd:2:1) threw: no Slack token' },
      },
    ]);
  });

  it('on-failure hooks hear of a block its own label failed (a condition that threw, a loop past its bound), by block id and label', async () => {
    const heard: string[] = [];
    const { outcome } = await run([block('opt', [['opt', 'notify', [msg('CI', 'Slack', 'Notify')]]])], (s) => {
      s.condition('notify', () => {
        throw new Error('no Slack token');
      });
      s.call('Notify', () => undefined);
      s.onFailure(
        (ctx) => void heard.push(`${ctx.failure?.step.id} ${ctx.failure?.step.kind} ${ctx.failure?.step.text} ${ctx.failure?.step.line}`),
      );
    });
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 'b0' });
    expect(heard).toEqual(['b0 condition notify 2']);
    const looped: string[] = [];
    const bound = await run([block('loop', [['loop', 'for ever', [note('CI', 'Poll')]]])], (s) => {
      s.loop('for ever', { maxIterations: 2 }, () => () => true);
      s.note('Poll', () => undefined);
      s.onFailure((ctx) => void looped.push(`${ctx.failure?.step.id} ${ctx.failure?.step.kind} ${(ctx.failure?.error as Error).name}`));
    });
    expect(bound.outcome).toMatchObject({ status: 'failed', failedStepId: 'b0' });
    expect(looped).toEqual(['b0 loop LoopBoundReached']);
  });

  it('a break at the top level ends the run failed with its condition as the reason', async () => {
    const { outcome, finished } = await run(
      [block('break', [['break', 'the release is frozen', [note('CI', 'Log it')]]]), msg('CI', 'Slack', 'Notify')],
      (s) => {
        s.condition('the release is frozen', () => true);
        s.note('Log it', () => undefined);
        s.call('Notify', () => undefined);
      },
    );
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 'b0', reason: 'break: the release is frozen' });
    expect(finished).toEqual({ s0: 'passed', s1: 'skipped' });
  });
});

describe('critical', () => {
  const diagram = () => [
    block('critical', [
      ['critical', 'E2E', [msg('CI', 'AWS', 'Run E2E'), reply('AWS', 'CI', 'Success')]],
      ['option', 'the tests failed', [msg('CI', 'Slack', 'Notify failure')]],
    ]),
    msg('CI', 'Slack', 'Tag release'),
  ];

  it('runs the matching option as compensation for the body’s failure (it gets the error), cancels the body’s jobs, and goes on', async () => {
    const calls: string[] = [];
    const { outcome, finished, blocks } = await run(diagram(), (s) => {
      s.job('Run E2E', {
        start: async () => 'e2e-1',
        wait: async () => {
          throw new Error('3 tests failed');
        },
        cancel: async () => void calls.push('cancel'),
      });
      s.condition('the tests failed', (ctx) => (calls.push(`condition: ${(ctx.error as Error).message}`), true));
      s.call('Notify failure', () => void calls.push('notify'));
      s.call('Tag release', () => void calls.push('tag'));
    });
    expect(outcome.status).toBe('passed');
    expect(calls).toEqual(['condition: 3 tests failed', 'notify', 'tag']);
    // The reply right after the job is where the failure shows; it never ran: skipped.
    expect(finished).toEqual({ s0: 'failed', s1: 'skipped', s2: 'passed', s3: 'passed' });
    expect(blocks).toEqual([
      { blockId: 'b0', what: 'compensation', branch: 0, error: { name: 'Error', message: '3 tests failed' }, failedStepId: 's0' },
      { blockId: 'b0', what: 'ended', status: 'compensated', branch: 0 },
    ]);
  });

  it('no option accepting the error fails the run at the failed step', async () => {
    const { outcome, finished } = await run(diagram(), (s) => {
      s.job('Run E2E', { start: async () => 'e2e-1', wait: () => Promise.reject(new Error('boom')) });
      s.condition('the tests failed', () => false);
      s.call('Notify failure', () => undefined);
      s.call('Tag release', () => undefined);
    });
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's0' });
    expect(finished).toEqual({ s0: 'failed', s1: 'skipped', s2: 'skipped', s3: 'skipped' });
  });
});

describe('refused calls (-x)', () => {
  it('pass when the handler fails, fail when it succeeds', async () => {
    const { outcome, finished, events } = await run(
      [msg('CI', 'Registry', 'Push unsigned image', 'solid-cross'), msg('CI', 'Registry', 'Push signed image', 'solid-cross')],
      (s) => {
        s.call('Push unsigned image', () => {
          throw new Error('403 signature required');
        });
        s.call('Push signed image', () => 'pushed');
      },
    );
    expect(finished).toEqual({ s0: 'passed', s1: 'failed' });
    expect(outcome).toMatchObject({ status: 'failed', failedStepId: 's1' });
    const output = events.find((e): e is StepFinished => e.type === 'step-finished' && e.stepId === 's0')?.output;
    expect(output).toEqual({ refused: '403 signature required', name: 'Error' });
    const error = events.find((e): e is StepFinished => e.type === 'step-finished' && e.stepId === 's1')?.error;
    expect(error?.message).toContain('must be refused (-x), but its handler succeeded');
  });
});

describe('async calls and call-and-reply', () => {
  it('-) runs as a job joined by the later reply; <<->> is a sync call', async () => {
    const order: string[] = [];
    let finish = (): void => undefined;
    const { outcome, finished } = await run(
      [
        msg('CI', 'AWS', 'Start scan', 'solid-async'),
        msg('CI', 'Registry', 'Check the tag', 'bidirectional-solid'),
        reply('AWS', 'CI', 'Success'),
        msg('CI', 'Slack', 'Announce'),
      ],
      (s) => {
        s.job('Start scan', {
          start: async () => (order.push('scan start'), 'scan-1'),
          wait: () => new Promise((resolve) => (finish = () => resolve(order.push('scan done')))),
        });
        s.call('Check the tag', () => (order.push('check'), finish()));
        s.call('Announce', () => void order.push('announce'));
      },
    );
    expect(outcome.status).toBe('passed');
    expect(order).toEqual(['scan start', 'check', 'scan done', 'announce']);
    expect(finished).toEqual({ s0: 'passed', s1: 'passed', s2: 'passed', s3: 'passed' });
  });
});

describe('resume inside blocks', () => {
  it('killed during a critical block’s compensation: resumes in the option, the failed body not run again', async () => {
    const statements = () => [
      block('critical', [
        ['critical', 'E2E', [msg('CI', 'AWS', 'Run E2E')]],
        ['option', 'the tests failed', [msg('CI', 'Slack', 'Notify failure'), msg('CI', 'Slack', 'Roll back')]],
      ]),
      msg('CI', 'Slack', 'Tag release'),
    ];
    const calls: string[] = [];
    let rollBackFails = true;
    const register = (s: StepRegistrar) => {
      s.call('Run E2E', () => {
        calls.push('e2e');
        throw new Error('3 tests failed');
      });
      s.condition('the tests failed', () => true);
      s.call('Notify failure', () => void calls.push('notify'));
      s.call('Roll back', () => {
        calls.push('roll back');
        if (rollBackFails) throw new Error('the runner died here');
      });
      s.call('Tag release', () => void calls.push('tag'));
    };
    const first = await run(statements(), register);
    expect(first.outcome).toMatchObject({ status: 'failed', failedStepId: 's2' });
    rollBackFails = false;
    const second = await run(statements(), register, summarizeJournal(first.events));
    expect(second.outcome.status).toBe('passed');
    expect(calls).toEqual(['e2e', 'notify', 'roll back', 'roll back', 'tag']);
  });

  it('re-enters a loop at the iteration it stopped in: journaled items and conditions stand, finished iterations are not repeated', async () => {
    const statements = () => [
      block('loop', [
        ['loop', 'for each app', [msg('CI', 'AWS', 'Build app'), block('opt', [['opt', 'app needs e2e', [msg('CI', 'AWS', 'Run e2e')]]])]],
      ]),
    ];
    let failOn: unknown = 'b';
    let items = ['a', 'b', 'c'];
    const built: string[] = [];
    const asked: unknown[] = [];
    const register = (s: StepRegistrar) => {
      s.loop('for each app', () => items);
      s.call('Build app', (ctx) => {
        if (ctx.item === failOn) throw new Error(`build of ${String(ctx.item)} failed`);
        built.push(String(ctx.item));
      });
      s.condition('app needs e2e', (ctx) => (asked.push(ctx.item), ctx.item !== 'c'));
      s.call('Run e2e', (ctx) => void built.push(`e2e ${String(ctx.item)}`));
    };
    const first = await run(statements(), register);
    expect(first.outcome.status).toBe('failed');
    expect(built).toEqual(['a', 'e2e a']);
    // The second run sees other items and would answer the condition otherwise: the journal's answers stand.
    failOn = null;
    items = ['x'];
    asked.length = 0;
    const second = await run(statements(), register, summarizeJournal(first.events));
    expect(second.outcome.status).toBe('passed');
    expect(built).toEqual(['a', 'e2e a', 'b', 'e2e b', 'c']);
    expect(asked).toEqual(['b', 'c']);
    expect(Object.keys(second.finished)).toEqual(['s0#2', 's1#2', 's0#3']);
  });
});
