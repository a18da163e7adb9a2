// The history → run events translation on histories recorded from moto_server 5.2.1 (state-machine
// execution on, a seqrun worker answering): test/fixtures/engines/stepfunctions-history/*.json, the
// events trimmed to the fields the reader uses. The diagrams and bindings here are the recorded ones.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { defineSteps } from '../../bind/define.ts';
import { bind } from '../../bind/plan.ts';
import { createRegistry } from '../../bind/registry.ts';
import type { RunEvent } from '../../run/events.ts';
import { parseText } from '../../syntax/files.ts';
import { toStateMachine } from './compile.ts';
import { errorOf, HistoryReader, type HistoryEventShape } from './history.ts';

const steps = defineSteps((s) => {
  s.job('Build {word}', { start: async () => 'handle', wait: async () => 'done' });
  s.expect('{word} built', () => undefined);
  s.call('Deploy', { retry: { attempts: 3, backoffMs: 1000 } }, () => undefined);
  s.call('Notify {word}', () => undefined);
  s.call('Fail {word}', () => undefined);
  s.loop('for each app in {word}', () => []);
  s.loop('while more', () => () => false);
  s.condition('E2E is {word}', () => true);
  s.condition('any error', () => true);
  s.condition('never', () => false);
  s.condition('broken', () => true);
});
const { registry } = createRegistry({ modules: [steps] });

const DIAGRAMS = {
  all: [
    'CI->>+AWS: Build arm',
    'Note right of AWS: arm built',
    'CI->>Slack: Notify team',
    'AWS-->>-CI: Success',
    'par one',
    'CI->>Slack: Notify a',
    'and two',
    'CI->>Slack: Notify b',
    'end',
    'loop for each app in web,api',
    'alt E2E is off',
    'CI->>Slack: Notify x',
    'else E2E is on',
    'CI->>Slack: Notify app',
    'end',
    'end',
    'loop while more',
    'CI->>Slack: Notify g',
    'end',
    'critical try',
    'CI->>Slack: Fail c',
    'option any error',
    'CI->>Slack: Notify comp',
    'end',
    'CI->>AWS: Deploy',
    'CI->>Slack: Notify done',
  ],
  crit: [
    'CI->>Slack: Notify a',
    'critical try',
    'CI->>Slack: Fail c',
    'option never',
    'CI->>Slack: Notify comp',
    'end',
    'CI->>Slack: Notify z',
  ],
  cond: ['CI->>Slack: Notify a', 'opt broken', 'CI->>Slack: Notify b', 'end', 'CI->>Slack: Notify z'],
  fail: ['CI->>Slack: Notify a', 'par one', 'CI->>Slack: Fail x', 'and two', 'CI->>Slack: Notify b', 'end', 'CI->>Slack: Notify z'],
  brk: [
    'CI->>Slack: Notify a',
    'loop for each app in p,q',
    'break E2E is on',
    'CI->>Slack: Notify b',
    'end',
    'end',
    'break E2E is on',
    'CI->>Slack: Notify c',
    'end',
    'CI->>Slack: Notify z',
  ],
} as const;

function reader(name: keyof typeof DIAGRAMS): HistoryReader {
  const [diagram] = parseText(['sequenceDiagram', ...DIAGRAMS[name]].join('\n'), { file: '/p/release.mmd' }).diagrams;
  if (!diagram) throw new Error('no diagram');
  const plan = bind(diagram, registry);
  const { machine } = toStateMachine(plan, { source: 'release.mmd' });
  if (!machine) throw new Error('not compiled');
  const start = { diagram: 'release.mmd', diagramHash: 'h', title: null, vars: {}, trigger: 'test', profile: null, steps: [] };
  return new HistoryReader(plan, machine, 'run-1', start);
}

const recorded = (name: string): HistoryEventShape[] =>
  JSON.parse(
    readFileSync(new URL(`../../../test/fixtures/engines/stepfunctions-history/${name}.json`, import.meta.url), 'utf8'),
  ) as HistoryEventShape[];

/** Each event in a line, without times (durations checked apart). */
function brief(event: RunEvent): string {
  switch (event.type) {
    case 'step-started':
      return `start ${event.stepId} #${event.attempt}`;
    case 'step-finished':
      return `${event.stepId} ${event.status}${event.attempt > 1 ? ` after ${event.attempt}` : ''}${event.error ? `: ${event.error.name}: ${event.error.message}` : ''}`;
    case 'block': {
      const { type: _t, at: _a, runId: _r, blockId, what, durationMs: _d, branchMs, ...rest } = event;
      return `${blockId} ${what} ${JSON.stringify(rest)}${branchMs ? ` branches ${branchMs.length}` : ''}`;
    }
    case 'run-finished':
      return `run ${event.status}${event.failedStepId ? ` at ${event.failedStepId}` : ''}${event.reason ? `: ${event.reason}` : ''}`;
    case 'log':
      return `log ${event.stepId} ${event.level}: ${event.message}`;
    default:
      return event.type;
  }
}

