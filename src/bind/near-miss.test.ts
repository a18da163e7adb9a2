import { describe, expect, test } from 'vitest';
import { nearestHandler } from './near-miss.ts';
import type { Handler } from './types.ts';

const handler = (kind: Handler['kind'], expression: string | RegExp, line: number): Handler =>
  ({
    kind,
    mode: 'sync',
    expression,
    filter: {},
    options: {},
    source: { file: 'steps.ts', line, column: 1 },
    fn: () => undefined,
  }) as unknown as Handler;

const handlers = [
  handler('expect', 'Fetch source from S3', 1),
  handler('expect', 'Push {tags} to ECR', 2),
  handler('call', 'Fetch sources from S3', 3),
  handler('expect', /^Fetch source from S4$/, 4),
];

describe('nearestHandler', () => {
  test('a plural or a changed letter finds the expression of the same kind', () => {
    expect(nearestHandler('expect', 'Fetch sources from S3', handlers)?.source.line).toBe(1);
    expect(nearestHandler('expect', 'fetch source from s3', handlers)?.source.line).toBe(1);
  });

  test('a different step, another kind or a RegExp expression is no near miss', () => {
    expect(nearestHandler('expect', 'Deploy to production', handlers)).toBeUndefined();
    expect(nearestHandler('reply', 'Fetch source from S3', handlers)).toBeUndefined();
    expect(nearestHandler('expect', 'Fetch source from S5', [handlers[3] as Handler])).toBeUndefined();
  });
});
