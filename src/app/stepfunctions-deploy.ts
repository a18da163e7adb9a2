// `seqrun deploy --engine stepfunctions`: the workers' queue and its dead-letter queue (CreateQueue
// answers an existing one; their attributes are set again each time) and the state machine, created or,
// when one of that name exists, updated in place.
import { CreateStateMachineCommand, ListStateMachinesCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { StateMachine } from '../engines/stepfunctions/asl.ts';
import { QUEUE_PLACEHOLDER } from '../engines/stepfunctions/asl.ts';
import { sfnClient, sqsClient } from './stepfunctions-clients.ts';
import {
  DEAD_LETTER_RETENTION_SECONDS,
  DEFAULT_MAX_RECEIVE_COUNT,
  deadLetterQueueName,
  redrivePolicy,
} from './stepfunctions-dead-letter.ts';

export interface Deployed {
  readonly stateMachineArn: string;
  readonly queueUrl: string;
  /** Where SQS moves a message received `maxReceiveCount` times without being deleted (`<queue>-dlq`). */
  readonly deadLetterQueueUrl: string;
  readonly created: boolean;
}

/** The workers' queue when none is named: `seqrun-<machine name>`. */
export const defaultQueueName = (machine: string): string => `seqrun-${machine}`;

export async function deployMachine(
  env: Readonly<Record<string, string | undefined>>,
  request: {
    readonly name: string;
    readonly roleArn: string;
    readonly machine: StateMachine;
    /** The workers' queue (default `seqrun-<name>`); machines that share one share its workers. */
    readonly queueName?: string;
    /** The queue's VisibilityTimeout: how soon a dead worker's message is delivered again (default: the queue's, 30 s when new). */
    readonly visibilitySeconds?: number;
    /** How many receives before SQS moves a message to the dead-letter queue (default DEFAULT_MAX_RECEIVE_COUNT). */
    readonly maxReceiveCount?: number;
  },
): Promise<Deployed> {
  const sqs = sqsClient(env);
  const sfn = sfnClient(env);
  try {
    const queueName = request.queueName ?? defaultQueueName(request.name);
    const deadLetter = await deadLetterQueue(sqs, deadLetterQueueName(queueName));
    const { QueueUrl: queueUrl = '' } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
    const maxReceiveCount = request.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    await sqs.send(
      new SetQueueAttributesCommand({
        QueueUrl: queueUrl,
        Attributes: {
          RedrivePolicy: redrivePolicy(deadLetter.arn, maxReceiveCount),
          ...(request.visibilitySeconds === undefined ? {} : { VisibilityTimeout: String(request.visibilitySeconds) }),
        },
      }),
    );
    const definition = JSON.stringify(request.machine).split(QUEUE_PLACEHOLDER).join(queueUrl);
    const existing = await findMachine(sfn, request.name);
    if (existing) {
      await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: existing, definition, roleArn: request.roleArn }));
      return { stateMachineArn: existing, queueUrl, deadLetterQueueUrl: deadLetter.url, created: false };
    }
    const { stateMachineArn = '' } = await sfn.send(
      new CreateStateMachineCommand({ name: request.name, definition, roleArn: request.roleArn }),
    );
    return { stateMachineArn, queueUrl, deadLetterQueueUrl: deadLetter.url, created: true };
  } finally {
    sqs.destroy();
    sfn.destroy();
  }
}

/** The dead-letter queue, created when missing, keeping messages as long as SQS allows; its URL and ARN. */
async function deadLetterQueue(sqs: SQSClient, name: string): Promise<{ url: string; arn: string }> {
  // Created without attributes and set after: CreateQueue refuses an existing queue whose attributes differ.
  const { QueueUrl: url = '' } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  await sqs.send(
    new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS) } }),
  );
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.['QueueArn'];
  if (!arn) throw new Error(`SQS gave no ARN for the dead-letter queue ${name}`);
  return { url, arn };
}

/** The machine's name: given, or the diagram's slug or file name, made of the characters Step Functions allows. */
export function machineName(diagram: { readonly slug: string | null; readonly file: string }, given?: string): string {
  const base = given ?? (diagram.slug || (diagram.file.split(/[\\/]/).pop() ?? 'seqrun').replace(/\.[^.]*$/, ''));
  return base.replace(/[^A-Za-z0-9_-]/g, '-');
}

export async function findMachine(sfn: ReturnType<typeof sfnClient>, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
    const found = page.stateMachines?.find((m) => m.name === name);
    if (found?.stateMachineArn) return found.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
