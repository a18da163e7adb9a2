// A local Slack: the Web API's chat.postMessage (what @slack/web-api's WebClient calls when given
// `slackApiUrl`) and incoming webhooks. It keeps what it received and can be told to answer 429 or
// an error code, so notification failures can be rehearsed.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface SlackMessage {
  readonly via: 'chat.postMessage' | 'webhook';
  readonly channel: string;
  readonly text: string;
  readonly blocks: readonly unknown[];
  readonly ts: string;
}

export interface SlackFaults {
  /** Answer HTTP 429 to this many of the next requests. */
  rateLimit: number;
  /** The Retry-After (seconds) sent with a 429 (default 1). */
  retryAfterSeconds: number;
  /** Answer this Slack error code (e.g. `channel_not_found`) to this many of the next requests. */
  error: { code: string; times: number } | null;
}

export interface SlackServerOptions {
  readonly port?: number;
  /** Appends each message to `<stateDir>/messages.jsonl` (read by `seqrun sandbox status`). */
  readonly stateDir?: string;
  /** Only these channels exist; others answer channel_not_found. Default: every channel exists. */
  readonly channels?: readonly string[];
}

export interface SlackServer {
  /** The Web API base URL for WebClient's `slackApiUrl`, e.g. `http://127.0.0.1:5555/api/`. */
  readonly url: string;
  readonly port: number;
  webhookUrl(channel: string): string;
  readonly messages: SlackMessage[];
  readonly faults: SlackFaults;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json'))
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  return Object.fromEntries(new URLSearchParams(text));
}

function blocksOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string' && value !== '') return JSON.parse(value) as unknown[];
  return [];
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export async function startSlackServer(options: SlackServerOptions = {}): Promise<SlackServer> {
  const messages: SlackMessage[] = [];
  const faults: SlackFaults = { rateLimit: 0, retryAfterSeconds: 1, error: null };
  let sequence = 0;
  if (options.stateDir) await mkdir(options.stateDir, { recursive: true });

  /** The fault to answer, if any: a 429 or a Slack error code. */
  const injected = (): { status: 429 } | { code: string } | null => {
    if (faults.rateLimit > 0) {
      faults.rateLimit--;
      return { status: 429 };
    }
    if (faults.error && faults.error.times > 0) {
      faults.error.times--;
      return { code: faults.error.code };
    }
    return null;
  };
  const exists = (channel: string): boolean => options.channels === undefined || options.channels.includes(channel);
  const keep = async (message: Omit<SlackMessage, 'ts'>): Promise<SlackMessage> => {
    const stored = { ...message, ts: `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}` };
    messages.push(stored);
    if (options.stateDir) await appendFile(join(options.stateDir, 'messages.jsonl'), `${JSON.stringify(stored)}\n`);
    return stored;
  };

  const postMessage = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || String(body['token'] ?? '');
    if (token === '') return json(res, 200, { ok: false, error: 'not_authed' });
    if (!token.startsWith('xox')) return json(res, 200, { ok: false, error: 'invalid_auth' });
    const fault = injected();
    if (fault && 'status' in fault)
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(faults.retryAfterSeconds) });
    if (fault) return json(res, 200, { ok: false, error: fault.code });
    const channel = String(body['channel'] ?? '');
    if (channel === '' || !exists(channel)) return json(res, 200, { ok: false, error: 'channel_not_found' });
    const stored = await keep({ via: 'chat.postMessage', channel, text: String(body['text'] ?? ''), blocks: blocksOf(body['blocks']) });
    json(res, 200, { ok: true, channel, ts: stored.ts, message: { text: stored.text, blocks: stored.blocks } });
  };

  const webhook = async (req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> => {
    const body = await readBody(req);
    const fault = injected();
    if (fault && 'status' in fault) return void res.writeHead(429, { 'retry-after': String(faults.retryAfterSeconds) }).end('rate_limited');
    if (fault) return void res.writeHead(400).end(fault.code);
    if (!exists(channel)) return void res.writeHead(404).end('channel_not_found');
    await keep({ via: 'webhook', channel, text: String(body['text'] ?? ''), blocks: blocksOf(body['blocks']) });
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  };

  const control = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET') return json(res, 200, { messages });
    const body = await readBody(req);
    if (typeof body['rateLimit'] === 'number') faults.rateLimit = body['rateLimit'];
    if (typeof body['retryAfterSeconds'] === 'number') faults.retryAfterSeconds = body['retryAfterSeconds'];
    if (typeof body['error'] === 'string')
      faults.error = { code: body['error'], times: typeof body['times'] === 'number' ? body['times'] : 1 };
    json(res, 200, { faults });
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handle = async (): Promise<void> => {
      if (req.method === 'POST' && path === '/api/chat.postMessage') return postMessage(req, res);
      if (req.method === 'POST' && path.startsWith('/services/'))
        return webhook(req, res, decodeURIComponent(path.slice('/services/'.length)));
      if (path === '/_sandbox/messages' || path === '/_sandbox/faults') return control(req, res);
      if (path.startsWith('/api/')) return json(res, 200, { ok: false, error: 'unknown_method' });
      res.writeHead(404).end('not found');
    };
    handle().catch((error: unknown) => json(res, 500, { ok: false, error: 'internal_error', detail: String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  return {
    url: `${base}/api/`,
    port,
    webhookUrl: (channel) => `${base}/services/${encodeURIComponent(channel)}`,
    messages,
    faults,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads the messages a (possibly detached) sandbox Slack server kept in `stateDir`. */
export async function readSlackMessages(stateDir: string): Promise<SlackMessage[]> {
  const text = await readFile(join(stateDir, 'messages.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SlackMessage);
}
