// `npm run bench -- sfn-worker`: what the Step Functions worker costs per step beyond the handler
// (issue 13's goal: at most 10 ms), against moto on loopback. A diagram of no-op steps runs as an
// execution of its deployed machine, answered by one in-process worker (the real poll loop and
// StepFunctionsWorker, with the S3 journal the workers share, a bucket on the same moto). The named
// baseline, measured in the same run: moto's bare SQS round trip (SendMessage, ReceiveMessage,
// DeleteMessage of one message), the least a queue-driven worker can cost. Reported apart: seqrun's own
// code per step (answering a message, the handler a no-op, its S3 journal calls taken out), the S3
// journal's share (reading the run's new segments, appending the step's), the worker's AWS calls on moto,
// and the whole execution per step (moto's state-machine interpreter included).
import { performance } from 'node:perf_hooks';
import { GetExecutionHistoryCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { StepFunctionsWorker } from '../../src/app/stepfunctions-worker.ts';
import { sfnClient, sqsClient } from '../../src/app/stepfunctions-clients.ts';
import { defineSteps } from '../../src/bind/index.ts';
import type { WorkerMessage } from '../../src/engines/stepfunctions/asl.ts';
import { benchJournal, deployDiagram, execute, median, quietSfnMoto, spread, startWorkers } from './sfn-moto.ts';

const STEPS = 20;
const ROUNDS = 3;
const BARE = 100;
const CPU_MESSAGES = 400;
const CPU_WARMUP = 100;

type Timings = Map<string, number[]>;

/** The client, its `send` timed per command (the real call, unchanged): what the worker waits for on moto. */
function timed<C extends SQSClient | SFNClient | S3Client>(client: C, into: Timings): C {
  const send = client.send.bind(client) as (command: object, options?: object) => Promise<{ Messages?: unknown[] }>;
  const wrapped = async (command: object, options?: object) => {
    const t0 = performance.now();
    const result = await send(command, options);
    const name = command.constructor.name;
    // An empty long poll is the worker idling, not a cost of a step.
    if (name !== 'ReceiveMessageCommand' || (result.Messages?.length ?? 0) > 0)
      into.set(name, [...(into.get(name) ?? []), performance.now() - t0]);
    return result;
  };
  (client as unknown as { send: typeof wrapped }).send = wrapped;
  return client;
}

async function bareSqs(env: Readonly<Record<string, string>>): Promise<number[]> {
  const sqs = sqsClient(env);
  const { QueueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-bare' }));
  const times: number[] = [];
  for (let i = 0; i < BARE; i++) {
    const t0 = performance.now();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `{"n":${i}}` }));
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    for (const m of Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m.ReceiptHandle }));
    times.push(performance.now() - t0);
  }
  sqs.destroy();
  return times;
}

/** Per message, the worker answering a step (context, lookups, its S3 journal), the handler a no-op; no queue. */
async function answerMs(worker: StepFunctionsWorker, hash: string, s3: Timings): Promise<{ total: number; s3: number; s3Calls: number }> {
  const signal = new AbortController().signal;
  const message = (run: string, i: number): WorkerMessage => ({
    seqrun: 1,
    diagram: hash,
    step: `s${i % STEPS}`,
    kind: 'step',
    token: 't',
    run: `${run}-${Math.floor(i / STEPS)}`,
    attempt: 0,
    input: { vars: {} },
  });
  for (let i = 0; i < CPU_WARMUP; i++) await worker.answer(JSON.parse(JSON.stringify(message('warm', i))) as WorkerMessage, signal);
  s3.clear();
  const t0 = performance.now();
  for (let i = 0; i < CPU_MESSAGES; i++) await worker.answer(JSON.parse(JSON.stringify(message('cpu', i))) as WorkerMessage, signal);
  const total = (performance.now() - t0) / CPU_MESSAGES;
  const all = [...s3.values()].flat();
  return { total, s3: all.reduce((a, b) => a + b, 0) / CPU_MESSAGES, s3Calls: all.length / CPU_MESSAGES };
}

/** Per task: from the message sent (TaskSubmitted) to the worker's answer recorded (TaskSucceeded), on moto's clock. */
async function queueToAnswer(sfn: SFNClient, stateMachineArn: string, name: string): Promise<number[]> {
  const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  const submitted = new Map(events.filter((e) => e.type === 'TaskSubmitted').map((e) => [e.id, e.timestamp?.getTime() ?? 0]));
  return events
    .filter((e) => e.type === 'TaskSucceeded' && submitted.has(e.previousEventId))
    .map((e) => (e.timestamp?.getTime() ?? 0) - (submitted.get(e.previousEventId) ?? 0));
}

