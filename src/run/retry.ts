// Per-step time limits and retries. Each attempt gets its own AbortSignal, aborted on timeout or
// when the run stops; a handler that ignores its signal is abandoned, never awaited forever.
import type { RetryPolicy, StepOptions } from '../bind/types.ts';
import { MAX_TIMER_MS } from '../bind/timeouts.ts';
import { SeqrunError } from '../errors.ts';

/** Named as the platform's `AbortSignal.timeout()` reason is, so handlers' checks match either. */
export class StepTimeoutError extends SeqrunError {
  override readonly name = 'TimeoutError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'STEP_TIMEOUT', options);
  }
}

/** The step was stopped from outside: the run failed elsewhere or was interrupted. Named as an aborted fetch's error is. */
export class StepAbortedError extends SeqrunError {
  override readonly name = 'AbortError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'STEP_ABORTED', options);
  }
}

/**
 * The event loop drained while a handler's promise was pending: nothing (no timer, socket, child
 * process) is left that could settle it. Without this Node would just exit, code 13, mid-run.
 */
export class HandlerNeverSettled extends SeqrunError {
  override readonly name = 'HandlerNeverSettled';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'HANDLER_NEVER_SETTLED', options);
  }
}

export interface RetryHooks {
  onAttempt(attempt: number): void;
  onRetry(attempt: number, error: unknown, delayMs: number): void;
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' ? reason : 'the run was stopped';
}

/** A limit `setTimeout` can keep; `Infinity` (or anything longer) or none means no limit. */
function usableLimit(timeoutMs: number | undefined): timeoutMs is number {
  return timeoutMs !== undefined && timeoutMs <= MAX_TIMER_MS;
}

/**
 * Runs `work` with a signal; rejects on timeout or when `outer` aborts, whatever `work` does. The
 * time limit does not keep the process alive: a handler holding nothing never settles, and the run
 * learns that from the event loop draining (`HandlerNeverSettled` as `outer`'s reason), not by waiting.
 */
export function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T> | T,
  timeoutMs: number | undefined,
  outer: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const cleanup = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    };
    const stop = (error: Error): void => {
      cleanup();
      controller.abort(error);
      reject(error);
    };
    function onAbort(): void {
      stop(
        outer.reason instanceof HandlerNeverSettled
          ? outer.reason
          : new StepAbortedError(reasonText(outer.reason), { cause: outer.reason }),
      );
    }
    if (outer.aborted) return onAbort();
    outer.addEventListener('abort', onAbort, { once: true });
    if (usableLimit(timeoutMs)) timer = setTimeout(() => stop(new StepTimeoutError(`timed out after ${timeoutMs} ms`)), timeoutMs).unref();
    Promise.resolve()
      .then(() => work(controller.signal))
      .then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          reject(error);
        },
      );
  });
}

export function isStopError(error: unknown): boolean {
  return error instanceof StepTimeoutError || error instanceof StepAbortedError || error instanceof HandlerNeverSettled;
}

function shouldRetry(policy: RetryPolicy, error: unknown): boolean {
  if (policy.retryOn) return policy.retryOn(error);
  return !isStopError(error);
}

/** Delay before attempt `attempt + 1`: exponential, capped, with full jitter unless disabled. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const base = (policy.backoffMs ?? 1000) * (policy.factor ?? 2) ** (attempt - 1);
  const capped = Math.min(base, policy.maxBackoffMs ?? Number.POSITIVE_INFINITY);
  return Math.round(policy.jitter === false ? capped : random() * capped);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return withTimeout(() => new Promise<void>((resolve) => setTimeout(resolve, ms)), undefined, signal);
}

/** Runs attempts until one succeeds, the policy gives up, or `outer` aborts. */
export async function withRetry<T>(
  attemptFn: (attempt: number, signal: AbortSignal) => Promise<T> | T,
  options: StepOptions,
  outer: AbortSignal,
  hooks: RetryHooks,
  random: () => number = Math.random,
): Promise<T> {
  const policy = options.retry;
  const attempts = Math.max(1, policy?.attempts ?? 1);
  for (let attempt = 1; ; attempt++) {
    hooks.onAttempt(attempt);
    try {
      return await withTimeout((signal) => attemptFn(attempt, signal), options.timeoutMs, outer);
    } catch (error) {
      if (!policy || attempt >= attempts || outer.aborted || !shouldRetry(policy, error)) throw error;
      const delay = backoffDelay(policy, attempt, random);
      hooks.onRetry(attempt, error, delay);
      await sleep(delay, outer);
    }
  }
}
