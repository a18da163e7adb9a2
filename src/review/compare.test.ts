import { describe, expect, test } from 'vitest';
import type { Diagram } from '../ast/types.ts';
import { bind, createRegistry, defineSteps, type StepModule } from '../bind/index.ts';
import type { Handler } from '../bind/types.ts';
import { parseText } from '../syntax/index.ts';
import { align } from './align.ts';
import { comparePlans, type Side } from './compare.ts';
import type { Change } from './types.ts';

function diagram(text: string, file = 'release.seq'): Diagram {
  const result = parseText(text, { file });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const [parsed] = result.diagrams;
  if (!parsed) throw new Error('no diagram');
  return parsed;
}

/** Handlers identified by what they match and their function's source: two versions' handlers compare. */
const identify = (h: Handler) => ({
  kind: h.kind,
  expression: String(h.expression),
  file: 'steps.ts',
  line: 'fn' in h ? 1 : 2,
  hash: 'fn' in h ? String(h.fn) : String(h.job.start),
});

const job = { start: async () => 'handle', wait: async () => 'done' };

/** Every step of the seed's vocabulary, sync; `jobs` are registered as jobs instead. */
function steps(jobs: readonly string[] = [], body = 'one'): StepModule {
  return defineSteps((s) => {
    for (const text of ['Copy repo to S3', 'Trigger CodeBuild ARM', 'Build project x86', 'Push to ECR'])
      if (jobs.includes(text)) s.job(text, job);
      else s.call(text, body === 'one' ? () => 'one' : () => 'two');
    s.note('Slack notification', () => undefined);
    s.note('Await CodeBuild result', () => undefined);
    s.expect('Fetch source from S3', () => undefined);
    s.expect('Tests passed', () => undefined);
    s.reply('Built', () => undefined);
  });
}

function side(text: string, module: StepModule = steps(), file?: string): Side {
  return { plan: bind(diagram(text, file), createRegistry({ modules: [module] }).registry), identify };
}

const SEED = `Pay CI->AWS: Copy repo to S3
Pay CI->AWS: Trigger CodeBuild ARM
Note right of AWS: Fetch source from S3
Pay CI->GitHub: Build project x86
Note left of Pay CI: Await CodeBuild result
AWS-->Pay CI: Success
Note left of Pay CI: Slack notification
`;

/** `kind line label` of each change, and its words. */
const summary = (changes: readonly Change[]) =>
  changes.map((c) => [c.kind, (c.after ?? c.before)?.line ?? null, c.was ?? null, c.now ?? null, c.steps?.map((s) => s.line) ?? null]);

describe('comparePlans', () => {
  test('a re-format (spacing, quotes, headless arrows) is no change', () => {
    const formatted = SEED.replace('Pay CI->AWS: Copy repo to S3', 'Pay CI -> AWS :   "Copy repo to S3"  ').replace(
      'Note left of Pay CI: Slack notification',
      '# a comment\n\nnote left of Pay CI:Slack notification',
    );
    expect(comparePlans(side(SEED), side(formatted))).toEqual([]);
  });

  test('a renamed participant is one rename, not every step removed and added', () => {
    const renamed = SEED.replaceAll('Pay CI', 'Concourse');
    expect(summary(comparePlans(side(SEED), side(renamed)))).toEqual([['participant-renamed', null, 'Pay CI', 'Concourse', null]]);
  });

  test('a changed participant label (alias kept) is a rename of the label', () => {
    const before = `participant Pay CI as CI\n${SEED.replaceAll('Pay CI', 'CI')}`;
    const after = `participant Concourse as CI\n${SEED.replaceAll('Pay CI', 'CI')}`;
    expect(summary(comparePlans(side(before), side(after)))).toEqual([['participant-renamed', null, 'Pay CI', 'Concourse', null]]);
  });

  test('steps added, removed, moved and re-worded are told apart', () => {
    const after = `Pay CI->AWS: Trigger CodeBuild ARM
Note right of AWS: Fetch source from S3
Pay CI->AWS: Copy repo to S3
Pay CI->GitHub: Build project x86
Note left of Pay CI: Await CodeBuild results
AWS-->Pay CI: Success
Pay CI->AWS: Push to ECR
`;
    const changes = comparePlans(side(SEED), side(after));
    expect(changes.map((c) => [c.kind, c.before?.line ?? null, c.after?.line ?? null])).toEqual([
      ['step-moved', 1, 3],
      ['step-reworded', 5, 5],
      ['rebound', 5, 5],
      ['step-removed', 7, null],
      ['step-added', null, 7],
    ]);
    expect(changes[1]).toMatchObject({ was: 'Await CodeBuild result', now: 'Await CodeBuild results' });
    expect(changes[2]).toMatchObject({ was: '"Await CodeBuild result" (steps.ts:1)', now: 'no handler (undefined)' });
    expect(changes[4]).toMatchObject({ now: 'sync call, bound to "Push to ECR" (steps.ts:1)' });
  });
});

