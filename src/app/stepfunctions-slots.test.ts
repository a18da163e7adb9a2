import { describe, expect, test } from 'vitest';
import { MOST_PER_RECEIVE, takeInSlots } from './stepfunctions-slots.ts';

/** A message the test ends by hand: the loop's view of a step in progress. */
interface Held {
  readonly id: number;
  readonly end: (error?: Error) => void;
}

/** A queue of `total` messages and a take that holds each until the test ends it; what the loop asked and did. */
function queueOf(total: number, concurrency: number) {
  const stop = new AbortController();
  const asked: number[] = [];
  const held: Held[] = [];
  const errors: string[] = [];
  let next = 0;
  let inProgress = 0;
  let most = 0;
  const loop = takeInSlots<number>({
    concurrency,
    signal: stop.signal,
    receive: async (n) => {
      asked.push(n);
      const ids = Array.from({ length: Math.min(n, total - next) }, () => next++);
      // An empty queue long-polls: it answers only when the loop stops.
      if (ids.length === 0) await new Promise((resolve) => stop.signal.addEventListener('abort', resolve, { once: true }));
      return ids;
    },
    take: (id) =>
      new Promise<void>((resolve, reject) => {
        most = Math.max(most, ++inProgress);
        held.push({ id, end: (error) => (inProgress--, error ? reject(error) : resolve()) });
      }),
    onError: (id, error) => void errors.push(`${id}: ${(error as Error).message}`),
  });
  return { stop, loop, asked, held, errors, most: () => most, inProgress: () => inProgress };
}

/** Lets the loop run until nothing more happens without the test. */
const quiet = () => new Promise((r) => setTimeout(r, 20));

describe('the worker slots (seqrun worker --concurrency)', () => {
  test('keeps at most N messages in progress, asking only for the free slots', async () => {
    const q = queueOf(7, 3);
    await quiet();
    expect(q.held.map((h) => h.id)).toEqual([0, 1, 2]);
    expect(q.asked).toEqual([3]);
    q.held[1]?.end();
    await quiet();
    // One slot free: one message asked for and taken.
    expect(q.asked).toEqual([3, 1]);
    expect(q.held.map((h) => h.id)).toEqual([0, 1, 2, 3]);
    q.held[0]?.end();
    q.held[2]?.end();
    await quiet();
    expect(q.asked.slice(2).reduce((a, b) => a + b, 0)).toBe(2);
    expect(q.inProgress()).toBe(3);
    for (const h of q.held.slice(3)) h.end();
    await quiet();
    for (const h of q.held.slice(6)) h.end();
    await quiet();
    expect(q.held.map((h) => h.id)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(q.most()).toBe(3);
    q.stop.abort();
    await q.loop;
  });

  test('asks SQS for at most 10 at a time, however many slots are free', async () => {
    const q = queueOf(25, 12);
    await quiet();
    expect(q.asked).toEqual([MOST_PER_RECEIVE, 2]);
    expect(q.inProgress()).toBe(12);
    q.stop.abort();
    for (const h of q.held) h.end();
    await q.loop;
  });

  test('a message that throws is reported and frees its slot; the others run on', async () => {
    const q = queueOf(3, 2);
    await quiet();
    q.held[0]?.end(new Error('the journal said 500'));
    await quiet();
    expect(q.errors).toEqual(['0: the journal said 500']);
    expect(q.held.map((h) => h.id)).toEqual([0, 1, 2]);
    q.held[1]?.end();
    q.held[2]?.end();
    q.stop.abort();
    await q.loop;
    expect(q.errors).toEqual(['0: the journal said 500']);
  });

  test('stopping waits for every message in progress, and receives no more', async () => {
    const q = queueOf(5, 2);
    await quiet();
    let done = false;
    const stopped = q.loop.then(() => (done = true));
    q.stop.abort();
    await quiet();
    // Both messages still in progress (going back to the queue): the loop has not returned.
    expect(done).toBe(false);
    q.held[0]?.end();
    await quiet();
    expect(done).toBe(false);
    q.held[1]?.end();
    await stopped;
    expect(q.asked).toEqual([2]);
    expect(q.held.map((h) => h.id)).toEqual([0, 1]);
  });

  test('a concurrency that is not a positive integer is refused', async () => {
    const stop = new AbortController();
    const slots = { signal: stop.signal, receive: async () => [], take: async () => undefined, onError: () => undefined };
    await expect(takeInSlots({ ...slots, concurrency: 0 })).rejects.toThrow('concurrency must be a positive integer, not 0');
    await expect(takeInSlots({ ...slots, concurrency: 1.5 })).rejects.toThrow('not 1.5');
  });
});
