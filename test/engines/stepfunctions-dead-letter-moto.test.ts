// Messages a worker cannot run, on moto_server (the test starts its own, with state-machine execution
// on): `deployMachine` gives the workers' queue a dead-letter queue; a body nobody can be answered for
// (not JSON, no task token, a token no task waits for) is moved there by SQS after the RedrivePolicy's
// receives, whole, while the worker goes on answering a run (on a queue without a dead-letter queue it
// is kept hidden for 12 hours); a Task's message in another format fails its task with
// seqrun.InvalidMessage and is deleted.
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { deployMachine, type Deployed } from '../../src/app/stepfunctions-deploy.ts';
import { pollQueue, StepFunctionsWorker } from '../../src/app/stepfunctions-worker.ts';
import { diagramHash } from '../../src/ast/meaning.ts';
import { defineSteps } from '../../src/bind/define.ts';
import { bind } from '../../src/bind/plan.ts';
import { createRegistry } from '../../src/bind/registry.ts';
import { QUEUE_PLACEHOLDER } from '../../src/engines/stepfunctions/asl.ts';
import { toStateMachine } from '../../src/engines/stepfunctions/compile.ts';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { parseText } from '../../src/syntax/files.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';

let moto: MotoServer;
let env: Record<string, string>;
let sfn: SFNClient;
let sqs: SQSClient;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  env = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: TEST_REGION, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  const client = { region: TEST_REGION, endpoint: moto.url, credentials: TEST_CREDENTIALS };
  sfn = new SFNClient(client);
  sqs = new SQSClient(client);
  s3 = s3Client(env);
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  sqs?.destroy();
  s3?.destroy();
  await moto?.stop();
});

