// HTTP requests for the many steps that are "call this endpoint": Node's own fetch, with a time limit
// per attempt, retries with backoff on network errors, 429 and 5xx (honouring Retry-After), the run's
// stop signal, and errors that name the method and URL with credentials and secret headers masked.
import { sleep } from '../job/poll.ts';
import { SeqrunError } from '../../errors.ts';

export interface HttpRequest {
  readonly url: string;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; anything else as JSON (with `content-type: application/json`). */
  readonly body?: unknown;
  /** Per attempt (default 30 s). */
  readonly timeoutMs?: number;
  /** Attempts in all (default 3); only network errors, 429 and 5xx are retried. */
  readonly attempts?: number;
  /** Wait before the second attempt, doubled each time (default 500 ms), unless Retry-After says more. */
  readonly backoffMs?: number;
  /** Statuses that count as success (default: 200-299). */
  readonly ok?: (status: number) => boolean;
  readonly signal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** `code`: HTTP_STATUS (an answer that was not a success) or HTTP_NO_RESPONSE. */
export class HttpError extends SeqrunError {
  override readonly name = 'HttpError';
  /** The last status, or null when no response came (network error, time limit). */
  readonly status: number | null;
  readonly url: string;
  constructor(message: string, status: number | null, url: string, options?: ErrorOptions) {
    super(message, status === null ? 'HTTP_NO_RESPONSE' : 'HTTP_STATUS', options);
    this.status = status;
    this.url = url;
  }
}

/** Headers whose values are credentials: never in an error message or a log line. */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|x-auth-token|api-key)$/i;

/** A URL fit for messages: userinfo and the values of query parameters that look secret masked. */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    for (const key of [...parsed.searchParams.keys()]) {
      if (/token|key|secret|signature|sig|password|auth/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString().replaceAll('%2A', '*');
  } catch {
    return '<invalid URL>';
  }
}

/** The headers of a request as they may be shown: secret ones masked. */
export function shownHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADER.test(k) ? '***' : v]));
}

const retryable = (status: number): boolean => status === 429 || status >= 500;

function retryAfterMs(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** `https://user:pass@host/...`: fetch refuses userinfo, so it travels as Basic authorization instead (as curl sends it). */
function withoutUserinfo(url: string): { url: string; authorization?: string } {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return { url };
    const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
    parsed.username = '';
    parsed.password = '';
    return { url: parsed.toString(), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
  } catch {
    return { url };
  }
}

function encodeBody(request: HttpRequest): { body?: string; headers: Record<string, string> } {
  const headers = { ...request.headers };
  if (request.body === undefined) return { headers };
  if (typeof request.body === 'string') return { body: request.body, headers };
  const hasType = Object.keys(headers).some((k) => k.toLowerCase() === 'content-type');
  return { body: JSON.stringify(request.body), headers: hasType ? headers : { ...headers, 'content-type': 'application/json' } };
}

async function readResponse(response: Response): Promise<HttpResponse> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  return { status: response.status, headers, text, json };
}

/** One attempt: the response, or the error that prevented one. */
async function attempt(
  request: HttpRequest,
  method: string,
): Promise<{ response: HttpResponse; retryAfter: number | null } | { error: unknown }> {
  const limit = AbortSignal.timeout(request.timeoutMs ?? 30_000);
  const signal = request.signal ? AbortSignal.any([request.signal, limit]) : limit;
  try {
    const { body, headers } = encodeBody(request);
    const { url, authorization } = withoutUserinfo(request.url);
    const hasAuthorization = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
    if (authorization && !hasAuthorization) headers['authorization'] = authorization;
    const response = await fetch(url, { method, headers, signal, ...(body === undefined ? {} : { body }) });
    return { response: await readResponse(response), retryAfter: retryAfterMs(response.headers.get('retry-after')) };
  } catch (error) {
    if (request.signal?.aborted) throw request.signal.reason;
    return { error };
  }
}

const causeText = (error: unknown): string => {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
};

/** Sends `request`, retrying what is worth retrying; resolves with a response whose status is ok. */
export async function httpRequest(request: HttpRequest): Promise<HttpResponse> {
  const method = (request.method ?? 'GET').toUpperCase();
  const attempts = Math.max(1, request.attempts ?? 3);
  const isOk = request.ok ?? ((status: number) => status >= 200 && status < 300);
  const where = `${method} ${shownUrl(request.url)}`;
  let delay = request.backoffMs ?? 500;
  for (let n = 1; ; n++) {
    const result = await attempt(request, method);
    const last = n >= attempts;
    if ('response' in result) {
      const { response } = result;
      if (isOk(response.status)) return response;
      if (last || !retryable(response.status)) {
        const body = response.text.trim().slice(0, 200);
        throw new HttpError(
          `${where} answered ${response.status}${body ? `: ${body}` : ''} (attempt ${n} of ${attempts})`,
          response.status,
          request.url,
        );
      }
      await sleep(Math.max(delay, result.retryAfter ?? 0), request.signal);
    } else {
      const cause = causeText(result.error).replaceAll(request.url, shownUrl(request.url));
      if (last) throw new HttpError(`${where} failed: ${cause} (attempt ${n} of ${attempts})`, null, request.url, { cause: result.error });
      await sleep(delay, request.signal);
    }
    delay *= 2;
  }
}