const NO_CAUSE = 'seqrun.StepFailedFinal: seqrun.StepFailedFinal (Step Functions recorded no cause)';

describe('HistoryReader on recorded histories', () => {
  test('a job with the steps it overlaps, par, a for-each loop around an alt, a guard loop, a compensated critical block, a retried step', () => {
    expect(reader('all').read(recorded('all')).map(brief)).toEqual([
      'run-started',
      'start s0 #1',
      'start s2 #1',
      's0 passed',
      's2 passed',
      'start s1 #1',
      's1 passed',
      'start s3 #1',
      's3 passed',
      'start s4 #1',
      'start s5 #1',
      's4 passed',
      's5 passed',
      'b0 ended {"status":"passed"} branches 2',
      'b1 items {"items":["web","api"]}',
      'b2#1 branch {"branch":1}',
      'start s7#1 #1',
      's7#1 passed',
      'b2#2 branch {"branch":1}',
      'start s7#2 #1',
      's7#2 passed',
      'b1 ended {"status":"passed","iterations":2}',
      'b3 guard {"iteration":1,"holds":true}',
      'start s8#1 #1',
      's8#1 passed',
      'b3 guard {"iteration":2,"holds":true}',
      'start s8#2 #1',
      's8#2 passed',
      'b3 guard {"iteration":3,"holds":false}',
      'b3 ended {"status":"passed","iterations":2}',
      'start s9 #1',
      `s9 failed: ${NO_CAUSE}`,
      'b4 compensation {"branch":0,"error":{"message":"seqrun.StepFailedFinal (Step Functions recorded no cause)","name":"seqrun.StepFailedFinal"}}',
      'start s10 #1',
      's10 passed',
      'start s11 #1',
      'log s11 warn: attempt 1 failed: seqrun.StepFailed (Step Functions recorded no cause); Step Functions retries it',
      'start s11 #2',
      'log s11 warn: attempt 2 failed: seqrun.StepFailed (Step Functions recorded no cause); Step Functions retries it',
      'start s11 #3',
      's11 passed after 3',
      'start s12 #1',
      's12 passed',
      // The alt's first branch never ran.
      's6 skipped',
      'run passed',
    ]);
  });

  test("times come from the history: a step's duration, a par's branches, the run's", () => {
    const events = reader('all').read(recorded('all'));
    const finished = (id: string) => events.find((e) => e.type === 'step-finished' && e.stepId === id);
    // s0 entered 15:46:20.588, its task succeeded 15:46:21.255.
    expect(finished('s0')).toMatchObject({ at: '2026-12-03T15:46:21.255Z', durationMs: 667 });
    expect(events.find((e) => e.type === 'block' && e.blockId === 'b0')).toMatchObject({ branchMs: [231, 257], durationMs: 257 });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', runId: 'run-1', durationMs: 6981 });
    expect(events[0]).toMatchObject({ type: 'run-started', at: '2026-12-03T15:46:20.584Z', diagram: 'release.mmd', runId: 'run-1' });
  });

  test('any batching of the history gives the same events', () => {
    const whole = reader('all').read(recorded('all'));
    const batched = reader('all');
    const history = recorded('all');
    const events: RunEvent[] = [];
    for (let i = 0; i < history.length; i += 7) events.push(...batched.read(history.slice(i, i + 7)));
    expect(events).toEqual(whole);
  });

  test('a failing par branch fails the run at that step; the steps after it are skipped', () => {
    expect(reader('fail').read(recorded('fail')).map(brief)).toEqual([
      'run-started',
      'start s0 #1',
      's0 passed',
      'start s2 #1',
      'start s1 #1',
      's2 passed',
      `s1 failed: ${NO_CAUSE}`,
      's3 skipped',
      'run failed at s1',
    ]);
  });

  test('a break leaves its loop; at the top level it ends the run, failed, with its condition as the reason', () => {
    expect(reader('brk').read(recorded('brk')).map(brief)).toEqual([
      'run-started',
      'start s0 #1',
      's0 passed',
      'b0 items {"items":["p","q"]}',
      'b1#1 branch {"branch":0}',
      'start s1#1 #1',
      's1#1 passed',
      'b1#1 ended {"status":"broke"}',
      'b0 ended {"status":"passed","iterations":1}',
      'b2 branch {"branch":0}',
      'start s2 #1',
      's2 passed',
      'b2 ended {"status":"broke"}',
      's3 skipped',
      'run failed at b2: break: E2E is on',
    ]);
  });

  test('a critical block whose option does not accept the error: compensation -1, the run fails at the step that failed', () => {
    expect(reader('crit').read(recorded('crit')).map(brief)).toEqual([
      'run-started',
      'start s0 #1',
      's0 passed',
      'start s1 #1',
      `s1 failed: ${NO_CAUSE}`,
      'b0 compensation {"branch":-1,"error":{"message":"seqrun.StepFailedFinal (Step Functions recorded no cause)","name":"seqrun.StepFailedFinal"}}',
      's2 skipped',
      's3 skipped',
      'run failed at s1',
    ]);
  });

  test("a condition's handler that failed fails its block and the run, with the handler's error as the reason", () => {
    expect(reader('cond').read(recorded('cond')).map(brief)).toEqual([
      'run-started',
      'start s0 #1',
      's0 passed',
      'b0 ended {"status":"failed","error":{"message":"seqrun.StepFailedFinal (Step Functions recorded no cause)","name":"seqrun.StepFailedFinal"}}',
      's1 skipped',
      's2 skipped',
      'run failed at b0: seqrun.StepFailedFinal (Step Functions recorded no cause)',
    ]);
  });

  test('finish ends a history cut short (Ctrl-C): the running steps cancelled, the rest skipped, nothing after it', () => {
    const cut = reader('all');
    // Up to the first iteration's Notify app, scheduled and not answered.
    const before = cut.read(recorded('all').filter((e) => (e.id ?? 0) <= 71));
    expect(before.map(brief).slice(-2)).toEqual(['b2#1 branch {"branch":1}', 'start s7#1 #1']);
    const end = cut.finish('interrupted', new Date('2026-12-03T15:46:30.000Z'), 'SIGINT');
    expect(end.map(brief)).toEqual([
      's7#1 cancelled: StepAbortedError: the run stopped before it finished',
      // s7 ran as its iteration s7#1, so it is not skipped itself (as the local engine journals it).
      ...['s6', 's8', 's9', 's10', 's11', 's12'].map((id) => `${id} skipped`),
      'run interrupted: SIGINT',
    ]);
    expect(cut.finished).toBe(true);
    expect(cut.read(recorded('all').slice(71))).toEqual([]);
    expect(cut.finish('passed', new Date())).toEqual([]);
  });
});

