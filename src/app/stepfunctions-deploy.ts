// `seqrun deploy --engine stepfunctions`: the workers' queue (CreateQueue answers the existing one) and
// the state machine, created or, when one of that name exists, updated in place.
import { CreateStateMachineCommand, ListStateMachinesCommand, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';
import { CreateQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { StateMachine } from '../engines/stepfunctions/asl.ts';
import { QUEUE_PLACEHOLDER } from '../engines/stepfunctions/asl.ts';
import { sfnClient, sqsClient } from './stepfunctions-clients.ts';

export interface Deployed {
  readonly stateMachineArn: string;
  readonly queueUrl: string;
  readonly created: boolean;
}

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
  },
): Promise<Deployed> {
  const sqs = sqsClient(env);
  const sfn = sfnClient(env);
  try {
    const { QueueUrl: queueUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: request.queueName ?? `seqrun-${request.name}` }),
    );
    if (request.visibilitySeconds !== undefined)
      await sqs.send(
        new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: String(request.visibilitySeconds) } }),
      );
    const definition = JSON.stringify(request.machine).split(QUEUE_PLACEHOLDER).join(queueUrl);
    const existing = await findMachine(sfn, request.name);
    if (existing) {
      await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: existing, definition, roleArn: request.roleArn }));
      return { stateMachineArn: existing, queueUrl, created: false };
    }
    const { stateMachineArn = '' } = await sfn.send(
      new CreateStateMachineCommand({ name: request.name, definition, roleArn: request.roleArn }),
    );
    return { stateMachineArn, queueUrl, created: true };
  } finally {
    sqs.destroy();
    sfn.destroy();
  }
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
