// The plan compiled to Amazon States Language: jobs as Parallel states joined at their replies, blocks
// as Parallel/Map/Choice/Catch, retries and timeouts, and what cannot be said refused with its line.
// Every machine is checked with asl-validator.
import aslValidator from 'asl-validator';
import { describe, expect, test } from 'vitest';
import { defineSteps } from '../../bind/define.ts';
import { bind } from '../../bind/plan.ts';
import { createRegistry } from '../../bind/registry.ts';
import type { Plan } from '../../bind/types.ts';
import { parseText } from '../../syntax/files.ts';
import type { Branch, State, StateMachine } from './asl.ts';
import { MAX_NAME, stateName } from './asl.ts';
import { toStateMachine } from './compile.ts';

const steps = defineSteps((s) => {
  s.job(
    'Build {word}',
    { retry: { attempts: 3, backoffMs: 2000, factor: 3 }, timeoutMs: 7_200_000 },
    { start: async () => 'h', wait: async () => 'ok' },
  );
  s.call('Notify {word}', { timeoutMs: 1500 }, () => undefined);
  s.note('Await {word}', () => undefined);
  s.expect('Tag {word} exists', () => undefined);
  s.loop('for each app in {word}', { maxIterations: 5 }, () => ['a', 'b']);
  s.condition('E2E is {word}', () => true);
  s.condition('the tests failed', () => true);
});
const { registry } = createRegistry({ modules: [steps] });

function planOf(text: string, file = '/p/release.mmd'): Plan {
  const [diagram] = parseText(text, { file }).diagrams;
  if (!diagram) throw new Error('no diagram');
  const plan = bind(diagram, registry);
  expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return plan;
}

function machineOf(plan: Plan): StateMachine {
  const { machine, diagnostics } = toStateMachine(plan, { source: 'release', queueUrl: 'http://127.0.0.1:1/q' });
  expect(diagnostics).toEqual([]);
  if (!machine) throw new Error('no machine');
  // asl-validator fills in defaults (QueryLanguage) in what it is given: it checks a copy.
  const { isValid, errorsText } = aslValidator(structuredClone(machine));
  expect(isValid, errorsText('\n')).toBe(true);
  return machine;
}

/** Every state of the machine, branches and Map bodies included, by name. */
function allStates(states: Record<string, State>): [string, State][] {
  return Object.entries(states).flatMap(([name, state]): [string, State][] => {
    const inner: Branch[] = state.Type === 'Parallel' ? [...state.Branches] : state.Type === 'Map' ? [state.ItemProcessor] : [];
    return [[name, state], ...inner.flatMap((b) => allStates(b.States))];
  });
}

const typesOf = (states: Record<string, State>): Record<string, string> =>
  Object.fromEntries(Object.entries(states).map(([name, s]) => [name, s.Type]));

