// Polling until something holds: the loop every "start it, then wait for it" job shares, with a
// growing interval, an overall time limit and the run's stop signal.
import { SeqrunError } from '../../errors.ts';

export type PollAnswer<T> = { readonly done: true; readonly value: T } | { readonly done: false; readonly status?: string };

export interface PollOptions {
  /** First wait between checks (default 2 s), growing by half each time up to `maxIntervalMs`. */
  readonly intervalMs?: number;
  /** Default 30 s. */
  readonly maxIntervalMs?: number;
  /** Give up after this long (default: never; the step's own time limit still applies). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called when the status a check reports changes (for ctx.log). */
  readonly onStatus?: (status: string) => void;
}

export class PollTimeoutError extends SeqrunError {
  override readonly name = 'PollTimeoutError';
  readonly lastStatus: string | undefined;
  constructor(message: string, lastStatus: string | undefined, options?: ErrorOptions) {
    super(message, 'POLL_TIMEOUT', options);
    this.lastStatus = lastStatus;
  }
}

/** Waits `ms`, or rejects with the signal's reason the moment it aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `check` until it answers done (its value is returned) or throws (the failure is passed on). */
export async function pollUntil<T>(check: () => Promise<PollAnswer<T>>, options: PollOptions = {}): Promise<T> {
  const started = Date.now();
  const max = options.maxIntervalMs ?? 30_000;
  let interval = Math.min(options.intervalMs ?? 2_000, max);
  let status: string | undefined;
  for (;;) {
    if (options.signal?.aborted) throw options.signal.reason;
    const answer = await check();
    if (answer.done) return answer.value;
    if (answer.status !== undefined && answer.status !== status) {
      status = answer.status;
      options.onStatus?.(status);
    }
    if (options.timeoutMs !== undefined && Date.now() - started + interval > options.timeoutMs) {
      throw new PollTimeoutError(
        `still not done after ${Math.round((Date.now() - started) / 1000)} s${status ? ` (last status: ${status})` : ''}`,
        status,
      );
    }
    await sleep(interval, options.signal);
    interval = Math.min(Math.round(interval * 1.5), max);
  }
}
