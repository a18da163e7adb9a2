// The worker's slots (`seqrun worker --concurrency N`): up to N messages in progress at once, so a
// job one step awaits (a build, minutes) does not keep the worker from the others. The loop receives
// only as many messages as it has free slots (SQS gives at most 10 a call), and waits for a slot when
// all are taken. Each message is taken on its own: one that throws is reported and frees its slot, the
// others run on. When `signal` aborts, the loop stops receiving and waits for every message in progress
// (each returns itself to the queue).

/** SQS's most messages in one ReceiveMessage. */
export const MOST_PER_RECEIVE = 10;

/** The worker's default `--concurrency`: a few jobs awaited at once without crowding one worker. */
export const DEFAULT_CONCURRENCY = 4;

export interface Slots<M> {
  /** How many messages may be in progress at once (a positive integer). */
  readonly concurrency: number;
  readonly signal: AbortSignal;
  /** Receives up to `most` messages (1..10); an empty list when none came (or the loop is stopping). */
  readonly receive: (most: number) => Promise<readonly M[]>;
  /** Takes one message to its end; its slot is free again when this settles. */
  readonly take: (message: M) => Promise<void>;
  /** A message whose `take` threw: the others are not stopped by it. */
  readonly onError: (message: M, error: unknown) => void;
}

/** Receives and takes messages, at most `concurrency` in progress, until `signal` aborts; then waits for those in progress. */
export async function takeInSlots<M>(slots: Slots<M>): Promise<void> {
  const { concurrency, signal } = slots;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
  const inProgress = new Set<Promise<void>>();
  const stopped = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    while (!signal.aborted) {
      const free = concurrency - inProgress.size;
      if (free === 0) {
        await Promise.race([...inProgress, stopped]);
        continue;
      }
      const received = await slots.receive(Math.min(free, MOST_PER_RECEIVE));
      for (const message of received) {
        const taken: Promise<void> = slots
          .take(message)
          .catch((error: unknown) => slots.onError(message, error))
          .finally(() => inProgress.delete(taken));
        inProgress.add(taken);
      }
    }
  } finally {
    // Also when receiving failed: the messages in progress end (or go back to the queue) before the loop returns.
    await Promise.allSettled(inProgress);
  }
}