describe('HistoryReader on the events AWS adds (written by hand: moto 5.2.1 records none of them here)', () => {
  const at = (s: number): string => new Date(Date.UTC(2026, 11, 3, 12, 0, s)).toISOString();
  const started = [
    { id: 1, previousEventId: 0, type: 'ExecutionStarted', timestamp: at(0) },
    { id: 2, previousEventId: 0, type: 'TaskStateEntered', timestamp: at(1), stateEnteredEventDetails: { name: 's0 L2 Notify a' } },
    { id: 3, previousEventId: 2, type: 'TaskScheduled', timestamp: at(1) },
  ];

  test('ExecutionAborted (stopped from elsewhere): the running step cancelled, the rest skipped, the run interrupted', () => {
    const events = reader('fail').read([...started, { id: 4, previousEventId: 3, type: 'ExecutionAborted', timestamp: at(5) }]);
    expect(events.map(brief)).toEqual([
      'run-started',
      'start s0 #1',
      's0 cancelled: StepAbortedError: the run stopped before it finished',
      's1 skipped',
      's2 skipped',
      's3 skipped',
      'run interrupted: the execution was stopped',
    ]);
    expect(events.at(-1)).toMatchObject({ durationMs: 5000 });
  });

  test('a task that timed out and ExecutionTimedOut: the step failed with States.Timeout, the run failed', () => {
    const timedOut = [
      ...started,
      { id: 4, previousEventId: 3, type: 'TaskTimedOut', timestamp: at(9), taskTimedOutEventDetails: { error: 'States.Timeout' } },
      { id: 5, previousEventId: 4, type: 'ExecutionTimedOut', timestamp: at(9) },
    ];
    expect(reader('fail').read(timedOut).map(brief)).toEqual([
      'run-started',
      'start s0 #1',
      's0 failed: States.Timeout: States.Timeout (Step Functions recorded no cause)',
      's1 skipped',
      's2 skipped',
      's3 skipped',
      'run failed at s0: the execution timed out (its TimeoutSeconds)',
    ]);
  });
});

describe('errorOf', () => {
  test("the worker's cause is the handler's error name and message; without a cause, the Step Functions error", () => {
    expect(errorOf({ error: 'seqrun.StepFailedFinal', cause: 'RegistryError: the registry said 503' })).toEqual({
      name: 'RegistryError',
      message: 'the registry said 503',
    });
    expect(errorOf({ error: 'seqrun.UnknownDiagram', cause: 'diagram abc is not one this worker has' })).toEqual({
      name: 'seqrun.UnknownDiagram',
      message: 'diagram abc is not one this worker has',
    });
    expect(errorOf({ error: 'States.Timeout' })).toEqual({
      name: 'States.Timeout',
      message: 'States.Timeout (Step Functions recorded no cause)',
    });
  });
});
