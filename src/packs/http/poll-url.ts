// "Poll until healthy": a URL requested until its answer says done, as a wait or as a job whose
// handle is the URL (a smoke test, a CDN invalidation, a deployment's status endpoint).
import type { HandlerContext, JobImplementation } from '../../bind/types.ts';
import { pollingJob } from '../job/polling-job.ts';
import { pollUntil, type PollAnswer, type PollOptions } from '../job/poll.ts';
import { httpRequest, shownUrl, type HttpRequest, type HttpResponse } from './request.ts';

/**
 * What an answer means: true when done, false (or a status string) while not yet, and a thrown error
 * when it failed for good. Default: done on any 2xx, not yet on anything else.
 */
export type Until = (response: HttpResponse) => boolean | string;

const defaultUntil: Until = (response) => (response.status >= 200 && response.status < 300 ? true : `HTTP ${response.status}`);

async function look(request: HttpRequest, until: Until): Promise<PollAnswer<HttpResponse>> {
  // Every status is an answer here: `until` decides; only network errors are retried by the request.
  let response: HttpResponse;
  try {
    response = await httpRequest({ attempts: 1, ...request, ok: () => true });
  } catch (error) {
    if (request.signal?.aborted) throw error;
    return { done: false, status: (error as Error).message };
  }
  const verdict = until(response);
  return verdict === true
    ? { done: true, value: response }
    : { done: false, status: typeof verdict === 'string' ? verdict : `HTTP ${response.status}` };
}

/** Requests `request` until `until` says done; resolves with that response. */
export function pollUrl(request: HttpRequest, options: PollOptions & { readonly until?: Until } = {}): Promise<HttpResponse> {
  const { until = defaultUntil, ...polling } = options;
  const signal = options.signal ?? request.signal;
  return pollUntil(() => look({ ...request, ...(signal ? { signal } : {}) }, until), { ...polling, ...(signal ? { signal } : {}) });
}

export interface UrlJobOptions extends Omit<PollOptions, 'signal' | 'onStatus'> {
  /**
   * The request to poll, from the context and the step's arguments. Called again for every look, so
   * headers with credentials come from `ctx.env` each time and never reach the journal.
   */
  readonly request: (ctx: HandlerContext, ...args: unknown[]) => HttpRequest;
  readonly until?: Until;
}

/** What the journal keeps of a URL job: the step's arguments and the URL (shown with credentials masked). */
export interface UrlJobHandle {
  readonly args: readonly unknown[];
  readonly url: string;
}

/** A job that polls a URL until it answers done. */
export function urlJob(options: UrlJobOptions): JobImplementation<UrlJobHandle, { status: number; body: string }> {
  const { request, until = defaultUntil, ...polling } = options;
  return pollingJob<UrlJobHandle, { status: number; body: string }>({
    ...polling,
    start: async (ctx, ...args) => ({ args, url: shownUrl(request(ctx, ...args).url) }),
    poll: async (ctx, handle) => {
      const answer = await look({ ...request(ctx, ...handle.args), signal: ctx.signal }, until);
      return answer.done ? { done: true, value: { status: answer.value.status, body: answer.value.text.slice(0, 2000) } } : answer;
    },
    describe: (handle) => handle.url,
  });
}