describe('toStateMachine: js-sequence steps and jobs', () => {
  const text = [
    'CI->AWS: Build arm',
    'Note right of AWS: Tag arm exists',
    'CI->Slack: Notify team',
    'Note left of CI: Await arm',
    'AWS-->CI: Success',
    'CI->Slack: Notify done',
  ].join('\n');

  test('a job and the steps while it runs are a Parallel joined at its reply; expectations follow the job in its branch', () => {
    const machine = machineOf(planOf(text, '/p/release.seq'));
    expect(machine.StartAt).toBe('s0 L1-L5 while Build arm runs');
    expect(typesOf(machine.States)).toEqual({
      's0 L1-L5 while Build arm runs': 'Parallel',
      's4 L5 Success': 'Pass',
      's5 L6 Notify done': 'Task',
    });
    const parallel = machine.States['s0 L1-L5 while Build arm runs'];
    if (parallel?.Type !== 'Parallel') throw new Error('not a Parallel');
    expect(parallel.Branches.map((b) => typesOf(b.States))).toEqual([
      { 's0 L1 Build arm': 'Task', 's1 L2 Tag arm exists': 'Task' },
      { 's2 L3 Notify team': 'Task', 's3 L4 Await arm': 'Task' },
    ]);
    expect(parallel).toMatchObject({ ResultPath: null, Next: 's4 L5 Success' });
  });

  test('a task hands the step to a worker through SQS and waits for its token; job retries, timeouts and heartbeats', () => {
    const plan = planOf(text, '/p/release.seq');
    const parallel = machineOf(plan).States['s0 L1-L5 while Build arm runs'];
    if (parallel?.Type !== 'Parallel') throw new Error('not a Parallel');
    expect(parallel.Branches[0]?.States['s0 L1 Build arm']).toEqual({
      Type: 'Task',
      Comment: 'call (job) at release:1',
      Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      Parameters: {
        QueueUrl: 'http://127.0.0.1:1/q',
        MessageBody: {
          seqrun: 1,
          diagram: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
          step: 's0',
          kind: 'step',
          'token.$': '$$.Task.Token',
          'run.$': '$$.Execution.Name',
          'attempt.$': '$$.State.RetryCount',
          'input.$': '$',
        },
      },
      ResultPath: null,
      TimeoutSeconds: 7200,
      HeartbeatSeconds: 60,
      Retry: [{ ErrorEquals: ['seqrun.StepFailed'], IntervalSeconds: 2, MaxAttempts: 2, BackoffRate: 3 }],
      Next: 's1 L2 Tag arm exists',
    });
    expect(parallel.Branches[1]?.States['s2 L3 Notify team']).toMatchObject({ TimeoutSeconds: 2, Next: 's3 L4 Await arm' });
    expect(parallel.Branches[1]?.States['s2 L3 Notify team']).not.toHaveProperty('HeartbeatSeconds');
  });

  test('a job nobody joins spans to the end of the diagram', () => {
    const machine = machineOf(planOf('CI->AWS: Build arm\nCI->Slack: Notify team\nCI->Slack: Notify done', '/p/release.seq'));
    expect(typesOf(machine.States)).toEqual({ 's0 L1-L3 while Build arm runs': 'Parallel' });
  });

  test('jobs whose lifetimes interleave without nesting: SEQ370 at the inner job, no machine', () => {
    const plan = planOf(
      [
        'CI->AWS: Build arm',
        'CI->GCP: Build x86',
        'Note left of CI: Await arm',
        'AWS-->CI: Success',
        'Note left of CI: Await x86',
        'GCP-->CI: Success',
      ].join('\n'),
      '/p/release.seq',
    );
    const { machine, diagnostics } = toStateMachine(plan);
    expect(machine).toBeNull();
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'SEQ370',
        severity: 'error',
        file: '/p/release.seq',
        span: expect.objectContaining({ start: expect.objectContaining({ line: 2, column: 1 }) }) as unknown,
        message: expect.stringContaining('"Build x86" (line 2) is joined at line 6') as unknown,
      }),
    ]);
  });
});

