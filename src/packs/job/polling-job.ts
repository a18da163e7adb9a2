// A job in a few lines: start something (a process, a request, a deployment), poll for its end, cancel
// it when the run stops, and re-attach after a restart. The handle `start` returns is journaled, so a
// resumed run polls the same thing again instead of starting it twice.
import type { HandlerContext, JobImplementation } from '../../bind/types.ts';
import { pollUntil, type PollAnswer, type PollOptions } from './poll.ts';

export interface PollingJobOptions<Handle, Result> extends Omit<PollOptions, 'signal' | 'onStatus'> {
  /** Starts the work; returns a JSON-serialisable handle (an id, a URL). */
  readonly start: (ctx: HandlerContext, ...args: unknown[]) => Promise<Handle>;
  /**
   * One look at the work: `{ done: true, value }` when it finished well, `{ done: false, status }`
   * while it runs; throw when it failed (the step fails with that error).
   */
  readonly poll: (ctx: HandlerContext, handle: Handle) => Promise<PollAnswer<Result>>;
  /** Stops the work when the run stops or fails before it finished. */
  readonly cancel?: (ctx: HandlerContext, handle: Handle) => Promise<void>;
  /** How a handle reads in log lines (default: JSON). */
  readonly describe?: (handle: Handle) => string;
}

export function pollingJob<Handle, Result>(options: PollingJobOptions<Handle, Result>): JobImplementation<Handle, Result> {
  const name = (handle: Handle): string => options.describe?.(handle) ?? JSON.stringify(handle);
  const { start, poll, cancel, describe: _describe, ...polling } = options;
  const job: JobImplementation<Handle, Result> = {
    start: async (ctx, ...args) => {
      const handle = await start(ctx, ...args);
      ctx.log.info(`started ${name(handle)}`);
      return handle;
    },
    wait: (ctx, handle) =>
      pollUntil(() => poll(ctx, handle), {
        ...polling,
        signal: ctx.signal,
        onStatus: (status) => ctx.log.info(`${name(handle)}: ${status}`),
      }),
    // After a restart: one look, so a handle that no longer means anything fails here, not in a loop.
    attach: async (ctx, handle) => {
      await poll(ctx, handle);
      ctx.log.info(`re-attached to ${name(handle)}`);
    },
  };
  if (cancel) {
    job.cancel = async (ctx, handle) => {
      await cancel(ctx, handle);
      ctx.log.warn(`cancelled ${name(handle)}`);
    };
  }
  return job;
}
