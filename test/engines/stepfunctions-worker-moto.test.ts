// The seqrun worker (src/app/stepfunctions-worker.ts) answering an exported machine's Tasks on
// moto_server (the test starts its own, with state-machine execution on): the bound handlers run with
// the local engine's context (items, results, errors), retries come back as Step Functions retries.
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pollQueue, StepFunctionsWorker } from '../../src/app/stepfunctions-worker.ts';
import { diagramHash } from '../../src/ast/meaning.ts';
import { defineSteps } from '../../src/bind/define.ts';
import { bind } from '../../src/bind/plan.ts';
import { createRegistry } from '../../src/bind/registry.ts';
import { toStateMachine } from '../../src/engines/stepfunctions/compile.ts';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { readS3Journal } from '../../src/store/s3-journal.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { parseText } from '../../src/syntax/files.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';

let moto: MotoServer;
let sfn: SFNClient;
let sqs: SQSClient;

beforeAll(async () => {
  moto = await startMoto();
  const client = { region: TEST_REGION, endpoint: moto.url, credentials: TEST_CREDENTIALS };
  sfn = new SFNClient(client);
  sqs = new SQSClient(client);
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  sqs?.destroy();
  await moto?.stop();
});

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
    await moto.reset();
    await fetch(`${moto.url}/moto-api/config`, {
      method: 'POST',
      body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
    });
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
    let status = 'RUNNING';
    for (let i = 0; i < 300 && status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status ?? '';
    }
    stop.abort();
    await polling;
    expect(status).toBe('SUCCEEDED');
    // The 300 ms build beat through the seam (moto refuses SendTaskHeartbeat with InvalidToken).
    expect(beats.length).toBeGreaterThan(0);
    expect(calls.slice(0, 2).sort()).toEqual(['expect arm: build-arm done', 'notify team']);
    expect(calls.slice(2, 4)).toEqual(['notify app web#1', 'notify app api#2']);
    // The first attempt fails and the machine's Retry runs it again, with the attempt number counted by
    // Step Functions. moto 5.2.1 gives every attempt of a task the same token and fails the second attempt
    // with the first one's SendTaskFailure, so a third runs there (on AWS each attempt has its own token).
    expect(calls.slice(4, 7)).toEqual(['deploy attempt 1', 'deploy attempt 2', 'deploy attempt 3']);
    expect(calls.slice(7)).toEqual(['notify done']);
  }, 120_000);

  test('a message for a diagram the worker does not have is refused with a cause naming it', async () => {
    const worker = new StepFunctionsWorker({ plans: new Map(), vars: {}, env: {}, config: {} });
    const message = { seqrun: 1, diagram: 'f'.repeat(64), step: 's0', kind: 'step', token: 't', run: 'r', attempt: 0, input: {} } as const;
    expect(await worker.answer(message, new AbortController().signal)).toEqual({
      error: 'seqrun.UnknownDiagram',
      cause: 'diagram ffffffffffff is not one this worker has (it has none): deploy and start workers from the same commit',
    });
  });

  test('a job step delivered twice re-attaches the job recorded in the S3 journal, on another worker too; never starts it again', async () => {
    await moto.reset();
    const client = s3Client({
      AWS_ENDPOINT_URL_S3: moto.url,
      AWS_REGION: TEST_REGION,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    await client.send(new CreateBucketCommand({ Bucket: 'journals', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
    const journal = { client, location: parseS3Location('s3://journals/seqrun') };
    const started: string[] = [];
    const attached: unknown[] = [];
    const jobs = defineSteps((s) => {
      s.job('Build {word}', {
        start: async (_ctx, what) => (started.push(String(what)), `build-${String(what)}`),
        attach: async (_ctx, handle) => void attached.push(handle),
        wait: async (_ctx, handle) => `${String(handle)} done`,
      });
    });
    const [parsed] = parseText('CI->AWS: Build arm\nAWS-->CI: Success\n', { file: '/p/release.seq' }).diagrams;
    if (!parsed) throw new Error('no diagram');
    const plan = bind(parsed, createRegistry({ modules: [jobs] }).registry);
    const plans = new Map([[diagramHash(parsed), { plan, name: 'release.seq' }]]);
    const workerOf = () => new StepFunctionsWorker({ plans, vars: {}, env: {}, config: {}, journal });
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
    const signal = new AbortController().signal;
    const first = workerOf();
    expect(await first.answer(message, signal)).toEqual({ output: {} });
    expect(await first.answer(message, signal)).toEqual({ output: {} });
    expect(await workerOf().answer(message, signal)).toEqual({ output: {} });
    expect(started).toEqual(['arm']);
    expect(attached).toEqual(['build-arm', 'build-arm']);
    const read = await readS3Journal(journal, 'run-7');
    expect(read?.events).toEqual([
      { type: 'job-started', at: expect.any(String) as unknown, runId: 'run-7', stepId: 's0', handle: 'build-arm' },
    ]);
    client.destroy();
  });
});
