// A small OCI distribution API client on fetch: authentication, bounded retries on 5xx and network
// errors (bodies are factories so a retry sends them again), errors that say what to do.
import type { Logger } from '../../bind/types.ts';
import type { RegistryAuth } from './auth.ts';
import { basicHeader, fetchToken, parseChallenge, RegistryAuthError } from './auth.ts';
import { SeqrunError } from '../../errors.ts';

export interface RetrySettings {
  /** Total attempts including the first (default 4). */
  readonly attempts: number;
  /** First delay; doubled per attempt (default 250 ms). */
  readonly backoffMs: number;
  /** The longest Retry-After of a 429 that is waited for (default 30 s). */
  readonly maxWaitMs: number;
}

export interface RegistryClientOptions {
  /** Base URL, e.g. `https://registry-1.docker.io` or `http://127.0.0.1:5000`. */
  readonly url: string;
  readonly auth?: RegistryAuth;
  readonly retry?: Partial<RetrySettings>;
  readonly log?: Logger;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

export interface RegistryRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** A path under the base URL (`/v2/...`) or an absolute URL (upload locations). */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Called once per attempt, so a stream can be opened again. */
  readonly body?: () => BodyInit | AsyncIterable<Uint8Array>;
  /** Token scopes, e.g. `repository:pay/app:pull,push`. */
  readonly scopes: readonly string[];
  /** Send once, no retry (single-use upload locations; the caller retries the whole upload). */
  readonly once?: boolean;
}

export class RegistryError extends SeqrunError {
  override readonly name = 'RegistryError';
  readonly status: number | null;
  readonly retryable: boolean;
  constructor(message: string, status: number | null, retryable: boolean, options?: ErrorOptions) {
    super(message, 'REGISTRY_FAILED', options);
    this.status = status;
    this.retryable = retryable;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RegistryClient {
  readonly url: string;
  private readonly fetchFn: typeof fetch;
  private readonly retry: RetrySettings;
  private readonly tokens = new Map<string, string>();
  private basic = false;

  private readonly options: RegistryClientOptions;
  constructor(options: RegistryClientOptions) {
    this.options = options;
    this.url = options.url.replace(/\/+$/, '');
    this.fetchFn = options.fetch ?? fetch;
    this.retry = {
      attempts: options.retry?.attempts ?? 4,
      backoffMs: options.retry?.backoffMs ?? 250,
      maxWaitMs: options.retry?.maxWaitMs ?? 30_000,
    };
  }

  get log(): Logger | undefined {
    return this.options.log;
  }

  /** Same registry as `other` (cross-repository mounts are possible). */
  sameRegistry(other: RegistryClient): boolean {
    return new URL(this.url).origin === new URL(other.url).origin;
  }

  /** Sends `request`, retrying 5xx answers and network errors with backoff up to the attempt bound. */
  async send(request: RegistryRequest, what: string): Promise<Response> {
    let lastError: RegistryError | null = null;
    let waitMs = 0;
    const attempts = request.once ? 1 : this.retry.attempts;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.options.signal?.throwIfAborted();
      if (attempt > 1) await sleep(Math.max(waitMs, this.retry.backoffMs * 2 ** (attempt - 2)));
      waitMs = 0;
      try {
        const response = await this.sendAuthenticated(request);
        if (response.status < 500 && response.status !== 429) return response;
        await response.body?.cancel();
        // Docker Hub's pull limits answer 429 with Retry-After; wait it out within the same bound.
        if (response.status === 429) waitMs = Math.min(Number(response.headers.get('retry-after') ?? '1') * 1000, this.retry.maxWaitMs);
        lastError = new RegistryError(
          `${what}: the registry answered ${response.status}${response.status === 429 ? ' (too many requests)' : ''}`,
          response.status,
          true,
        );
      } catch (error) {
        if (error instanceof RegistryAuthError || (error instanceof RegistryError && !error.retryable)) throw error;
        if ((error as Error).name === 'AbortError') throw error;
        if (request.once) throw error;
        lastError = new RegistryError(`${what}: ${describeNetworkError(error)}`, null, true);
      }
      if (attempt < attempts) this.options.log?.warn(`${lastError.message}; retrying (attempt ${attempt + 1} of ${attempts})`);
    }
    if (request.once && lastError) throw lastError;
    throw new RegistryError(
      `${lastError?.message ?? what} after ${attempts} attempts; check the registry at ${this.url}`,
      lastError?.status ?? null,
      false,
    );
  }

  private async sendAuthenticated(request: RegistryRequest): Promise<Response> {
    const first = await this.sendOnce(request);
    if (first.status !== 401) return first;
    const challenge = parseChallenge(first.headers.get('www-authenticate') ?? '');
    await first.body?.cancel();
    const auth = this.options.auth;
    if (challenge?.scheme === 'basic') {
      if (auth?.kind !== 'basic')
        throw new RegistryAuthError(`${this.url} needs a username and password (Basic auth); configure the registry credentials`);
      this.basic = true;
    } else if (challenge?.scheme === 'bearer' && auth?.kind !== 'token') {
      this.tokens.set(scopeKey(request.scopes), await fetchToken(challenge, request.scopes, auth, this.fetchFn));
    } else {
      throw new RegistryAuthError(`${this.url} refused the credentials (401) for ${request.method} ${request.path}; check them`);
    }
    const second = await this.sendOnce(request);
    if (second.status === 401) {
      await second.body?.cancel();
      throw new RegistryAuthError(`${this.url} refused the credentials (401) for ${request.scopes.join(' ')}; check them`);
    }
    return second;
  }

  private async sendOnce(request: RegistryRequest): Promise<Response> {
    const headers: Record<string, string> = { ...request.headers };
    const auth = this.options.auth;
    const token = auth?.kind === 'token' ? auth.token : this.tokens.get(scopeKey(request.scopes));
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    else if (this.basic && auth?.kind === 'basic') headers['authorization'] = basicHeader(auth.username, auth.password);
    const url = /^https?:\/\//.test(request.path) ? request.path : `${this.url}${request.path}`;
    const body = request.body?.();
    return this.fetchFn(url, {
      method: request.method,
      headers,
      body: body as BodyInit | undefined,
      signal: this.options.signal,
      redirect: 'follow',
      ...(body !== undefined ? { duplex: 'half' } : {}),
    } as RequestInit);
  }

  /** Resolves an upload Location header against the registry URL. */
  resolve(location: string): URL {
    return new URL(location, `${this.url}/`);
  }
}

function scopeKey(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'the registry refused the connection (is it running?)';
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/** Reads an error body from the registry (`{"errors":[{"code","message"}]}`) into one line. */
export async function registryErrorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    const errors = parsed.errors?.map((e) => [e.code, e.message].filter(Boolean).join(': '));
    if (errors && errors.length > 0) return `${response.status} ${errors.join('; ')}`;
  } catch {
    // not JSON
  }
  return `${response.status}${text ? ` ${text.slice(0, 200)}` : ''}`;
}
