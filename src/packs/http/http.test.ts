// The HTTP and job packs against a real HTTP server on 127.0.0.1 (local server), started here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../../test/support/handler-context.ts';
import { PollTimeoutError, pollingJob } from '../job/index.ts';
import { httpRequest, pollUrl, shownUrl, urlJob } from './index.ts';

let server: Server;
let base: string;
const hits = new Map<string, number>();
const seen: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];

function route(request: IncomingMessage, response: ServerResponse, body: string): void {
  const path = request.url ?? '/';
  const n = (hits.get(path) ?? 0) + 1;
  hits.set(path, n);
  seen.push({ path, headers: request.headers, body });
  const send = (status: number, text: string, headers: Record<string, string> = {}): void => {
    response.writeHead(status, headers).end(text);
  };
  if (path === '/ok') return send(200, JSON.stringify({ ok: true }), { 'content-type': 'application/json' });
  if (path === '/echo') return send(201, body);
  if (path === '/flaky') return n < 3 ? send(503, 'busy') : send(200, 'fine');
  if (path === '/limited') return n < 2 ? send(429, 'slow down', { 'retry-after': '0' }) : send(200, 'now');
  if (path === '/missing') return send(404, 'no such thing');
  if (path.startsWith('/health')) return n < 3 ? send(503, 'starting') : send(200, '{"status":"green"}');
  if (path === '/deploy/7') return n < 2 ? send(200, '{"state":"running"}') : send(200, '{"state":"failed","reason":"bad image"}');
  return send(500, 'unexpected');
}

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => route(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('httpRequest (local server)', () => {
  it('sends JSON, reads JSON, and passes headers', async () => {
    const echo = await httpRequest({
      url: `${base}/echo`,
      method: 'post',
      body: { release: 42 },
      headers: { authorization: 'Bearer abc' },
    });
    expect(echo.status).toBe(201);
    expect(echo.json).toEqual({ release: 42 });
    expect(seen.at(-1)?.headers['content-type']).toBe('application/json');
    expect((await httpRequest({ url: `${base}/ok` })).json).toEqual({ ok: true });
  });

  it('retries 5xx and 429 (honouring Retry-After) and gives up on a 404 at once', async () => {
    expect((await httpRequest({ url: `${base}/flaky`, backoffMs: 10 })).text).toBe('fine');
    expect(hits.get('/flaky')).toBe(3);
    expect((await httpRequest({ url: `${base}/limited`, backoffMs: 10 })).text).toBe('now');
    const missing = httpRequest({ url: `${base}/missing`, backoffMs: 10 });
    await expect(missing).rejects.toThrow(`GET ${base}/missing answered 404: no such thing (attempt 1 of 3)`);
    expect(hits.get('/missing')).toBe(1);
  });

  it('sends URL credentials as Basic authorization and names a refused connection without them', async () => {
    await httpRequest({ url: `${base.replace('http://', 'http://deploy:s3cret@')}/ok` });
    expect(seen.at(-1)?.headers['authorization']).toBe(`Basic ${Buffer.from('deploy:s3cret').toString('base64')}`);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = httpRequest({ url: `http://user:s3cret@127.0.0.1:${port}/x?token=abc&page=2`, attempts: 2, backoffMs: 5 });
    await expect(refused).rejects.toThrow(
      new RegExp(`^GET http://\\*\\*\\*@127\\.0\\.0\\.1:${port}/x\\?token=\\*\\*\\*&page=2 failed: ECONNREFUSED \\(attempt 2 of 2\\)$`),
    );
    expect(shownUrl('https://a:b@example.com/p?sig=1')).toBe('https://***@example.com/p?sig=***');
  });
});

describe('polling (local server)', () => {
  it('pollUrl waits until the URL is healthy, reporting each new status', async () => {
    const statuses: string[] = [];
    const response = await pollUrl({ url: `${base}/health-a` }, { intervalMs: 5, onStatus: (s) => statuses.push(s) });
    expect(response.json).toEqual({ status: 'green' });
    expect(statuses).toEqual(['HTTP 503']);
  });

  it('pollUrl gives up after its time limit with the last status', async () => {
    const never = pollUrl({ url: `${base}/missing` }, { intervalMs: 5, timeoutMs: 40 });
    await expect(never).rejects.toBeInstanceOf(PollTimeoutError);
    await expect(pollUrl({ url: `${base}/missing` }, { intervalMs: 5, timeoutMs: 40 })).rejects.toThrow(/last status: HTTP 404/);
  });

  it('urlJob journals the arguments and the URL, not the headers, and builds the request again to poll', async () => {
    const job = urlJob({
      intervalMs: 5,
      request: (ctx, path) => ({ url: `${base}/${String(path)}`, headers: { authorization: `Bearer ${ctx.env['API_TOKEN'] ?? ''}` } }),
    });
    const ctx = { ...testContext(), env: { API_TOKEN: 'tok-123' } };
    const handle = await job.start(ctx, 'health-b');
    expect(handle).toEqual({ args: ['health-b'], url: `${base}/health-b` });
    expect(JSON.stringify(handle)).not.toContain('tok-123');
    expect(await job.wait(ctx, handle)).toEqual({ status: 200, body: '{"status":"green"}' });
    expect(seen.filter((s) => s.path === '/health-b').map((s) => s.headers['authorization'])).toEqual([
      'Bearer tok-123',
      'Bearer tok-123',
      'Bearer tok-123',
    ]);
  });

  it('pollingJob: a deployment that fails while polled fails the wait with its reason; cancel is called on demand', async () => {
    const cancelled: number[] = [];
    const job = pollingJob<{ id: number }, string>({
      intervalMs: 5,
      start: async () => ({ id: 7 }),
      poll: async (_ctx, { id }) => {
        const { json } = await httpRequest({ url: `${base}/deploy/${id}` });
        const state = (json as { state: string; reason?: string }).state;
        if (state === 'failed') throw new Error(`deployment ${id} failed: ${(json as { reason: string }).reason}`);
        return state === 'done' ? { done: true, value: state } : { done: false, status: state };
      },
      cancel: async (_ctx, { id }) => void cancelled.push(id),
      describe: ({ id }) => `deployment ${id}`,
    });
    const ctx = testContext();
    const handle = await job.start(ctx);
    await expect(job.wait(ctx, handle)).rejects.toThrow('deployment 7 failed: bad image');
    expect(ctx.log.lines.map((l) => l.message)).toEqual(['started deployment 7', 'deployment 7: running']);
    await job.cancel?.(ctx, handle);
    expect(cancelled).toEqual([7]);
  });

  it('a stopped run stops the polling at once', async () => {
    const controller = new AbortController();
    const waiting = pollUrl({ url: `${base}/missing` }, { intervalMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run stopped')), 20);
    await expect(waiting).rejects.toThrow('run stopped');
  });
});
