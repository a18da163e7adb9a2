// The seqrun worker (src/app/stepfunctions-worker.ts) answering an exported machine's Tasks on
// moto_server (the test starts its own, with state-machine execution on): the bound handlers run with
// the local engine's context (items, results, errors), retries come back as Step Functions retries;
// outputs and state pass between workers through the run's S3 journal, and a message delivered again
// neither starts its job again nor runs a finished step again.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pollQueue, StepFunctionsWorker } from '../../src/app/stepfunctions-worker.ts';
import { diagramHash } from '../../src/ast/meaning.ts';
import { defineSteps } from '../../src/bind/define.ts';
import { bind } from '../../src/bind/plan.ts';
import { createRegistry } from '../../src/bind/registry.ts';
import { toStateMachine } from '../../src/engines/stepfunctions/compile.ts';
import { HistoryReader } from '../../src/engines/stepfunctions/history.ts';
import { runPlan } from '../../src/run/executor.ts';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { readS3Journal } from '../../src/store/s3-journal.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { parseText } from '../../src/syntax/files.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';

let moto: MotoServer;
let sfn: SFNClient;
let sqs: SQSClient;
let s3: S3Client;
let s3Env: Record<string, string>;

beforeAll(async () => {
  moto = await startMoto();
  const client = { region: TEST_REGION, endpoint: moto.url, credentials: TEST_CREDENTIALS };
  sfn = new SFNClient(client);
  sqs = new SQSClient(client);
  s3Env = { AWS_ENDPOINT_URL_S3: moto.url, AWS_REGION: TEST_REGION, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  s3 = s3Client(s3Env);
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  sqs?.destroy();
  s3?.destroy();
  await moto?.stop();
});

/** moto forgets everything; the journal bucket made again, and machines executed. */
async function freshMoto(): Promise<{ client: S3Client; location: ReturnType<typeof parseS3Location> }> {
  await moto.reset();
  await fetch(`${moto.url}/moto-api/config`, { method: 'POST', body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  await s3.send(new CreateBucketCommand({ Bucket: 'journals', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  return { client: s3, location: parseS3Location('s3://journals/seqrun') };
}

/** Waits until the execution ends; its description. */
async function ended(executionArn: string | undefined) {
  for (let i = 0; i < 300; i++) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${executionArn} still runs`);
}

const calls: string[] = [];
let flaky = 0;
const steps = defineSteps((s) => {
  s.job('Build {word}', {
    start: async (_ctx, what) => `build-${String(what)}`,
    wait: async (_ctx, handle) => (await new Promise((r) => setTimeout(r, 300)), `${String(handle)} done`),
  });
  s.expect('{word} built', (ctx, what) => void calls.push(`expect ${String(what)}: ${String(ctx.result)}`));
  s.call('Deploy', { retry: { attempts: 3, backoffMs: 1000 } }, (ctx) => {
    calls.push(`deploy attempt ${ctx.attempt}`);
    if (++flaky < 2) throw new Error('the registry said 503');
  });
  s.call(
    'Notify {word}',
    (ctx, what) => void calls.push(`notify ${String(what)}${ctx.item === undefined ? '' : ` ${String(ctx.item)}#${ctx.iteration}`}`),
  );
  s.loop('for each app in {word}', (_ctx, list) => String(list).split(','));
  s.condition('E2E is on', () => true);
});
const { registry } = createRegistry({ modules: [steps] });

const diagram = [
  'sequenceDiagram',
  'CI->>+AWS: Build arm',
  'Note right of AWS: arm built',
  'CI->>Slack: Notify team',
  'AWS-->>-CI: Success',
  'loop for each app in web,api',
  'alt E2E is on',
  'CI->>Slack: Notify app',
  'end',
  'end',
  'CI->>AWS: Deploy',
  'CI->>Slack: Notify done',
].join('\n');

describe('the Step Functions worker on moto_server (starts its own)', () => {
  test('runs every bound handler with its context; a failed attempt is retried by the machine', async () => {
    const journal = await freshMoto();
    const [parsed] = parseText(diagram, { file: '/p/release.mmd' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, registry);
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'workers' }));
    const { machine } = toStateMachine(plan, { queueUrl: QueueUrl, source: 'release.mmd' });
    const roleArn = 'arn:aws:iam::123456789012:role/seqrun-machine';
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'release', definition: JSON.stringify(machine), roleArn }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run-1', input: '{}' }));

    const worker = new StepFunctionsWorker({
      plans: new Map([[diagramHash(parsed), { plan, name: 'release.mmd' }]]),
      vars: {},
      env: {},
      config: {},
      journal,
    });
    const stop = new AbortController();
    const beats: string[] = [];
    const polling = pollQueue({
      sqs,
      sfn,
      queueUrl: QueueUrl,
      worker,
      signal: stop.signal,
      waitSeconds: 1,
      heartbeat: async (token) => void beats.push(token),
      heartbeatEveryMs: 50,
    });
    const { status } = await ended(executionArn);
    stop.abort();
    await polling;
    expect(status).toBe('SUCCEEDED');
    // The 300 ms build beat through the seam (moto refuses SendTaskHeartbeat with InvalidToken).
    expect(beats.length).toBeGreaterThan(0);
    expect(calls.slice(0, 2).sort()).toEqual(['expect arm: build-arm done', 'notify team']);
    expect(calls.slice(2, 4)).toEqual(['notify app web#1', 'notify app api#2']);
    // The first attempt fails and the machine's Retry runs it again, with the attempt number counted by
    // Step Functions. moto 5.2.1 gives every attempt of a task the same token, and depending on timing
    // fails the second attempt with the first one's SendTaskFailure, so a third runs there (on AWS each
    // attempt has its own token): two or three attempts, numbered from 1.
    const deploys = calls.slice(4, -1);
    expect(deploys).toEqual(['deploy attempt 1', 'deploy attempt 2', 'deploy attempt 3'].slice(0, deploys.length));
    expect(deploys.length).toBeGreaterThanOrEqual(2);
    expect(calls.at(-1)).toBe('notify done');
    // Each loop iteration's step has an id of its own in the journal, as in the local engine's.
    const events = (await readS3Journal(journal, 'run-1'))?.events ?? [];
    const finished = events.flatMap((e) => (e.type === 'step-finished' ? [`${e.stepId} ${e.status}`] : []));
    expect(finished.filter((line) => line.startsWith('s4')).sort()).toEqual(['s4#1 passed', 's4#2 passed']);
    expect(finished).toEqual(expect.arrayContaining(['s0 passed', 's1 passed', 's2 passed', 's5 passed', 's6 passed']));
  }, 120_000);

  test('steps in nested loops (a Map in a Map, a guard in a Map, a Map in a guard) get the local engine ids, in the journal and the history', async () => {
    const journal = await freshMoto();
    const nested = defineSteps((s) => {
      s.call('Step {int}', (ctx) => void ctx.log.info(`item ${String(ctx.item)}`));
      s.loop('for each {word} in {word}', (_ctx, _what, list) => String(list).split(','));
      // A guard of its own for each time the loop is asked (in each outer iteration): two iterations.
      s.loop('while more', () => {
        let asked = 0;
        return () => ++asked <= 2;
      });
    });
    const text = [
      'sequenceDiagram',
      'loop for each app in a,b',
      'loop for each env in x,y',
      'CI->>AWS: Step 0',
      'end',
      'end',
      'loop for each app in c,d',
      'loop while more',
      'CI->>AWS: Step 1',
      'end',
      'end',
      'loop while more',
      'loop for each env in x,y',
      'CI->>AWS: Step 2',
      'end',
      'end',
    ].join('\n');
    const [parsed] = parseText(text, { file: '/p/nested.mmd' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const nestedRegistry = createRegistry({ modules: [nested] }).registry;
    const plan = bind(parsed, nestedRegistry);
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const local: string[] = [];
    const outcome = await runPlan(plan, {
      runId: 'local',
      diagram: 'nested.mmd',
      diagramHash: 'h',
      vars: {},
      env: {},
      onEvent: (e) => void (e.type === 'step-finished' && e.status === 'passed' && local.push(e.stepId)),
      stopGraceMs: 100,
      hooks: nestedRegistry.hooks,
    });
    expect(outcome.status).toBe('passed');
    expect(local.filter((id) => id.startsWith('s1'))).toEqual(['s1#1#1', 's1#1#2', 's1#2#1', 's1#2#2']);

    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'nested-workers' }));
    const { machine } = toStateMachine(plan, { queueUrl: QueueUrl, source: 'nested.mmd' });
    if (!machine) throw new Error('not compiled');
    const roleArn = 'arn:aws:iam::123456789012:role/seqrun-machine';
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'nested', definition: JSON.stringify(machine), roleArn }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run-nested', input: '{}' }));
    const worker = new StepFunctionsWorker({
      plans: new Map([[diagramHash(parsed), { plan, name: 'nested.mmd' }]]),
      vars: {},
      env: {},
      config: {},
      journal,
    });
    const stop = new AbortController();
    const polling = pollQueue({
      sqs,
      sfn,
      queueUrl: QueueUrl,
      worker,
      signal: stop.signal,
      waitSeconds: 1,
      heartbeat: async () => undefined,
    });
    const { status } = await ended(executionArn);
    stop.abort();
    await polling;
    expect(status).toBe('SUCCEEDED');
    const journaled = ((await readS3Journal(journal, 'run-nested'))?.events ?? []).flatMap((e) =>
      e.type === 'step-finished' ? [e.stepId] : [],
    );
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const fromHistory = new HistoryReader(plan, machine, 'run-nested', {
      diagram: 'nested.mmd',
      diagramHash: 'h',
      title: null,
      vars: {},
      trigger: 'manual',
      profile: null,
      steps: [],
    })
      .read(events)
      .flatMap((e) => (e.type === 'step-finished' ? [e.stepId] : []));
    expect(journaled).toEqual(local);
    expect(fromHistory).toEqual(local);
  }, 120_000);

  test('a message for a diagram the worker does not have is refused: the execution fails with seqrun.UnknownDiagram and a cause naming it', async () => {
    const journal = await freshMoto();
    const [parsed] = parseText('CI->Slack: Notify team\n', { file: '/p/stale.seq' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, registry);
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'stale-workers' }));
    const { machine } = toStateMachine(plan, { queueUrl: QueueUrl, source: 'stale.seq' });
    const roleArn = 'arn:aws:iam::123456789012:role/seqrun-machine';
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'stale', definition: JSON.stringify(machine), roleArn }),
    );
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'run-stale', input: '{}' }));
    // The worker was started from another commit: it has a diagram, not this one.
    const [other] = parseText('CI->Slack: Notify other\n', { file: '/p/other.seq' }).diagrams;
    if (!other) throw new Error('no diagram');
    const worker = new StepFunctionsWorker({
      plans: new Map([[diagramHash(other), { plan: bind(other, registry), name: 'other.seq' }]]),
      vars: {},
      env: {},
      config: {},
      journal,
    });
    const stop = new AbortController();
    const notes: string[] = [];
    const onNote = (line: string): number => notes.push(line);
    const polling = pollQueue({ sqs, sfn, queueUrl: QueueUrl, worker, signal: stop.signal, waitSeconds: 1, onNote });
    const described = await ended(executionArn);
    stop.abort();
    await polling;
    expect({ status: described.status, error: described.error }).toEqual({ status: 'FAILED', error: 'seqrun.UnknownDiagram' });
    // What the worker sent with SendTaskFailure. moto 5.2.1 drops a SendTaskFailure's cause (its
    // responses.py passes only the error on), so the history holds the error alone; AWS keeps both.
    const cause = `diagram ${diagramHash(parsed).slice(0, 12)} is not one this worker has (it has ${diagramHash(other).slice(0, 12)}): deploy and start workers from the same commit`;
    expect(notes).toContain(`answered s0 of run run-stale (attempt 1): seqrun.UnknownDiagram: ${cause}`);
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.flatMap((e) => (e.taskFailedEventDetails ? [e.taskFailedEventDetails.error] : []))).toEqual(['seqrun.UnknownDiagram']);
  });

  test('a job step delivered again re-attaches the job its first worker started (which died waiting); a finished step is answered from the journal', async () => {
    const journal = await freshMoto();
    const started: string[] = [];
    const attached: unknown[] = [];
    const durable: boolean[] = [];
    const jobs = defineSteps((s) => {
      s.job('Build {word}', {
        start: async (ctx, what) => {
          // What start records is in S3 before it goes on (a redelivered start would find it in ctx.recorded).
          ctx.progress({ token: 'token-1' });
          durable.push((await readS3Journal(journal, 'run-7'))?.events.some((e) => e.type === 'step-progress') ?? false);
          started.push(String(what));
          return `build-${String(what)}`;
        },
        attach: async (_ctx, handle) => void attached.push(handle),
        // The first worker waits until it is stopped (as if it died); the others see the job finish.
        wait: (ctx, handle) =>
          attached.length > 0
            ? Promise.resolve(`${String(handle)} done`)
            : new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))),
      });
    });
    const [parsed] = parseText('CI->AWS: Build arm\nAWS-->CI: Success\n', { file: '/p/release.seq' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, createRegistry({ modules: [jobs] }).registry);
    const plans = new Map([[diagramHash(parsed), { plan, name: 'release.seq' }]]);
    const workerOf = () => new StepFunctionsWorker({ plans, vars: {}, env: {}, config: {}, journal, journalEnv: s3Env });
    const message = {
      seqrun: 1,
      diagram: diagramHash(parsed),
      step: 's0',
      kind: 'step',
      token: 't',
      run: 'run-7',
      attempt: 0,
      input: {},
    } as const;
    const dying = new AbortController();
    const first = workerOf();
    const firstAnswer = first.answer(message, dying.signal);
    const jobRecorded = async () => (await readS3Journal(journal, 'run-7'))?.events.some((e) => e.type === 'job-started');
    for (let i = 0; i < 100 && !(await jobRecorded()); i++) await new Promise((r) => setTimeout(r, 50));
    dying.abort();
    await firstAnswer;
    const signal = new AbortController().signal;
    expect(await workerOf().answer(message, signal)).toEqual({ output: {} });
    expect(await first.answer(message, signal)).toEqual({ output: {} });
    expect(started).toEqual(['arm']);
    expect(attached).toEqual(['build-arm']);
    expect(durable).toEqual([true]);
    const read = await readS3Journal(journal, 'run-7');
    expect(read?.events.map((e) => [e.type, 'stepId' in e ? e.stepId : '-'])).toEqual([
      ['step-started', 's0'],
      ['step-progress', 's0'],
      ['job-started', 's0'],
      ['log', 's0'],
      ['step-finished', 's0'],
    ]);
    expect(read?.events[2]).toMatchObject({ handle: 'build-arm' });
    expect(read?.events[4]).toMatchObject({ status: 'passed', attempt: 1, output: 'build-arm done' });
  });

  test('outputs and state pass between workers through the journal, merged when two change it at once; secrets are masked', async () => {
    const journal = await freshMoto();
    const ran: string[] = [];
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const shared = defineSteps<{ tags?: Record<string, string>; release?: number }>((s) => {
      s.call('Tag {word}', (ctx, what) => {
        ran.push(`tag ${String(what)}`);
        ctx.state.release = 7;
        return { tag: String(what), token: ctx.vars['token'] };
      });
      s.expect('{word} tagged', (ctx) => {
        ran.push(`expect ${JSON.stringify(ctx.result)} release ${ctx.state.release}`);
      });
      s.call('Record {word}', async (ctx, what) => {
        if (String(what) === 'arm') await gate;
        ctx.state.tags = { ...ctx.state.tags, [String(what)]: `sha-${String(what)}` };
      });
    });
    const text = 'CI->AWS: Tag x86\nNote right of AWS: x86 tagged\nCI->AWS: Record arm\nCI->AWS: Record amd\n';
    const [parsed] = parseText(text, { file: '/p/release.seq' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, createRegistry({ modules: [shared] }).registry);
    const plans = new Map([[diagramHash(parsed), { plan, name: 'release.seq' }]]);
    const workerOf = () => new StepFunctionsWorker({ plans, vars: {}, env: {}, config: {}, journal, journalEnv: s3Env });
    const input = { vars: { token: 'hunter2-secret' } };
    const message = (step: string) =>
      ({ seqrun: 1, diagram: diagramHash(parsed), step, kind: 'step', token: 't', run: 'run-8', attempt: 0, input }) as const;
    const signal = new AbortController().signal;
    expect(await workerOf().answer(message('s0'), signal)).toEqual({ output: {} });
    // Delivered again, to another worker: answered from the journal, not run.
    expect(await workerOf().answer(message('s0'), signal)).toEqual({ output: {} });
    expect(await workerOf().answer(message('s1'), signal)).toEqual({ output: {} });
    // Two workers change the state at once: each change lands on the newest state.
    const arm = workerOf().answer(message('s2'), signal);
    expect(await workerOf().answer(message('s3'), signal)).toEqual({ output: {} });
    open();
    expect(await arm).toEqual({ output: {} });
    expect(ran).toEqual(['tag x86', `expect {"tag":"x86","token":"***"} release 7`]);
    const events = (await readS3Journal(journal, 'run-8'))?.events ?? [];
    expect(JSON.stringify(events)).not.toContain('hunter2');
    expect(events.filter((e) => e.type === 'state').at(-1)).toMatchObject({
      state: { release: 7, tags: { arm: 'sha-arm', amd: 'sha-amd' } },
    });
    expect(events.filter((e) => e.type === 'step-finished').map((e) => e.stepId)).toEqual(['s0', 's1', 's3', 's2']);
  });

  test("a failing step's cause (SendTaskFailure's, kept in the history) masks the secrets of the input, the worker's own vars and the config's names", async () => {
    const journal = await freshMoto();
    const failing = defineSteps((s) =>
      s.call('Migrate', (ctx) => {
        const { DB_PASSWORD, releaseNote, deployKey } = ctx.vars;
        throw new Error(`psql: password ${String(DB_PASSWORD)} refused; note ${String(releaseNote)}; key ${String(deployKey)}`);
      }),
    );
    const [parsed] = parseText('CI->DB: Migrate\n', { file: '/p/migrate.seq' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, createRegistry({ modules: [failing] }).registry);
    const worker = new StepFunctionsWorker({
      plans: new Map([[diagramHash(parsed), { plan, name: 'migrate.seq' }]]),
      vars: { deployKey: 'planted-worker-key' },
      env: {},
      config: {},
      secretNames: ['releaseNote', 'deployKey'],
      journal,
    });
    // An execution another tool started, with secrets in its input.
    const input = { vars: { DB_PASSWORD: 'planted-input-pw', releaseNote: 'planted-quiet-note' } };
    const message = {
      seqrun: 1,
      diagram: diagramHash(parsed),
      step: 's0',
      kind: 'step',
      token: 't',
      run: 'run-11',
      attempt: 0,
      input,
    } as const;
    expect(await worker.answer(message, new AbortController().signal)).toEqual({
      error: 'seqrun.StepFailedFinal',
      cause: 'Error: psql: password *** refused; note ***; key ***',
    });
    const events = (await readS3Journal(journal, 'run-11'))?.events ?? [];
    expect(events.find((e) => e.type === 'step-finished')).toMatchObject({
      status: 'failed',
      error: { message: 'Error: psql: password *** refused; note ***; key ***' },
    });
    expect(JSON.stringify(events)).not.toMatch(/planted-/);
  });

  test('a job in a Map iteration is its own per iteration (s0#1, s0#2): one start each, a redelivered iteration answered from the journal', async () => {
    const journal = await freshMoto();
    const started: string[] = [];
    const jobs = defineSteps((s) => {
      s.job('Build app', { start: async (ctx) => (started.push(String(ctx.item)), `build-${String(ctx.item)}`), wait: async () => 'ok' });
      s.loop('for each app in {word}', (_ctx, list) => String(list).split(','));
    });
    const text = ['sequenceDiagram', 'loop for each app in web,api', 'CI->>+AWS: Build app', 'AWS-->>-CI: Success', 'end'].join('\n');
    const [parsed] = parseText(text, { file: '/p/apps.mmd' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, createRegistry({ modules: [jobs] }).registry);
    const plans = new Map([[diagramHash(parsed), { plan, name: 'apps.mmd' }]]);
    const workerOf = () => new StepFunctionsWorker({ plans, vars: {}, env: {}, config: {}, journal, journalEnv: s3Env });
    const outer = { vars: {}, loop_b0: { items: ['web', 'api'] } };
    const message = (index: number) =>
      ({
        seqrun: 1,
        diagram: diagramHash(parsed),
        step: 's0',
        kind: 'step',
        token: 't',
        run: 'run-9',
        attempt: 0,
        input: { item: ['web', 'api'][index], index, outer },
      }) as const;
    const signal = new AbortController().signal;
    expect(await workerOf().answer(message(0), signal)).toEqual({ output: {} });
    expect(await workerOf().answer(message(1), signal)).toEqual({ output: {} });
    expect(await workerOf().answer(message(1), signal)).toEqual({ output: {} });
    expect(started).toEqual(['web', 'api']);
    const events = (await readS3Journal(journal, 'run-9'))?.events ?? [];
    expect(events.flatMap((e) => (e.type === 'job-started' ? [`${e.stepId} ${String(e.handle)}`] : []))).toEqual([
      's0#1 build-web',
      's0#2 build-api',
    ]);
  });

  test('a journal that cannot be read fails the step with seqrun.JournalUnavailable, naming the bucket; nothing runs', async () => {
    await freshMoto();
    const ran: string[] = [];
    const steps = defineSteps((s) => s.call('Notify {word}', (_ctx, what) => void ran.push(String(what))));
    const [parsed] = parseText('CI->Slack: Notify team\n', { file: '/p/notify.seq' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, createRegistry({ modules: [steps] }).registry);
    const journal = { client: s3, location: parseS3Location('s3://no-such-journals/seqrun') };
    const worker = new StepFunctionsWorker({
      plans: new Map([[diagramHash(parsed), { plan, name: 'notify.seq' }]]),
      vars: {},
      env: {},
      config: {},
      journal,
    });
    const message = {
      seqrun: 1,
      diagram: diagramHash(parsed),
      step: 's0',
      kind: 'step',
      token: 't',
      run: 'run-10',
      attempt: 0,
      input: {},
    } as const;
    const answer = await worker.answer(message, new AbortController().signal);
    expect(answer).toEqual({
      error: 'seqrun.JournalUnavailable',
      cause: expect.stringContaining('the bucket no-such-journals does not exist') as unknown,
    });
    expect(ran).toEqual([]);
  });
});
