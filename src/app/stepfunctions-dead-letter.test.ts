import { describe, expect, it } from 'vitest';
import { deadLetterQueueName, readRedrivePolicy, redrivePolicy } from './stepfunctions-dead-letter.ts';

describe("the workers' dead-letter queue", () => {
  it('is named after the queue, and the policy deploy writes is the one the worker reads', () => {
    expect(deadLetterQueueName('seqrun-release')).toBe('seqrun-release-dlq');
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:seqrun-release-dlq';
    expect(JSON.parse(redrivePolicy(arn, 5))).toEqual({ deadLetterTargetArn: arn, maxReceiveCount: 5 });
    expect(readRedrivePolicy(redrivePolicy(arn, 5))).toEqual({ queue: 'seqrun-release-dlq', maxReceiveCount: 5 });
  });

  it('reads a count SQS gives as a string, and no policy from one that is missing or says nothing usable', () => {
    const arn = 'arn:aws:sqs:eu-west-1:123456789012:other-dlq';
    expect(readRedrivePolicy(`{"deadLetterTargetArn":"${arn}","maxReceiveCount":"3"}`)).toEqual({ queue: 'other-dlq', maxReceiveCount: 3 });
    expect(readRedrivePolicy(undefined)).toBeUndefined();
    expect(readRedrivePolicy('')).toBeUndefined();
    expect(readRedrivePolicy('{not json')).toBeUndefined();
    expect(readRedrivePolicy('null')).toBeUndefined();
    expect(readRedrivePolicy(`{"maxReceiveCount":3}`)).toBeUndefined();
    expect(readRedrivePolicy(`{"deadLetterTargetArn":"${arn}","maxReceiveCount":0}`)).toBeUndefined();
  });
});