export default async function sfnWorkerBench(): Promise<void> {
  const moto = await quietSfnMoto();
  try {
    const text = ['sequenceDiagram', ...Array.from({ length: STEPS }, (_, i) => `CI->>AWS: Step ${i}`)].join('\n');
    let handlerMs = 0;
    const module = defineSteps((s) =>
      s.call('Step {int}', () => {
        const t0 = performance.now();
        handlerMs += performance.now() - t0;
      }),
    );
    const deployed = await deployDiagram(moto, 'bench-steps', text, module);
    const bare = await bareSqs(moto.env);
    const calls: Timings = new Map();
    const journalCalls: Timings = new Map();
    const workers = startWorkers(moto, deployed, 1, {
      sqs: (c) => timed(c, calls),
      sfn: (c) => timed(c, calls),
      s3: (c) => timed(c, journalCalls),
    });
    const sfn = sfnClient(moto.env);
    const perStep: number[] = [];
    const answer: number[] = [];
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const name = `bench-${round}`;
        const run = await execute(sfn, deployed.stateMachineArn, name);
        if (run.status !== 'SUCCEEDED') throw new Error(`execution ${name} ${run.status}`);
        perStep.push((run.stopMs - run.startMs) / STEPS);
        answer.push(...(await queueToAnswer(sfn, deployed.stateMachineArn, name)));
      }
    } finally {
      await workers.stop();
      sfn.destroy();
    }
    const cpuJournalCalls: Timings = new Map();
    const journal = benchJournal(moto, (c) => timed(c, cpuJournalCalls));
    const cpuWorker = new StepFunctionsWorker({
      plans: new Map([[deployed.hash, { plan: deployed.plan, name: 'cpu' }]]),
      vars: {},
      env: moto.env,
      config: {},
      journal,
    });
    const answering = await answerMs(cpuWorker, deployed.hash, cpuJournalCalls).finally(() => {
      cpuWorker.close();
      journal.client.destroy();
    });
    const own = answering.total - answering.s3;
    // The journal's calls in the executions, per step: every one the worker made is for a step it answered.
    const journalPerStep = [...journalCalls.values()].flat().reduce((a, b) => a + b, 0) / (STEPS * ROUNDS);
    const journalCallsPerStep = [...journalCalls.values()].flat().length / (STEPS * ROUNDS);
    // The receive that brought a message mostly waited for it (a long poll): time the worker idles, not a cost of the step.
    const answerCalls = median(calls.get('SendTaskSuccessCommand') ?? [0]) + median(calls.get('DeleteMessageCommand') ?? [0]);
    const baseline = median(bare);
    const row = (what: string, ms: number, spreadText = ''): string =>
      `| ${what} | ${ms.toFixed(3)} | ${(ms / baseline).toFixed(3)} | ${spreadText} |`;
    console.log(
      `${STEPS} no-op steps, ${ROUNDS} executions, one in-process worker; handlers took ${(handlerMs / (STEPS * ROUNDS)).toFixed(3)} ms per step\n`,
    );
    console.log('| per step | ms (median) | ratio to bare SQS round trip | spread |');
    console.log('|---|---:|---:|---|');
    console.log(row("moto's bare SQS send + receive + delete of one message (baseline)", baseline, `${spread(bare, 1)} ms`));
    console.log(row("seqrun's own code in the worker (answering a message; its S3 journal calls taken out)", own));
    console.log(row(`the same answers' S3 journal calls, no queue (${answering.s3Calls.toFixed(1)} calls per message)`, answering.s3));
    for (const [name, xs] of journalCalls)
      console.log(row(`the worker's S3 ${name.replace('Command', '')} on moto (one call)`, median(xs), `${spread(xs, 1)} ms`));
    console.log(
      row(`the S3 journal per step in the executions (${journalCallsPerStep.toFixed(1)} calls: read new segments, append)`, journalPerStep),
    );
    for (const name of ['SendTaskSuccessCommand', 'DeleteMessageCommand']) {
      const xs = calls.get(name) ?? [0];
      console.log(row(`the worker's ${name.replace('Command', '')} on moto`, median(xs), `${spread(xs, 1)} ms`));
    }
    console.log(
      row('worker busy per step beyond the handler (own code + the S3 journal + those two calls)', own + journalPerStep + answerCalls),
    );
    console.log(row('  of which without the S3 journal (own code + those two calls)', own + answerCalls));
    console.log(
      row(
        "queue → answer recorded (history, moto's clock: long-poll delivery, worker, SendTaskSuccess)",
        median(answer),
        `${spread(answer, 0)} ms`,
      ),
    );
    console.log(row("whole execution / steps (moto's state-machine interpreter included)", median(perStep), `${spread(perStep, 0)} ms`));
  } finally {
    moto.stop();
  }
}