/** moto forgets everything (one execution per server: moto 5.2.1 fails a second); the journal bucket made again. */
async function freshMoto() {
  await moto.reset();
  await fetch(`${moto.url}/moto-api/config`, { method: 'POST', body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }) });
  await s3.send(new CreateBucketCommand({ Bucket: 'journals', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  return { client: s3, location: parseS3Location('s3://journals/seqrun') };
}

const ran: string[] = [];
const steps = defineSteps((s) => s.call('Notify {word}', (_ctx, what) => void ran.push(String(what))));
const [parsed] = parseText('CI->Slack: Notify team\nCI->Slack: Notify done\n', { file: '/p/release.seq' }).diagrams;
if (!parsed) throw new Error('no diagram');
const plan = bind(parsed, createRegistry({ modules: [steps] }).registry);
const roleArn = 'arn:aws:iam::123456789012:role/seqrun-machine';

async function deploy(request: { maxReceiveCount?: number; visibilitySeconds?: number } = {}): Promise<Deployed> {
  const { machine } = toStateMachine(plan, { source: 'release.seq', queueUrl: QUEUE_PLACEHOLDER });
  if (!machine) throw new Error('not compiled');
  return deployMachine(env, { name: 'release', roleArn, machine, ...request });
}

/** A worker polling `queueUrl` in this process until `stop` is called; its notes. */
function startWorker(queueUrl: string, journal: Awaited<ReturnType<typeof freshMoto>>) {
  const worker = new StepFunctionsWorker({
    plans: new Map([[diagramHash(parsed!), { plan, name: 'release.seq' }]]),
    vars: {},
    env: {},
    config: {},
    journal,
  });
  const notes: string[] = [];
  const signal = new AbortController();
  const polling = pollQueue({ sqs, sfn, queueUrl, worker, signal: signal.signal, waitSeconds: 1, onNote: (line) => void notes.push(line) });
  return { notes, stop: async () => (signal.abort(), await polling) };
}

async function ended(executionArn: string | undefined) {
  for (let i = 0; i < 300; i++) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${executionArn} still runs`);
}

async function counts(queueUrl: string): Promise<{ visible: string | undefined; hidden: string | undefined }> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return { visible: Attributes['ApproximateNumberOfMessages'], hidden: Attributes['ApproximateNumberOfMessagesNotVisible'] };
}

describe('messages a worker cannot run, on moto_server (starts its own)', () => {
  test("deploy creates the queue's dead-letter queue and RedrivePolicy; a second deploy keeps both queues and updates the policy", async () => {
    await freshMoto();
    const first = await deploy();
    expect(first).toMatchObject({
      created: true,
      queueUrl: expect.stringMatching(/\/seqrun-release$/) as unknown,
      deadLetterQueueUrl: expect.stringMatching(/\/seqrun-release-dlq$/) as unknown,
    });
    const again = await deploy({ maxReceiveCount: 2 });
    expect(again).toEqual({ ...first, created: false });
    const { QueueUrls } = await sqs.send(new ListQueuesCommand({}));
    expect(QueueUrls?.map((url) => url.split('/').pop()).sort()).toEqual(['seqrun-release', 'seqrun-release-dlq']);
    const dead = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: first.deadLetterQueueUrl, AttributeNames: ['QueueArn', 'MessageRetentionPeriod'] }),
    );
    expect(dead.Attributes?.['MessageRetentionPeriod']).toBe(String(14 * 24 * 3600));
    const work = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: first.queueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(work.Attributes?.['RedrivePolicy'] ?? '{}')).toEqual({
      deadLetterTargetArn: dead.Attributes?.['QueueArn'],
      maxReceiveCount: 2,
    });
    const third = await deploy();
    const policy = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: third.queueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(JSON.parse(policy.Attributes?.['RedrivePolicy'] ?? '{}')).toMatchObject({ maxReceiveCount: 10 });
  });

  test('bodies nobody can be answered for go whole to the dead-letter queue after 3 receives, while the worker answers a run', async () => {
    const journal = await freshMoto();
    ran.length = 0;
    const deployed = await deploy({ maxReceiveCount: 3, visibilitySeconds: 1 });
    const bodies = [`not json {${'x'.repeat(5000)}\u001b[2J`, '{"hello":"world"}', '{"seqrun":2,"token":"forged-token"}'];
    const ids: string[] = [];
    for (const body of bodies)
      ids.push((await sqs.send(new SendMessageCommand({ QueueUrl: deployed.queueUrl, MessageBody: body }))).MessageId ?? '');
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: deployed.stateMachineArn, name: 'run-1', input: '{}' }),
    );
    const worker = startWorker(deployed.queueUrl, journal);
    let dead = await counts(deployed.deadLetterQueueUrl);
    try {
      expect((await ended(executionArn)).status).toBe('SUCCEEDED');
      for (let i = 0; i < 100 && dead.visible !== '3'; i++) {
        await new Promise((r) => setTimeout(r, 200));
        dead = await counts(deployed.deadLetterQueueUrl);
      }
    } finally {
      await worker.stop();
    }
    expect(ran).toEqual(['team', 'done']);
    expect(dead).toEqual({ visible: '3', hidden: '0' });
    expect(await counts(deployed.queueUrl)).toEqual({ visible: '0', hidden: '0' });
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: deployed.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60 }),
    );
    expect(Messages.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    // Each was received 3 times, each time noted on one line with its id and why; never again after.
    const setAside = (id: string) => worker.notes.filter((line) => line.startsWith(`message ${id} `));
    expect(ids.map((id) => setAside(id).length)).toEqual([3, 3, 3]);
    const where = 'left for the dead-letter queue seqrun-release-dlq, where SQS moves it after 3 receives';
    expect(setAside(ids[0]!)).toEqual(
      [1, 2, 3].map(
        (n) =>
          `message ${ids[0]} is not a seqrun worker message: its body is not JSON (5014 characters: "not json {${'x'.repeat(50)}"…): ${where} (this was receive ${n})`,
      ),
    );
    expect(setAside(ids[1]!)[0]).toBe(
      `message ${ids[1]} is not a seqrun worker message: it has no task token ("token" is missing) (17 characters: "{\\"hello\\":\\"world\\"}"): ${where} (this was receive 1)`,
    );
    expect(setAside(ids[2]!)[0]).toMatch(
      new RegExp(
        `^message ${ids[2]} is not one a seqrun worker can run: its format is "seqrun": 2, .*, and no task waits for its token \\(InvalidToken\\): ${where}`,
      ),
    );
    expect(Math.max(...worker.notes.map((line) => line.length))).toBeLessThan(600);
    expect(worker.notes.join('\n')).not.toContain('\u001b');
  }, 90_000);

  test("a Task's message in another format fails its task with seqrun.InvalidMessage: nothing runs, the message is deleted", async () => {
    const journal = await freshMoto();
    ran.length = 0;
    const deployed = await deploy({ maxReceiveCount: 3, visibilitySeconds: 2 });
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: deployed.stateMachineArn, name: 'run-2', input: '{}' }),
    );
    // The Task's real message (its token a real one), sent again as a seqrun of another version would write it.
    let real;
    for (let i = 0; i < 20 && !real; i++)
      [real] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: deployed.queueUrl, WaitTimeSeconds: 1 }))).Messages ?? [];
    if (!real?.Body) throw new Error('the Task sent no message');
    const body = JSON.parse(real.Body) as Record<string, unknown>;
    expect(body).toMatchObject({ seqrun: 1, step: 's0', token: expect.any(String) as unknown });
    const { MessageId } = await sqs.send(
      new SendMessageCommand({ QueueUrl: deployed.queueUrl, MessageBody: JSON.stringify({ ...body, seqrun: 2 }) }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl: deployed.queueUrl, ReceiptHandle: real.ReceiptHandle }));
    const worker = startWorker(deployed.queueUrl, journal);
    let described;
    try {
      described = await ended(executionArn);
    } finally {
      await worker.stop();
    }
    expect({ status: described.status, error: described.error }).toEqual({ status: 'FAILED', error: 'seqrun.InvalidMessage' });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events.flatMap((e) => (e.taskFailedEventDetails ? [e.taskFailedEventDetails.error] : []))).toEqual(['seqrun.InvalidMessage']);
    expect(ran).toEqual([]);
    // moto 5.2.1 drops SendTaskFailure's cause: the worker's note has it.
    expect(worker.notes).toContain(
      `message ${MessageId} is not one a seqrun worker can run: its format is "seqrun": 2, and this worker reads format 1: deploy the machine and start its workers with the same seqrun version; its task failed with seqrun.InvalidMessage and the message is deleted`,
    );
    expect(await counts(deployed.queueUrl)).toEqual({ visible: '0', hidden: '0' });
    expect(await counts(deployed.deadLetterQueueUrl)).toEqual({ visible: '0', hidden: '0' });
  }, 60_000);

  test('on a queue without a dead-letter queue such a body is kept, hidden for 12 hours instead of taken again and again; the worker says so at start', async () => {
    const journal = await freshMoto();
    const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'by-hand', Attributes: { VisibilityTimeout: '1' } }));
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'hello' }));
    const worker = startWorker(QueueUrl, journal);
    try {
      for (let i = 0; i < 50 && worker.notes.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      // Three visibility timeouts of the queue: it would have been taken again.
      await new Promise((r) => setTimeout(r, 3000));
    } finally {
      await worker.stop();
    }
    expect(worker.notes).toEqual([
      'the queue has no dead-letter queue (RedrivePolicy): a message no worker can answer is hidden for 12 hours at a time until SQS drops it at the end of its retention period; seqrun deploy --engine stepfunctions sets one up',
      `message ${MessageId} is not a seqrun worker message: its body is not JSON (5 characters: "hello"): the queue has no dead-letter queue, so it is hidden for 12 hours; read it and delete it by hand (seqrun deploy --engine stepfunctions sets up a dead-letter queue)`,
    ]);
    expect(await counts(QueueUrl)).toEqual({ visible: '0', hidden: '1' });
  }, 60_000);
});
