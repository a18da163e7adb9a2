import { describe, expect, it } from 'vitest';
import { backoffDelay, StepAbortedError, StepTimeoutError, withRetry, withTimeout } from './retry.ts';

const never = new AbortController().signal;
const hooks = () => {
  const seen: string[] = [];
  return {
    seen,
    hooks: {
      onAttempt: (n: number) => void seen.push(`attempt ${n}`),
      onRetry: (n: number, _e: unknown, d: number) => void seen.push(`retry after ${n} in ${d}`),
    },
  };
};

describe('backoffDelay', () => {
  it('grows by the factor, is capped, and is scaled by the jitter draw', () => {
    const policy = { attempts: 5, backoffMs: 100, factor: 3, maxBackoffMs: 500 };
    expect([1, 2, 3].map((n) => backoffDelay({ ...policy, jitter: false }, n, () => 0.5))).toEqual([100, 300, 500]);
    expect([1, 2, 3].map((n) => backoffDelay(policy, n, () => 0.5))).toEqual([50, 150, 250]);
    expect(backoffDelay({ attempts: 2 }, 1, () => 0.999)).toBe(999);
  });
});

describe('withTimeout', () => {
  it('rejects with a TimeoutError and aborts the work signal', async () => {
    let signal: AbortSignal | undefined;
    const p = withTimeout((s) => ((signal = s), new Promise(() => undefined)), 5, never);
    await expect(p).rejects.toBeInstanceOf(StepTimeoutError);
    expect(signal?.aborted).toBe(true);
  });
  it('rejects with an AbortError when the outer signal aborts, even if the work ignores it', async () => {
    const outer = new AbortController();
    const p = withTimeout(() => new Promise(() => undefined), undefined, outer.signal);
    outer.abort(new Error('step s3 failed'));
    await expect(p).rejects.toMatchObject({ name: 'AbortError', message: 'step s3 failed' });
  });
  it('turns a synchronous throw into a rejection', async () => {
    await expect(
      withTimeout(
        () => {
          throw new Error('sync');
        },
        undefined,
        never,
      ),
    ).rejects.toThrow('sync');
  });
});

describe('withRetry', () => {
  it('retries until an attempt succeeds', async () => {
    const { seen, hooks: h } = hooks();
    const result = await withRetry(
      (n) => {
        if (n < 3) throw new Error(`no ${n}`);
        return n;
      },
      { retry: { attempts: 4, backoffMs: 1, jitter: false } },
      never,
      h,
    );
    expect(result).toBe(3);
    expect(seen).toEqual(['attempt 1', 'retry after 1 in 1', 'attempt 2', 'retry after 2 in 2', 'attempt 3']);
  });
  it('gives up after the last attempt with the last error', async () => {
    const { hooks: h } = hooks();
    await expect(
      withRetry(
        (n) => {
          throw new Error(`no ${n}`);
        },
        { retry: { attempts: 2, backoffMs: 1 } },
        never,
        h,
      ),
    ).rejects.toThrow('no 2');
  });
  it('does not retry timeouts by default, nor anything without a policy', async () => {
    const a = hooks();
    await expect(
      withRetry(() => new Promise(() => undefined), { timeoutMs: 5, retry: { attempts: 3, backoffMs: 1 } }, never, a.hooks),
    ).rejects.toBeInstanceOf(StepTimeoutError);
    expect(a.seen).toEqual(['attempt 1']);
    const b = hooks();
    await expect(
      withRetry(
        () => {
          throw new Error('x');
        },
        {},
        never,
        b.hooks,
      ),
    ).rejects.toThrow('x');
    expect(b.seen).toEqual(['attempt 1']);
  });
  it('retries timeouts when retryOn says so', async () => {
    const { seen, hooks: h } = hooks();
    const r = withRetry(
      (n) => (n < 2 ? new Promise(() => undefined) : 'ok'),
      { timeoutMs: 5, retry: { attempts: 2, backoffMs: 1, retryOn: (e) => e instanceof StepTimeoutError } },
      never,
      h,
    );
    await expect(r).resolves.toBe('ok');
    expect(seen.filter((s) => s.startsWith('attempt'))).toEqual(['attempt 1', 'attempt 2']);
  });
  it('stops waiting between attempts when the run stops', async () => {
    const outer = new AbortController();
    const r = withRetry(
      () => {
        throw new Error('x');
      },
      { retry: { attempts: 3, backoffMs: 60_000, jitter: false } },
      outer.signal,
      { onAttempt: () => undefined, onRetry: () => outer.abort() },
    );
    await expect(r).rejects.toBeInstanceOf(StepAbortedError);
  });
});
