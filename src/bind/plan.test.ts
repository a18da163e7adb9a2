import { describe, expect, test } from 'vitest';
import type { Diagram } from '../ast/types.ts';
import { parseText } from '../syntax/index.ts';
import { emptyConfig } from './config.ts';
import { defineSteps } from './define.ts';
import { bind, unusedDiagnostics, unusedHandlers } from './plan.ts';
import { createRegistry } from './registry.ts';
import type { StepModule } from './define.ts';

function diagram(text: string): Diagram {
  const [parsed] = parseText(text, { file: 'test.seq' }).diagrams;
  if (!parsed) throw new Error('no diagram');
  return parsed;
}

const registryOf = (...modules: StepModule[]) => createRegistry({ modules }).registry;
const job = { start: async () => 'handle', wait: async () => 'done' };

describe('bind: undefined and ambiguous steps', () => {
  test('an undefined step gets a snippet and an error at its line and column', () => {
    const plan = bind(diagram('A->B: Fetch main branch release\nB-->A: Success'), registryOf(defineSteps(() => undefined)));
    const [first] = plan.steps;
    expect(first?.binding).toEqual({
      status: 'undefined',
      snippet: [
        "s.call('Fetch main branch release', { from: 'A', to: 'B' }, async (_ctx) => {",
        '  // A asks B: Fetch main branch release',
        "  throw new Error('not implemented yet');",
        '});',
      ].join('\n'),
    });
    expect(plan.diagnostics.map((d) => [d.code, d.severity, d.span?.start.line, d.span?.start.column, d.message])).toEqual([
      ['SEQ301', 'error', 1, 1, 'Undefined call: "Fetch main branch release".'],
    ]);
  });

  test('an ambiguous step names every candidate with its file and line', () => {
    const module = defineSteps((s) => {
      s.call('Build {word} \\(x86\\)', () => undefined);
      s.call(/^Build project/, () => undefined);
    });
    const plan = bind(diagram('A->A: Build project (x86)'), registryOf(module));
    const [d] = plan.diagnostics;
    expect(plan.steps[0]?.binding.status).toBe('ambiguous');
    expect(d?.code).toBe('SEQ302');
    const lines = module.registrations.map((r) => r.source.line);
    expect(lines).toEqual([lines[0], (lines[0] ?? 0) + 1]);
    expect(d?.message).toContain(`at ${import.meta.filename}:${lines[0]}`);
    expect(d?.message).toContain(`at ${import.meta.filename}:${lines[1]}`);
  });

  test('participant filters scope handlers, by id or label', () => {
    const module = defineSteps((s) => {
      s.call('Push it', { to: 'Registry' }, () => 'registry');
      s.call('Push it', { to: 'Hub' }, () => 'hub');
      s.note('Done', { over: 'Pay CI' }, () => undefined);
    });
    const plan = bind(diagram('participant Pay CI as P\nP->Hub: Push it\nNote over P: Done'), registryOf(module));
    expect(plan.steps.map((s) => s.binding.status)).toEqual(['bound', 'bound']);
    const [call] = plan.steps;
    expect(call?.binding.status === 'bound' && call.binding.handler.source.line).toBe(module.registrations[1]?.source.line);
  });

  test('arguments come through parameter types; `Success` replies are built in', () => {
    const module = defineSteps((s) => {
      s.parameterType({ name: 'arch', regexp: /\((?:x86|ARM)\)/, transformer: (t) => t.slice(1, -1) });
      s.call('Trigger CodeBuild {arch} in {int} minutes', () => undefined);
      s.reply('Build {word}', () => undefined);
    });
    const plan = bind(
      diagram('A->B: Trigger CodeBuild (ARM) in 5 minutes\nB-->A: Success\nA->B: Trigger CodeBuild (x86) in 1 minutes\nB-->A: Build green'),
      registryOf(module),
    );
    expect(plan.steps.map((s) => (s.binding.status === 'bound' ? s.binding.args : s.binding.status))).toEqual([
      ['ARM', 5],
      'builtin',
      ['x86', 1],
      ['green'],
    ]);
    expect(plan.diagnostics).toEqual([]);
  });
});

