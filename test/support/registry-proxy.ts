// A proxy in front of a real docker-registry for fault and auth tests: it can fail blob uploads midway,
// corrupt a blob on its way out, and demand Basic or Bearer (token realm) authentication.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyFaults {
  /** Answer 500 to this many blob upload PUTs, after reading part of the body. */
  failUploads: number;
  /** Flip one byte of this blob whenever it is read. */
  corruptBlob: string | null;
  /** Answer 429 (Retry-After: 0) to this many of the next requests. */
  tooManyRequests: number;
}

export type ProxyAuth =
  | { kind: 'none' }
  | { kind: 'basic'; username: string; password: string }
  /** Bearer tokens from the proxy's own /token realm, which checks these Basic credentials. */
  | { kind: 'bearer'; username: string; password: string };

export interface RegistryProxy {
  readonly url: string;
  readonly faults: ProxyFaults;
  auth: ProxyAuth;
  /** `METHOD path status` for every request, in order. */
  readonly seen: string[];
  /** The scopes of each token request. */
  readonly tokenRequests: string[][];
  close(): Promise<void>;
}

function basicOf(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export async function startRegistryProxy(upstream: string): Promise<RegistryProxy> {
  const target = new URL(upstream);
  const issued = new Set<string>();
  let counter = 0;
  const proxy: Omit<RegistryProxy, 'url' | 'close'> = {
    faults: { failUploads: 0, corruptBlob: null, tooManyRequests: 0 },
    auth: { kind: 'none' },
    seen: [],
    tokenRequests: [],
  };

  const token = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const auth = proxy.auth;
    proxy.tokenRequests.push(url.searchParams.getAll('scope'));
    if (auth.kind !== 'bearer' || req.headers.authorization !== basicOf(auth.username, auth.password)) {
      res.writeHead(401).end('{"details":"bad credentials"}');
      return;
    }
    const value = `token-${++counter}`;
    issued.add(value);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: value }));
  };

  const authorised = (req: IncomingMessage, res: ServerResponse, base: string): boolean => {
    const auth = proxy.auth;
    if (auth.kind === 'none') return true;
    if (auth.kind === 'basic' && req.headers.authorization === basicOf(auth.username, auth.password)) return true;
    if (auth.kind === 'bearer' && issued.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return true;
    const challenge = auth.kind === 'basic' ? 'Basic realm="sandbox"' : `Bearer realm="${base}/token",service="sandbox-registry"`;
    req.resume();
    res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    return false;
  };

  const server = createServer((req, res) => {
    const base = `http://${req.headers.host}`;
    const url = new URL(req.url ?? '/', base);
    const done = (status: number): void => void proxy.seen.push(`${req.method} ${url.pathname} ${status}`);
    if (url.pathname === '/token') return token(req, res, url);
    if (!authorised(req, res, base)) return done(401);
    if (proxy.faults.tooManyRequests > 0) {
      proxy.faults.tooManyRequests--;
      req.resume();
      res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' }).end('{"errors":[{"code":"TOOMANYREQUESTS"}]}');
      return done(429);
    }
    if (req.method === 'PUT' && url.pathname.includes('/blobs/uploads/') && proxy.faults.failUploads > 0) {
      proxy.faults.failUploads--;
      let received = 0;
      req.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > 0 && !res.headersSent) {
          res
            .writeHead(500, { 'content-type': 'application/json', connection: 'close' })
            .end('{"errors":[{"code":"UNKNOWN","message":"injected fault"}]}');
          req.destroy();
        }
      });
      req.on('end', () => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return done(500);
    }
    const headers = { ...req.headers };
    delete headers.authorization;
    const upstreamRequest = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const corrupt =
        req.method === 'GET' && proxy.faults.corruptBlob !== null && url.pathname.endsWith(`/blobs/${proxy.faults.corruptBlob}`);
      res.writeHead(up.statusCode ?? 502, up.headers);
      done(up.statusCode ?? 502);
      if (!corrupt) return void up.pipe(res);
      let first = true;
      up.on('data', (chunk: Buffer) => {
        if (first && chunk.length > 0) {
          chunk[0] = (chunk[0] ?? 0) ^ 0xff;
          first = false;
        }
        res.write(chunk);
      });
      up.on('end', () => res.end());
    });
    upstreamRequest.on('error', () => res.writeHead(502).end());
    req.pipe(upstreamRequest);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
