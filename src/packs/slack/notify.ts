// Posting notifications: chat.postMessage through @slack/web-api with a bot token, or an incoming
// webhook through fetch. 429s wait Retry-After within a bound; a failure carries Slack's error code.
import { createRequire } from 'node:module';
import type * as SlackWebApi from '@slack/web-api';
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../bind/types.ts';
import type { RunSummary, SlackPayload } from './message.ts';
import { redactSummary, runMessage } from './message.ts';
import { SeqrunError } from '../../errors.ts';

// @slack/web-api (CommonJS) loads on first use: binding modules import this pack, and check/plan never post.
const requireSdk = createRequire(import.meta.url);
const slackSdk = (): typeof SlackWebApi => requireSdk('@slack/web-api') as typeof SlackWebApi;

/** `code`: Slack's error code (`channel_not_found`, `ratelimited`, `invalid_auth`...) or `request_error`. */
export class SlackNotificationError extends SeqrunError {
  override readonly name = 'SlackNotificationError';
  constructor(message: string, code: string, options?: ErrorOptions) {
    super(message, code, options);
  }
}

export interface RateLimitBound {
  /** How many 429s to wait out before failing (default 3). */
  readonly retries?: number;
  /** Fail at once when Retry-After asks for longer than this (default 60 s). */
  readonly maxWaitSeconds?: number;
}

export interface SlackClientOptions {
  readonly token: string;
  /** Default `https://slack.com/api/`; the sandbox's server in tests. */
  readonly slackApiUrl?: string;
  /** Retries of network errors and 5xx (default 2; WebClient's own default waits ~30 minutes). */
  readonly retries?: number;
  /** Gives up on a request Slack has not answered within this (default 30 s; WebClient's own default waits forever). */
  readonly timeoutMs?: number;
  readonly log?: Logger;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The request timeout of each client `createSlackClient` made (WebClient keeps its own private), for error messages. */
const timeouts = new WeakMap<WebClient, number>();

/** A WebClient with a bounded retry policy; 429s are handed back to `postMessage`, which bounds them. */
export function createSlackClient(options: SlackClientOptions): WebClient {
  const quiet = {
    debug: () => {},
    info: () => {},
    warn: (...m: unknown[]) => options.log?.warn(m.join(' ')),
    error: (...m: unknown[]) => options.log?.warn(m.join(' ')),
    setLevel: () => {},
    getLevel: () => 'warn',
    setName: () => {},
  };
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const client = new (slackSdk().WebClient)(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl } : {}),
    retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
    timeout,
    rejectRateLimitedCalls: true,
    logger: quiet as never,
  });
  timeouts.set(client, timeout);
  return client;
}

export interface PostOptions extends RateLimitBound {
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  /** Masks secrets in what `notifyRun` posts (a handler passes `ctx.redact`): a failure's reason quotes raw error text. */
  readonly redact?: (text: string) => string;
}

/** Waits `ms` or until `signal` aborts, and removes its abort listener either way (a run's signal outlives many waits). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Why a request never got an answer, as the network said it: `connect ECONNREFUSED 127.0.0.1:9`,
 * `no answer within 30 s`. fetch's own message ("fetch failed") says neither what nor where.
 */
function unreachable(original: { name?: string; message?: string; cause?: { message?: string } } | undefined, client: WebClient): string {
  const timeout = timeouts.get(client);
  if (original?.name === 'TimeoutError') return timeout === undefined ? 'no answer in time' : `no answer within ${timeout / 1000} s`;
  return original?.cause?.message ?? original?.message ?? 'no answer';
}

function translate(error: unknown, where: string, client: WebClient): SlackNotificationError {
  const e = error as {
    code?: string;
    data?: { error?: string };
    original?: { name?: string; message?: string; cause?: { message?: string } };
    message?: string;
  };
  if (e.code === slackSdk().ErrorCode.PlatformError) {
    const code = e.data?.error ?? 'unknown_error';
    const hint =
      code === 'channel_not_found'
        ? '; check the channel name and that the bot was invited to it'
        : code === 'invalid_auth' || code === 'not_authed'
          ? '; check the bot token'
          : '';
    return new SlackNotificationError(`Slack refused the message to ${where}: ${code}${hint}`, code);
  }
  if (e.code === slackSdk().ErrorCode.RequestError)
    return new SlackNotificationError(
      `could not reach Slack at ${client.slackApiUrl} to post to ${where}: ${unreachable(e.original, client)}; check the Slack API URL and the network`,
      'request_error',
      { cause: error },
    );
  if (e.code === slackSdk().ErrorCode.HTTPError)
    return new SlackNotificationError(`Slack answered an HTTP error for ${where}: ${e.message}`, 'http_error');
  return new SlackNotificationError(`posting to ${where} failed: ${e.message ?? String(error)}`, 'unknown_error');
}

