// The workers' dead-letter queue. `seqrun deploy` creates `<queue>-dlq` and gives the queue a
// RedrivePolicy, so that a message no worker can answer (not JSON, no task token: stepfunctions-poll.ts)
// is moved aside by SQS after a few receives instead of coming back forever, and kept there to be read.
// Its name and the policy's format in one place: deploy writes them, the worker reads them.

/** How many receives SQS allows a message before it moves it to the dead-letter queue (`--max-receive-count`). */
export const DEFAULT_MAX_RECEIVE_COUNT = 10;

/** SQS's limits on a RedrivePolicy's maxReceiveCount. */
export const MAX_RECEIVE_COUNT_RANGE = { least: 1, most: 1000 } as const;

/** How long the dead-letter queue keeps a message: 14 days, SQS's most, so that there is time to look. */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600;

/** SQS's longest queue name. */
export const MAX_QUEUE_NAME = 80;

export const deadLetterQueueName = (queue: string): string => `${queue}-dlq`;

/** The work queue's RedrivePolicy attribute. */
export const redrivePolicy = (deadLetterArn: string, maxReceiveCount: number): string =>
  JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount });

export interface DeadLetter {
  /** The dead-letter queue's name (the last part of its ARN). */
  readonly queue: string;
  readonly maxReceiveCount: number;
}

/** A queue's RedrivePolicy attribute read; undefined when it has none (or one that says nothing usable). */
export function readRedrivePolicy(attribute: string | undefined): DeadLetter | undefined {
  if (!attribute) return undefined;
  let policy: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    policy = JSON.parse(attribute) as typeof policy;
  } catch {
    return undefined;
  }
  // SQS gives maxReceiveCount back as a number or a string, depending on how it was set.
  const maxReceiveCount = Number(policy?.maxReceiveCount);
  const arn = policy?.deadLetterTargetArn;
  if (typeof arn !== 'string' || !arn || !Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) return undefined;
  return { queue: arn.split(':').pop() ?? arn, maxReceiveCount };
}