describe('toStateMachine: mermaid blocks', () => {
  test('par is a Parallel with a branch per section', () => {
    const machine = machineOf(
      planOf(
        'sequenceDiagram\npar ARM\nCI->>+AWS: Build arm\nAWS-->>-CI: Success\nand x86\nCI->>Slack: Notify x86\nend\nCI->>Slack: Notify done',
      ),
    );
    expect(typesOf(machine.States)).toEqual({ 'b0 L2-L7 par ARM / x86': 'Parallel', 's3 L8 Notify done': 'Task' });
    const par = machine.States['b0 L2-L7 par ARM / x86'];
    if (par?.Type !== 'Parallel') throw new Error('not a Parallel');
    expect(par.Branches.map((b) => typesOf(b.States))).toEqual([
      { 's0 L3 Build arm': 'Task', 's1 L4 Success': 'Pass' },
      { 's2 L6 Notify x86': 'Task' },
    ]);
  });

  test('a loop asks its handler, then runs a Map over the items one at a time, or a Choice cycle for a guard', () => {
    const machine = machineOf(planOf('sequenceDiagram\nloop for each app in apps\nCI->>Slack: Notify app\nend'));
    expect(typesOf(machine.States)).toEqual({
      'b0 L2 loop for each app in apps': 'Task',
      'b0 L2 items or guard?': 'Choice',
      'b0 L2-L4 for each: for each app in apps': 'Map',
      'b0 L2-L4 while: for each app in apps': 'Parallel',
      'b0 L4 loop done': 'Pass',
    });
    const map = machine.States['b0 L2-L4 for each: for each app in apps'];
    if (map?.Type !== 'Map') throw new Error('not a Map');
    expect(map).toMatchObject({
      ItemsPath: '$.loop_b0.items',
      ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'outer.$': '$' },
      MaxConcurrency: 1,
      Catch: [{ ErrorEquals: ['seqrun.Break'], ResultPath: null, Next: 'b0 L4 loop done' }],
    });
    expect(typesOf(map.ItemProcessor.States)).toEqual({ 's0 L3 Notify app': 'Task' });
    const cycle = machine.States['b0 L2-L4 while: for each app in apps'];
    if (cycle?.Type !== 'Parallel') throw new Error('not a Parallel');
    expect(cycle.Branches[0]?.StartAt).toBe('b0~b0 L2 while for each app in apps');
    expect(typesOf(cycle.Branches[0]?.States ?? {})).toEqual({
      'b0~b0 L2 while for each app in apps': 'Choice',
      's0~b0 L3 Notify app': 'Task',
      'b0~b0 L2 loop for each app in apps': 'Task',
      'b0~b0 L4 loop done': 'Pass',
    });
    expect(cycle.Branches[0]?.States['b0~b0 L2 loop for each app in apps']).toMatchObject({ Next: 'b0~b0 L2 while for each app in apps' });
  });

  test('alt asks each condition in turn; a bare else is the default', () => {
    const machine = machineOf(
      planOf('sequenceDiagram\nalt E2E is on\nCI->>Slack: Notify on\nelse\nCI->>Slack: Notify off\nend\nCI->>Slack: Notify done'),
    );
    expect(machine.StartAt).toBe('b0.0 L2 if E2E is on');
    expect(machine.States['b0.0 L2 holds?']).toEqual({
      Type: 'Choice',
      Comment: 'the condition on line 2',
      Choices: [{ Variable: '$.condition_b0_0.holds', BooleanEquals: true, Next: 's0 L3 Notify on' }],
      Default: 's1 L5 Notify off',
    });
    expect(machine.States['b0.0 L2 if E2E is on']).toMatchObject({ ResultPath: '$.condition_b0_0' });
  });

  test('critical catches its body failing into the options; break fails with seqrun.Break, which a loop catches', () => {
    const text = [
      'sequenceDiagram',
      'loop for each app in apps',
      'critical E2E',
      'CI->>Slack: Notify e2e',
      'option the tests failed',
      'break E2E is off',
      'CI->>Slack: Notify stop',
      'end',
      'end',
      'end',
    ].join('\n');
    const machine = machineOf(planOf(text));
    const map = machine.States['b0 L2-L10 for each: for each app in apps'];
    if (map?.Type !== 'Map') throw new Error('not a Map');
    const critical = map.ItemProcessor.States['b1 L3-L9 critical E2E'];
    expect(critical).toMatchObject({
      Type: 'Parallel',
      Catch: [
        { ErrorEquals: ['seqrun.Break'], ResultPath: null, Next: 'b1 L9 break passes through' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'b1.0 L5 if the tests failed' },
      ],
    });
    expect(map.ItemProcessor.States['b1.0 L5 holds?']).toMatchObject({ Default: 'b1 L9 no option accepts the error' });
    expect(map.ItemProcessor.States['b2 L8 break: E2E is off']).toEqual({
      Type: 'Fail',
      Comment: 'leaves the enclosing loop (its Catch), or ends the run failed at the top level',
      Error: 'seqrun.Break',
      Cause: 'break: E2E is off',
    });
    expect(map.ItemProcessor.States['s1 L7 Notify stop']).toMatchObject({ Next: 'b2 L8 break: E2E is off' });
  });

  test('a job inside a block that nobody joins: SEQ371 at its line', () => {
    const plan = planOf('sequenceDiagram\nloop for each app in apps\nCI-)AWS: Build arm\nend');
    expect(toStateMachine(plan).diagnostics).toEqual([
      expect.objectContaining({
        code: 'SEQ371',
        span: expect.objectContaining({ start: expect.objectContaining({ line: 3 }) }) as unknown,
      }),
    ]);
  });

  test('state names are unique and at most 80 characters, even for long texts', () => {
    const long = 'x'.repeat(200);
    const machine = machineOf(planOf(`sequenceDiagram\nloop for each app in ${long}\nCI->>Slack: Notify ${long}\nend`));
    const names = allStates(machine.States).map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect([...name].length).toBeLessThanOrEqual(MAX_NAME);
  });
});

test('the validator is not vacuous: a transition to a missing state is refused', () => {
  const broken = { StartAt: 'a', States: { a: { Type: 'Pass', Next: 'missing' } } };
  expect(aslValidator(broken).isValid).toBe(false);
});

describe('stateName', () => {
  test('id, lines and text; control bytes and runs of space made one space; shortened with … keeping the suffix', () => {
    expect(stateName('s4', 'L5', 'Trigger CodeBuild\t(ARM\u0007and x86)')).toBe('s4 L5 Trigger CodeBuild (ARM and x86)');
    const name = stateName('b0', 'L2-L9', 'y'.repeat(100), ' (empty)');
    expect(name).toHaveLength(80);
    expect(name).toMatch(/^b0 L2-L9 y+… \(empty\)$/);
  });
});