/** Posts one message with chat.postMessage; returns Slack's channel and ts. */
export async function postMessage(
  client: WebClient,
  channel: string,
  payload: SlackPayload,
  options: PostOptions = {},
): Promise<{ channel: string; ts: string }> {
  const retries = options.retries ?? 3;
  const maxWait = options.maxWaitSeconds ?? 60;
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const answer = await client.chat.postMessage({ channel, text: payload.text, blocks: [...payload.blocks] as never });
      return { channel: answer.channel ?? channel, ts: answer.ts ?? '' };
    } catch (error) {
      const limited = error as { code?: string; retryAfter?: number };
      if (limited.code !== slackSdk().ErrorCode.RateLimitedError) throw translate(error, channel, client);
      const wait = limited.retryAfter ?? 1;
      if (attempt >= retries || wait > maxWait) {
        throw new SlackNotificationError(
          `Slack rate-limited the message to ${channel} (${attempt + 1} times, Retry-After ${wait} s); try again later`,
          'ratelimited',
        );
      }
      options.log?.warn(`Slack rate-limited the message to ${channel}; waiting ${wait} s (retry ${attempt + 1} of ${retries})`);
      await sleep(wait * 1000, options.signal);
    }
  }
}

/** Posts to an incoming webhook URL (the URL is a secret: never logged). */
export async function postWebhook(url: string, payload: SlackPayload, options: PostOptions & { fetch?: typeof fetch } = {}): Promise<void> {
  const fetchFn = options.fetch ?? fetch;
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: options.signal,
      });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new SlackNotificationError(
        `could not reach the Slack webhook: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}; check the webhook URL and the network`,
        'request_error',
      );
    }
    const body = (await response.text()).trim();
    if (response.ok) return;
    if (response.status === 429) {
      const wait = Number.parseInt(response.headers.get('retry-after') ?? '1', 10);
      if (attempt < retries && wait <= (options.maxWaitSeconds ?? 60)) {
        options.log?.warn(`the Slack webhook rate-limited the message; waiting ${wait} s (retry ${attempt + 1} of ${retries})`);
        await sleep(wait * 1000, options.signal);
        continue;
      }
      throw new SlackNotificationError(`the Slack webhook rate-limited the message (${attempt + 1} times); try again later`, 'ratelimited');
    }
    const code = /^[a-z_]+$/.test(body) ? body : `http_${response.status}`;
    throw new SlackNotificationError(`the Slack webhook refused the message: ${code} (HTTP ${response.status})`, code);
  }
}

export type NotificationTarget =
  | { readonly kind: 'bot'; readonly client: WebClient; readonly channels: { readonly success: string; readonly failure: string } }
  | { readonly kind: 'webhook'; readonly urls: { readonly success: string; readonly failure: string } };

/** Posts a run's outcome: successes to one channel, failures (and cancellations) to another. */
export async function notifyRun(
  target: NotificationTarget,
  run: RunSummary,
  options: PostOptions = {},
): Promise<{ destination: string; ts?: string }> {
  const payload = runMessage(options.redact ? redactSummary(run, options.redact) : run);
  const outcome = run.status === 'passed' ? 'success' : 'failure';
  if (target.kind === 'bot') {
    const posted = await postMessage(target.client, target.channels[outcome], payload, options);
    options.log?.info(`posted to ${posted.channel}`, { ts: posted.ts });
    return { destination: posted.channel, ts: posted.ts };
  }
  await postWebhook(target.urls[outcome], payload, options);
  options.log?.info(`posted to the ${outcome} webhook`);
  return { destination: `${outcome} webhook` };
}
