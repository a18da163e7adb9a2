// A stand-in for the CDN in front of the site (there is no CloudFront in the sandbox): it serves the
// site from its origin, the bucket, and keeps what it served until an invalidation clears it, as a CDN
// does. Its API takes invalidations (`POST /_api/invalidations`, a bearer token) that complete after a
// few looks (`GET /_api/invalidations/ID`), like CloudFront's. It listens on 127.0.0.1 inside the
// seqrun process and does not keep that process alive.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Cdn {
  /** Where the site is served. */
  readonly url: string;
  /** The invalidation API. */
  readonly apiUrl: string;
}

interface Cached {
  readonly status: number;
  readonly type: string;
  readonly body: Buffer;
}

interface Invalidation {
  readonly paths: readonly string[];
  looks: number;
}

const LOOKS_TO_COMPLETE = 2;

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: string | Buffer, type = 'application/json'): void {
  response.writeHead(status, { 'content-type': type }).end(body);
}

/** Starts the CDN; `origin` is the bucket's URL with its prefix (readable without credentials). */
export async function startCdn(options: { readonly origin: string; readonly token: string }): Promise<Cdn> {
  const cache = new Map<string, Cached>();
  const invalidations = new Map<string, Invalidation>();

  async function serve(path: string, response: ServerResponse): Promise<void> {
    const key = path === '/' ? '/index.html' : path;
    let entry = cache.get(key);
    if (entry === undefined) {
      const origin = await fetch(`${options.origin}${key}`);
      entry = {
        status: origin.status,
        type: origin.headers.get('content-type') ?? 'application/octet-stream',
        body: Buffer.from(await origin.arrayBuffer()),
      };
      if (origin.status !== 200) return send(response, origin.status === 403 ? 404 : origin.status, '');
      cache.set(key, entry);
      response.setHeader('x-cache', 'Miss from cdn');
    } else response.setHeader('x-cache', 'Hit from cdn');
    send(response, entry.status, entry.body, entry.type);
  }

  function look(id: string, response: ServerResponse): void {
    const invalidation = invalidations.get(id);
    if (invalidation === undefined) return send(response, 404, JSON.stringify({ message: `no invalidation ${id}` }));
    invalidation.looks += 1;
    if (invalidation.looks === LOOKS_TO_COMPLETE) {
      for (const key of [...cache.keys()])
        if (invalidation.paths.some((p) => (p.endsWith('*') ? key.startsWith(p.slice(0, -1)) : key === p))) cache.delete(key);
    }
    send(response, 200, JSON.stringify({ id, status: invalidation.looks >= LOOKS_TO_COMPLETE ? 'Completed' : 'InProgress' }));
  }

  async function api(request: IncomingMessage, path: string, response: ServerResponse): Promise<void> {
    if (request.headers.authorization !== `Bearer ${options.token}`) return send(response, 401, JSON.stringify({ message: 'bad token' }));
    if (request.method === 'POST' && path === '/_api/invalidations') {
      const paths = (JSON.parse(await bodyOf(request)) as { paths?: unknown }).paths;
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.startsWith('/')))
        return send(response, 400, JSON.stringify({ message: 'paths must be a list of paths starting with /' }));
      const id = `I${randomBytes(6).toString('hex').toUpperCase()}`;
      invalidations.set(id, { paths, looks: 0 });
      return send(response, 201, JSON.stringify({ id, status: 'InProgress' }));
    }
    const match = /^\/_api\/invalidations\/([A-Z0-9]+)$/.exec(path);
    if (request.method === 'GET' && match?.[1]) return look(match[1], response);
    send(response, 404, JSON.stringify({ message: `no ${request.method} ${path}` }));
  }

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://cdn').pathname;
    const answer = path.startsWith('/_api/')
      ? api(request, path, response)
      : request.method === 'GET' && !path.includes('..')
        ? serve(path, response)
        : Promise.resolve(send(response, 405, ''));
    answer.catch((error: unknown) => send(response, 502, JSON.stringify({ message: `origin: ${(error as Error).message}` })));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, apiUrl: `${url}/_api` };
}
