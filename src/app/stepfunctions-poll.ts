// The worker's loop: takes messages from the queue (up to `concurrency` at once, stepfunctions-slots.ts),
// keeps each hidden from other workers while its step runs (ChangeMessageVisibility at a third of the queue's visibility timeout) and beats for it,
// answers the task to Step Functions, then deletes the message. A worker that dies stops hiding its
// message: when the timeout runs out SQS delivers it again, to another worker or this one restarted.
// A message that is not a Task's (worker-message.ts) runs nothing: one with a task token has its task
// failed and is deleted; one without cannot be answered, and is left for the dead-letter queue.
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { escapeControls } from '../diagnostics/escape.ts';
import { ERRORS, HEARTBEAT_SECONDS, type WorkerMessage } from '../engines/stepfunctions/asl.ts';
import { readWorkerMessage } from '../engines/stepfunctions/worker-message.ts';
import { readRedrivePolicy, type DeadLetter } from './stepfunctions-dead-letter.ts';
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

/** How long a message nobody can answer stays hidden in a queue without a dead-letter queue: SQS's most (12 hours), less a minute. */
const SET_ASIDE_SECONDS = 12 * 3600 - 60;

/** How much of a body that is not a message a note shows. */
const SHOWN_CHARACTERS = 60;

/** What pollQueue reads of the queue once, at its start. */
interface QueueSettings {
  readonly visibility: number;
  /** Where SQS moves a message received too often (the RedrivePolicy `seqrun deploy` sets); undefined when it has none. */
  readonly deadLetter: DeadLetter | undefined;
}

/** The worker's notes, each on one line with its control characters escaped: bodies and their fields are anyone's input. */
const notesOf =
  (options: PollOptions) =>
  (line: string): void =>
    options.onNote?.(escapeControls(line, { singleLine: true }));

const nameOf = (error: unknown): string => (error instanceof Error && error.name) || String(error);

/** Takes messages until `signal` aborts: each answered to Step Functions, then deleted from the queue. */
export async function pollQueue(options: PollOptions): Promise<void> {
  const { sqs, queueUrl, signal } = options;
  const queue = await queueSettings(sqs, queueUrl);
  const note = notesOf(options);
  if (!queue.deadLetter)
    note(
      'the queue has no dead-letter queue (RedrivePolicy): a message no worker can answer is hidden for 12 hours at a time until SQS drops it at the end of its retention period; seqrun deploy --engine stepfunctions sets one up',
    );
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
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    const received = await outages.call(() => sqs.send(command, { abortSignal: signal }));
    return received === STOPPED ? [] : (received.Messages ?? []);
  };
  await takeInSlots({
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    signal,
    receive,
    take: (m) => take(options, m, queue),
    // Not deleted: the message comes back after the visibility timeout and is answered then (from the journal).
    onError: (m, error) =>
      note(
        `could not take message ${m.MessageId ?? '?'}: ${error instanceof Error ? error.message : String(error)}; it comes back after the visibility timeout`,
      ),
  });
}

/** The queue's visibility timeout and dead-letter queue; a queue that cannot be read at the start is a mistake to show at once, not waited for. */
async function queueSettings(sqs: SQSClient, queueUrl: string): Promise<QueueSettings> {
  const { Attributes } = await sqs
    .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }))
    .catch((error: unknown) => {
      throw describeAwsError(error, 'SQS', 'GetQueueAttributes', queueUrl);
    });
  return {
    visibility: Number(Attributes?.['VisibilityTimeout'] ?? 30) || 30,
    deadLetter: readRedrivePolicy(Attributes?.['RedrivePolicy']),
  };
}

async function take(options: PollOptions, m: Message, queue: QueueSettings): Promise<void> {
  const read = readWorkerMessage(m.Body);
  if (read.kind === 'message') return answerTask(options, m, queue.visibility, read.message);
  if (read.kind === 'invalid') return refuse(options, m, queue, read);
  return setAside(options, m, queue, `is not a seqrun worker message: ${read.problem} (${shownBody(m.Body ?? '')})`);
}

/** The body's length and its start, quoted: enough to recognise it, never the whole of a large one. */
function shownBody(body: string): string {
  const start = [...body.slice(0, SHOWN_CHARACTERS * 2)].slice(0, SHOWN_CHARACTERS).join('');
  return `${body.length} characters: ${JSON.stringify(start)}${start.length < body.length ? '…' : ''}`;
}

/** A message with a task token that is not one a worker can run: its task fails with the reason, and it is deleted. */
async function refuse(options: PollOptions, m: Message, queue: QueueSettings, read: { token: string; problem: string }): Promise<void> {
  const note = notesOf(options);
  const id = m.MessageId ?? '?';
  const why = `is not one a seqrun worker can run: ${read.problem}`;
  try {
    const cause = `message ${id} ${why}; nothing was run`;
    await options.sfn.send(new SendTaskFailureCommand({ taskToken: read.token, error: ERRORS.invalidMessage, cause }));
  } catch (error) {
    const name = nameOf(error);
    // Nobody waits for this token (a forged one, or the task was failed before): nothing to answer, nothing deleted.
    if (TASK_OVER.has(name)) return setAside(options, m, queue, `${why}, and no task waits for its token (${name})`);
    note(`message ${id} ${why}; could not fail its task (${name}): the message comes back after the visibility timeout`);
    return;
  }
  note(`message ${id} ${why}; its task failed with ${ERRORS.invalidMessage} and the message is deleted`);
  await options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: m.ReceiptHandle }));
}

/** A message nobody can be answered for: never deleted (its body may matter to someone), and never taken again and again. */
async function setAside(options: PollOptions, m: Message, queue: QueueSettings, why: string): Promise<void> {
  const { sqs, queueUrl } = options;
  const dead = queue.deadLetter;
  // With a dead-letter queue it is back in the queue at once, so that SQS moves it there after
  // maxReceiveCount receives rather than as many visibility timeouts; without one it stays hidden as long as SQS allows.
  const hidden = dead ? 0 : SET_ASIDE_SECONDS;
  await sqs
    .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: hidden }))
    .catch(() => undefined);
  const receives = m.Attributes?.ApproximateReceiveCount ?? '?';
  notesOf(options)(
    dead
      ? `message ${m.MessageId ?? '?'} ${why}: left for the dead-letter queue ${dead.queue}, where SQS moves it after ${dead.maxReceiveCount} receives (this was receive ${receives})`
      : `message ${m.MessageId ?? '?'} ${why}: the queue has no dead-letter queue, so it is hidden for 12 hours; read it and delete it by hand (seqrun deploy --engine stepfunctions sets up a dead-letter queue)`,
  );
}

/** A Task's message: its step run (or answered from the journal), the answer sent, the message deleted. */
async function answerTask(options: PollOptions, m: Message, visibility: number, message: WorkerMessage): Promise<void> {
  const { sqs, sfn, queueUrl, worker, signal } = options;
  const note = notesOf(options);
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
    const name = nameOf(error);
    if (!TASK_OVER.has(name)) {
      // Left in the queue: it comes back after the visibility timeout, and the journal answers it then.
      note(`could not answer ${what}: ${name}; the message comes back to be answered again`);
      return;
    }
    note(`${what} was answered before (${name}): the message is dropped`);
  }
  await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
}