describe('bind: unused handlers', () => {
  test('handlers no step of any checked diagram uses are reported at their registration', () => {
    const module = defineSteps((s) => {
      s.call('Used here', () => undefined);
      s.note('Used there', () => undefined);
      s.call('Never used', () => undefined);
    });
    const registry = registryOf(module);
    const plans = [bind(diagram('A->B: Used here'), registry), bind(diagram('Note over A: Used there'), registry)];
    const unused = unusedHandlers(plans, registry);
    expect(unused.map((h) => h.expression)).toEqual(['Never used']);
    const [d] = unusedDiagnostics(unused);
    expect([d?.code, d?.file, d?.span?.start.line]).toEqual(['SEQ305', import.meta.filename, module.registrations[2]?.source.line]);
  });
});

describe('bind: replies, jobs and expectations', () => {
  const module = defineSteps((s) => {
    s.job('Start build', job);
    s.call('Quick check', () => undefined);
    s.call('Local work', () => undefined);
    s.expect('Build is green', () => undefined);
    s.note('Waiting', () => undefined);
  });

  test('a reply after other steps answers the earliest open job; steps between overlap it', () => {
    const plan = bind(
      diagram('A->B: Start build\nNote right of B: Build is green\nA->C: Local work\nNote left of A: Waiting\nB-->A: Success'),
      registryOf(module),
    );
    expect(
      plan.steps.map(({ kind, mode, answers, expectationOf, joinedAt, overlaps }) => ({
        kind,
        mode,
        answers,
        expectationOf,
        joinedAt,
        overlaps,
      })),
    ).toEqual([
      { kind: 'call', mode: 'job', answers: undefined, expectationOf: undefined, joinedAt: 4, overlaps: [2, 3] },
      { kind: 'expect', mode: undefined, answers: undefined, expectationOf: 0, joinedAt: undefined, overlaps: undefined },
      { kind: 'call', mode: 'sync', answers: undefined, expectationOf: undefined, joinedAt: undefined, overlaps: undefined },
      { kind: 'note', mode: undefined, answers: undefined, expectationOf: undefined, joinedAt: undefined, overlaps: undefined },
      { kind: 'reply', mode: undefined, answers: 0, expectationOf: undefined, joinedAt: undefined, overlaps: undefined },
    ]);
    expect(plan.diagnostics).toEqual([]);
  });

  test('a reply that is not right after a sync call answers nothing (an error)', () => {
    const plan = bind(diagram('A->B: Quick check\nNote left of A: Waiting\nB-->A: Success'), registryOf(module));
    expect(plan.steps[2]?.answers).toBeNull();
    expect(plan.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([['SEQ303', 3]]);
  });

  test('a sync call without a reply stays open only across the notes about its callee right after it', () => {
    const plan = bind(
      diagram('A->B: Quick check\nNote right of B: Build is green\nNote left of A: Waiting\nNote right of B: Build is green'),
      registryOf(module),
    );
    expect(plan.steps.map((s) => [s.kind, s.expectationOf])).toEqual([
      ['call', undefined],
      ['expect', 0],
      ['note', undefined],
      ['note', undefined],
    ]);
  });

  test('a job nobody waits for is a warning and overlaps everything after it', () => {
    const plan = bind(diagram('A->B: Start build\nA->A: Local work'), registryOf(module));
    expect(plan.steps[0]).toMatchObject({ mode: 'job', joinedAt: null, overlaps: [1] });
    expect(plan.diagnostics.map((d) => [d.code, d.severity, d.span?.start.line])).toEqual([['SEQ304', 'warning', 1]]);
  });

  test('an expectation belongs to the most recent open call to its participant', () => {
    const plan = bind(
      diagram(
        'A->B: Start build\nA->B: Quick check\nNote right of B: Build is green\nB-->A: Success\nNote right of B: Build is green\nB-->A: Success',
      ),
      registryOf(module),
    );
    expect(plan.steps.map((s) => [s.kind, s.expectationOf ?? s.answers ?? null])).toEqual([
      ['call', null],
      ['call', null],
      ['expect', 1],
      ['reply', 1],
      ['expect', 0],
      ['reply', 0],
    ]);
  });

  test('`Note over A,B` is an expectation while a call between A and B is open', () => {
    const plan = bind(
      diagram('A->B: Quick check\nNote over A,B: Build is green\nB-->A: Success\nNote over A,B: Waiting'),
      registryOf(module),
    );
    expect(plan.steps.map((s) => s.kind)).toEqual(['call', 'expect', 'reply', 'note']);
  });
});

describe('bind: effective options', () => {
  test('config overrides by step text and by file:line win over the handler options', () => {
    const module = defineSteps((s) => {
      s.call('Deploy', { timeoutMs: 1000, retry: { attempts: 2 } }, () => undefined);
    });
    const config = { ...emptyConfig('/project'), steps: { Deploy: { timeoutMs: 5000 }, 'test.seq:2': { retry: { attempts: 9 } } } };
    const plan = bind({ ...diagram('A->B: Deploy\nA->B: Deploy'), file: '/project/test.seq' }, registryOf(module), config);
    expect(plan.steps.map((s) => s.options)).toEqual([
      { timeoutMs: 5000, retry: { attempts: 2 } },
      { timeoutMs: 5000, retry: { attempts: 9 } },
    ]);
  });

  test("every step has a time limit: the default of its kind, the config's `timeouts`, then its own", () => {
    const module = defineSteps((s) => {
      s.call('Copy', () => undefined);
      s.job('Build', job);
      s.expect('Pushed', () => undefined);
      s.note('Notify', () => undefined);
      s.call('Deploy', { timeoutMs: 1000 }, () => undefined);
    });
    const text = 'A->B: Copy\nA->B: Build\nNote right of B: Pushed\nB-->A: Success\nNote left of A: Notify\nA->B: Deploy\nA->B: Copy';
    const limits = (config?: ReturnType<typeof emptyConfig>) =>
      bind({ ...diagram(text), file: '/project/test.seq' }, registryOf(module), config).steps.map((s) => s.options.timeoutMs);
    expect(limits()).toEqual([1_800_000, 7_200_000, 300_000, 300_000, 1_800_000, 1000, 1_800_000]);
    const config = {
      ...emptyConfig('/project'),
      timeouts: { ...emptyConfig('/project').timeouts, call: 60_000, job: 600_000 },
      steps: { 'test.seq:7': { timeoutMs: 5 } },
    };
    expect(limits(config)).toEqual([60_000, 600_000, 300_000, 300_000, 1_800_000, 1000, 5]);
  });
});

describe('bind: one mistake, one error', () => {
  const job = { start: async () => 'handle', wait: async () => 'done' };

  test('a reply that may answer an undefined call is not reported as answering nothing', () => {
    const module = defineSteps((s) => s.note('Waiting', () => undefined));
    const plan = bind(diagram('A->B: Start the build\nNote left of A: Waiting\nB-->A: Success'), registryOf(module));
    expect(plan.steps[2]?.answers).toBeNull();
    expect(plan.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([['SEQ301', 1]]);
  });

  test('an ambiguous call whose candidates are all jobs is planned as a job', () => {
    const module = defineSteps((s) => {
      s.job('Start {word}', job);
      s.job('{word} build', job);
      s.note('Waiting', () => undefined);
    });
    const plan = bind(diagram('A->B: Start build\nNote left of A: Waiting\nB-->A: Success'), registryOf(module));
    expect(plan.steps.map((s) => [s.kind, s.mode ?? s.answers ?? null])).toEqual([
      ['call', 'job'],
      ['note', null],
      ['reply', 0],
    ]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(['SEQ302']);
  });
});

describe('bind: the whole plan', () => {
  test('of a call, its expectation and its reply', () => {
    const module = defineSteps((s) => {
      s.call('Deploy {word}', { to: 'AWS', timeoutMs: 60_000 }, () => 'deployed');
      s.expect('Service healthy', { over: 'AWS' }, () => undefined);
    });
    const d = diagram('Pay CI->AWS: Deploy test\nNote right of AWS: Service healthy\nAWS-->Pay CI: Success');
    const [deploy, healthy] = registryOf(module).handlers;
    const plan = bind(d, createRegistry({ modules: [module] }).registry);
    const [call, expectation, reply] = d.steps;
    expect(plan).toEqual({
      diagram: d,
      steps: [
        {
          id: 's0',
          index: 0,
          step: call,
          kind: 'call',
          binding: { status: 'bound', handler: deploy, args: ['test'] },
          options: { timeoutMs: 60_000 },
          mode: 'sync',
        },
        {
          id: 's1',
          index: 1,
          step: expectation,
          kind: 'expect',
          binding: { status: 'bound', handler: healthy, args: [] },
          options: { timeoutMs: 300_000 },
          expectationOf: 0,
        },
        {
          id: 's2',
          index: 2,
          step: reply,
          kind: 'reply',
          binding: { status: 'builtin', name: 'Success' },
          options: { timeoutMs: 300_000 },
          answers: 0,
        },
      ],
      diagnostics: [],
    });
  });
});