describe('comparePlans: bindings, jobs and concurrency', () => {
  test('a handler whose code changed, and a step bound to another handler', () => {
    const moved = defineSteps((s) => {
      s.call('Copy repo to S3', () => 'one');
      s.call('Trigger CodeBuild {word}', () => 'one');
      s.call('Build project x86', () => 'one');
      s.note('Await CodeBuild result', () => undefined);
      s.note('Slack notification', () => 42);
      s.expect('Fetch source from S3', () => undefined);
    });
    const before = defineSteps((s) => {
      s.call('Copy repo to S3', () => 'one');
      s.call('Trigger CodeBuild ARM', () => 'one');
      s.call('Build project x86', () => 'one');
      s.note('Await CodeBuild result', () => undefined);
      s.note('Slack notification', () => undefined);
      s.expect('Fetch source from S3', () => undefined);
    });
    expect(summary(comparePlans(side(SEED, before), side(SEED, moved)))).toEqual([
      ['rebound', 2, '"Trigger CodeBuild ARM" (steps.ts:1)', '"Trigger CodeBuild {word}" (steps.ts:1)', null],
      ['handler-changed', 7, 'steps.ts:1 (code () => undefined)', 'steps.ts:1 (code () => 42)', null],
    ]);
  });

  test('a call that became a job runs concurrently with the steps up to the reply that joins it', () => {
    const changes = comparePlans(side(SEED), side(SEED, steps(['Trigger CodeBuild ARM'])));
    expect(summary(changes)).toEqual([
      ['call-became-job', 2, 'sync call', 'job', null],
      // The expectation on the job (line 3) is checked when it ends: it does not run beside it.
      ['concurrency-added', 2, null, null, [4, 5]],
      ['options-changed', 2, 'timeout 1800000 ms', 'timeout 7200000 ms', null],
    ]);
    expect(changes[1]?.steps?.map((s) => s.label)).toEqual([
      'Pay CI->GitHub: Build project x86',
      'Note left of Pay CI: Await CodeBuild result',
    ]);
    const back = comparePlans(side(SEED, steps(['Trigger CodeBuild ARM'])), side(SEED));
    expect(summary(back).map(([kind]) => kind)).toEqual(['job-became-call', 'concurrency-removed', 'options-changed']);
  });

  test('a moved reply moves the join point, and what runs concurrently with the job', () => {
    const jobs = steps(['Trigger CodeBuild ARM']);
    const later = SEED.replace('AWS-->Pay CI: Success\n', '').replace(
      'Slack notification\n',
      'Slack notification\nAWS-->Pay CI: Success\n',
    );
    expect(summary(comparePlans(side(SEED, jobs), side(later, jobs)))).toEqual([
      ['join-moved', 2, 'line 6: AWS-->Pay CI: Success', 'line 7: AWS-->Pay CI: Success', null],
      ['concurrency-added', 2, null, null, [6]],
      ['step-moved', 7, 'line 6', 'line 7', null],
    ]);
  });

  test('a note that became an expectation, and a dropped expectation', () => {
    const before = 'Pay CI->AWS: Copy repo to S3\nNote right of AWS: Tests passed\nNote left of Pay CI: Slack notification\n';
    const after = 'Pay CI->AWS: Copy repo to S3\nNote left of Pay CI: Slack notification\n';
    expect(summary(comparePlans(side(before), side(after)))).toEqual([
      ['expectation-dropped', 2, 'expectation, bound to "Tests passed" (steps.ts:1)', null, null],
    ]);
  });

  test('a diagram compared with itself has no changes, and align pairs every step', () => {
    const plan = side(SEED).plan;
    expect(align(plan.diagram, plan.diagram).pairs.every((p) => p.before === p.after && p.how === 'same')).toBe(true);
    expect(comparePlans(side(SEED), side(SEED))).toEqual([]);
  });
});

describe('comparePlans: mermaid blocks', () => {
  const loopSteps = defineSteps((s) => {
    s.loop('each app', () => ['a']);
    s.loop('each service', () => ['a']);
    s.condition('the build is green', () => true);
    s.call('Deploy', () => undefined);
    s.call('Notify', () => undefined);
  });
  const mmd = (body: string) => `sequenceDiagram\n${body}`;
  const mside = (text: string) => side(text, loopSteps, 'release.mmd');

  test('a block added, a loop re-labelled, a step moved into a block', () => {
    const before = mmd('loop each app\n  CI->>AWS: Deploy\nend\nCI->>AWS: Notify\n');
    const after = mmd('loop each service\n  CI->>AWS: Deploy\n  CI->>AWS: Notify\nend\nopt the build is green\n  CI->>AWS: Deploy\nend\n');
    expect(summary(comparePlans(mside(before), mside(after)))).toEqual([
      ['step-added', 7, null, 'sync call, bound to "Deploy" (steps.ts:1)', null],
      ['block-changed', null, 'loop "each app" (line 2)', 'now loop "each service" (line 2); 1 step moved in', null],
      ['block-added', null, null, 'opt "the build is green" (line 6)', null],
    ]);
  });

  test("a loop whose handler's code changed", () => {
    const changed = defineSteps((s) => {
      s.loop('each app', () => ['a', 'b']);
      s.call('Deploy', () => undefined);
    });
    const same = defineSteps((s) => {
      s.loop('each app', () => ['a']);
      s.call('Deploy', () => undefined);
    });
    const text = mmd('loop each app\n  CI->>AWS: Deploy\nend\n');
    const one = (module: StepModule) => side(text, module, 'release.mmd');
    expect(summary(comparePlans(one(same), one(changed)))).toEqual([
      ['block-changed', null, 'loop "each app" (line 2)', 'the code of its label\'s handler changed: "each app" (steps.ts:1)', null],
    ]);
    expect(comparePlans(one(same), one(same))).toEqual([]);
  });

  test('the same blocks re-indented are no change', () => {
    const before = mmd('loop each app\n  CI->>AWS: Deploy\nend\n');
    const after = mmd('  loop   each app\nCI->>AWS: Deploy\n    end\n');
    expect(comparePlans(mside(before), mside(after))).toEqual([]);
  });
});
