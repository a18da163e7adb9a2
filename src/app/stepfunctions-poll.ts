// The worker's loop: takes messages from the queue (up to `concurrency` at once, stepfunctions-slots.ts),
// keeps each hidden from other workers while its step runs (ChangeMessageVisibility at a third of the queue's visibility timeout) and beats for it,
// answers the task to Step Functions, then deletes the message. A worker that dies stops hiding its
// message: when the timeout runs out SQS delivers it again, to another worker or this one restarted.
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { HEARTBEAT_SECONDS, type WorkerMessage } from '../engines/stepfunctions/asl.ts';
import { DEFAULT_CONCURRENCY, takeInSlots } from './stepfunctions-slots.ts';
import { Outages, STOPPED } from './aws-outages.ts';
import { describeAwsError } from '../packs/aws/errors.ts';
import type { StepFunctionsWorker } from './stepfunctions-worker.ts';

export interface PollOptions {
  readonly sqs: SQSClient;
  readonly sfn: SFNClient;
  readonly queueUrl: string;
  readonly worker: StepFunctionsWorker;
  readonly signal: AbortSignal;
  /** How many messages are in progress at once (default DEFAULT_CONCURRENCY): each beats, stays hidden and is answered on its own. */
  readonly concurrency?: number;
  /** Long-poll wait (default 20 s, SQS's most). */
  readonly waitSeconds?: number;
  /** Beats for a running step (default SendTaskHeartbeat; moto refuses it with InvalidToken, so tests pass their own). */
  readonly heartbeat?: (token: string) => Promise<void>;
  /** How often a running step beats (default a third of the machine's HeartbeatSeconds). */
  readonly heartbeatEveryMs?: number;
  /** What the worker does, one line each (a message taken, answered, or an answer Step Functions refused; the queue down, and back). */
  readonly onNote?: (line: string) => void;
  /** The waits between tries of a receive that failed for a while (default 1 s doubling to 30 s): tests shorten them. */
  readonly outageWaits?: { readonly firstMs: number; readonly longestMs: number };
}

/** Step Functions' answers to a token whose task is over: the message was answered before (by a worker that then died). */
const TASK_OVER = new Set(['InvalidToken', 'TaskDoesNotExist', 'TaskTimedOut']);

/** Takes messages until `signal` aborts: each answered to Step Functions, then deleted from the queue. */
export async function pollQueue(options: PollOptions): Promise<void> {
  const { sqs, queueUrl, signal } = options;
  const visibility = await visibilitySeconds(sqs, queueUrl);
  const note = options.onNote ?? (() => undefined);
  // The queue down for a while (a network fault, throttling, a 5xx) is waited out; a lasting failure
  // (credentials, access denied, no such queue) ends the loop with its message.
  const outages = new Outages({
    service: 'SQS',
    operation: 'ReceiveMessage',
    endpoint: queueUrl,
    note,
    signal,
    ...(options.outageWaits ? { waits: options.outageWaits } : {}),
  });
  const receive = async (most: number): Promise<readonly Message[]> => {
    const command = new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: most,
      WaitTimeSeconds: options.waitSeconds ?? 20,
    });
    const received = await outages.call(() => sqs.send(command, { abortSignal: signal }));
    return received === STOPPED ? [] : (received.Messages ?? []);
  };
  await takeInSlots({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    signal,
    receive,
    take: (m) => take(options, m, visibility),
    // Not deleted: the message comes back after the visibility timeout and is answered then (from the journal).
    onError: (m, error) =>
      note(
        `could not take message ${m.MessageId ?? '?'}: ${error instanceof Error ? error.message : String(error)}; it comes back after the visibility timeout`,
      ),
  });
}

/** The queue's visibility timeout; a queue that cannot be read at the start is a mistake to show at once, not waited for. */
async function visibilitySeconds(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes } = await sqs
    .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }))
    .catch((error: unknown) => {
      throw describeAwsError(error, 'SQS', 'GetQueueAttributes', queueUrl);
    });
  return Number(Attributes?.['VisibilityTimeout'] ?? 30) || 30;
}

async function take(options: PollOptions, m: Message, visibility: number): Promise<void> {
  const { sqs, sfn, queueUrl, worker, signal } = options;
  const note = options.onNote ?? (() => undefined);
  const message = JSON.parse(m.Body ?? '{}') as WorkerMessage;
  const what = `${message.step} of run ${message.run} (attempt ${message.attempt + 1})`;
  note(`took ${what}`);
  const heartbeat =
    options.heartbeat ?? ((taskToken: string) => sfn.send(new SendTaskHeartbeatCommand({ taskToken })).then(() => undefined));
  const beat = setInterval(
    () => void heartbeat(message.token).catch(() => undefined),
    options.heartbeatEveryMs ?? (HEARTBEAT_SECONDS * 1000) / 3,
  );
  const hide = setInterval(
    () =>
      void sqs
        .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: visibility }))
        .catch(() => undefined),
    (visibility * 1000) / 3,
  );
  const answer = await worker.answer(message, signal).finally(() => {
    clearInterval(beat);
    clearInterval(hide);
  });
  if (signal.aborted) {
    // Stopping (SIGTERM): the step was cut short, not failed. Its message goes back for another worker
    // now; a job it started runs on and is re-attached from the journal.
    await sqs
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }))
      .catch(() => undefined);
    note(`stopped while answering ${what}: the message is back in the queue`);
    return;
  }
  try {
    if ('error' in answer)
      await sfn.send(new SendTaskFailureCommand({ taskToken: message.token, error: answer.error, cause: answer.cause }));
    else await sfn.send(new SendTaskSuccessCommand({ taskToken: message.token, output: JSON.stringify(answer.output) }));
    note(`answered ${what}: ${'error' in answer ? `${answer.error}: ${answer.cause}` : 'done'}`);
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (!TASK_OVER.has(name)) {
      // Left in the queue: it comes back after the visibility timeout, and the journal answers it then.
      note(`could not answer ${what}: ${name || String(error)}; the message comes back to be answered again`);
      return;
    }
    note(`${what} was answered before (${name}): the message is dropped`);
  }
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
}
