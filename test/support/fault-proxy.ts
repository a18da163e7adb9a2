// A tiny HTTP proxy in front of a local endpoint that answers the first `failures` matching requests
// with an AWS JSON error (e.g. 400 ThrottlingException), then forwards everything.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';

export interface FaultProxy {
  readonly url: string;
  /** Requests answered with the fault so far. */
  readonly faulted: () => number;
  readonly forwarded: () => number;
  stop(): Promise<void>;
}

export async function startFaultProxy(
  target: string,
  fault: { failures: number; status: number; type: string; matches?: (request: IncomingMessage) => boolean },
): Promise<FaultProxy> {
  const upstream = new URL(target);
  let faulted = 0;
  let forwarded = 0;
  const server = createServer((request, response) => {
    if (faulted < fault.failures && (fault.matches?.(request) ?? true)) {
      faulted += 1;
      request.resume();
      response.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': fault.type });
      response.end(JSON.stringify({ __type: fault.type, message: 'Rate exceeded' }));
      return;
    }
    forwarded += 1;
    const proxied = httpRequest(
      { hostname: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    proxied.on('error', (error) => {
      response.writeHead(502);
      response.end(error.message);
    });
    request.pipe(proxied);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    faulted: () => faulted,
    forwarded: () => forwarded,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
