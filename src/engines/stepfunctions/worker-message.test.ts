import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readWorkerMessage } from './worker-message.ts';

const message = {
  seqrun: 1,
  diagram: 'a1b2c3',
  step: 's4',
  kind: 'step',
  token: 'AQCEAAAAKgAAAA',
  run: 'run-1',
  attempt: 0,
  input: { item: 'web', index: 0 },
} as const;

const body = (fields: Record<string, unknown>): string => JSON.stringify(fields);

describe('reading the body of a message the worker takes', () => {
  it("reads a Task's message, keeping only the format's fields", () => {
    expect(readWorkerMessage(body({ ...message, extra: true }))).toEqual({ kind: 'message', message });
    const { input: _input, ...noInput } = message;
    expect(readWorkerMessage(body(noInput))).toEqual({ kind: 'message', message: { ...noInput, input: undefined } });
  });

  it('cannot answer a body that is not JSON, not an object, or has no task token', () => {
    expect(readWorkerMessage('hello, queue')).toEqual({ kind: 'unreadable', problem: 'its body is not JSON' });
    expect(readWorkerMessage(body(message).slice(0, 40))).toEqual({ kind: 'unreadable', problem: 'its body is not JSON' });
    expect(readWorkerMessage('')).toEqual({ kind: 'unreadable', problem: 'its body is empty' });
    expect(readWorkerMessage(undefined)).toEqual({ kind: 'unreadable', problem: 'its body is empty' });
    expect(readWorkerMessage('[1,2]')).toEqual({ kind: 'unreadable', problem: 'its body is JSON but not an object (an array)' });
    expect(readWorkerMessage('null')).toEqual({ kind: 'unreadable', problem: 'its body is JSON but not an object (null)' });
    expect(readWorkerMessage('"s4"')).toEqual({ kind: 'unreadable', problem: 'its body is JSON but not an object ("s4")' });
    const { token: _token, ...noToken } = message;
    expect(readWorkerMessage(body(noToken))).toEqual({ kind: 'unreadable', problem: 'it has no task token ("token" is missing)' });
    expect(readWorkerMessage(body({ ...message, token: 42 }))).toEqual({
      kind: 'unreadable',
      problem: 'it has no task token ("token" is 42)',
    });
    expect(readWorkerMessage(body({ ...message, token: '' }))).toEqual({
      kind: 'unreadable',
      problem: 'it has no task token ("token" is "")',
    });
  });

  it('names what is wrong with a message that has a token, so that its task can be failed with it', () => {
    expect(readWorkerMessage(body({ ...message, seqrun: 2 }))).toEqual({
      kind: 'invalid',
      token: message.token,
      problem:
        'its format is "seqrun": 2, and this worker reads format 1: deploy the machine and start its workers with the same seqrun version',
    });
    const { seqrun: _seqrun, step: _step, ...bare } = message;
    expect(readWorkerMessage(body({ ...bare, kind: 'job', attempt: -1, run: '' }))).toEqual({
      kind: 'invalid',
      token: message.token,
      problem: [
        'it has no "seqrun" format number (this worker reads format 1)',
        '"step" is missing',
        '"run" is "", not a non-empty string',
        '"kind" is "job", not one of step, loop, condition',
        '"attempt" is -1, not a whole number from 0',
      ].join('; '),
    });
  });

  it('quotes a long value cut short', () => {
    const read = readWorkerMessage(body({ ...message, step: { a: 'x'.repeat(1000) } }));
    expect(read).toEqual({ kind: 'invalid', token: message.token, problem: `"step" is {"a":"${'x'.repeat(33)}…, not a non-empty string` });
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify({ ...message, step: v })),
        ),
        (text) => {
          const read = readWorkerMessage(text);
          expect(['message', 'invalid', 'unreadable']).toContain(read.kind);
        },
      ),
    );
  });
});
