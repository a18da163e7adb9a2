// The local CodeBuild endpoint: CodeBuild's JSON 1.1 protocol (X-Amz-Target: CodeBuild_20161006.<Op>)
// and CloudWatch Logs GetLogEvents (Logs_20140328.GetLogEvents) on 127.0.0.1, running real builds.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ServiceError } from './model.ts';
import { CodeBuildOperations } from './operations.ts';
import { EndpointState } from './state.ts';

export interface CodeBuildEndpointOptions {
  /** Folder for projects, builds, sources and logs (created if missing). */
  readonly stateDir: string;
  /** Where S3 sources are fetched from (moto's URL locally; omit for AWS). */
  readonly s3Endpoint?: string;
  /** Port on 127.0.0.1 (default: a free one). */
  readonly port?: number;
  readonly region?: string;
  /** Credentials for fetching S3 sources (default test/test, what moto accepts). */
  readonly s3Credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Base environment of build commands (default: a standard PATH only). */
  readonly buildEnv?: Readonly<Record<string, string>>;
  /** Seconds per minute of `timeoutInMinutes`, so tests can time builds out fast (default 60). */
  readonly minuteSeconds?: number;
}

export interface CodeBuildEndpointStats {
  /** Calls received per operation, e.g. `{ StartBuild: 1, BatchGetBuilds: 12 }`. */
  readonly calls: Readonly<Record<string, number>>;
  /** Builds started per project, e.g. `{ 'pay-demo-amd64': 1 }`: the drills count builds started twice. */
  readonly startsByProject: Readonly<Record<string, number>>;
}

export interface CodeBuildEndpoint {
  /** `http://127.0.0.1:<port>`: the endpoint for both the CodeBuild and the CloudWatch Logs clients. */
  readonly url: string;
  readonly port: number;
  stats(): CodeBuildEndpointStats;
  /** Stops running builds (STOPPED) and closes the server. */
  stop(): Promise<void>;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const TARGET = /^(CodeBuild_20161006|Logs_20140328)\.(\w+)$/;
const OPERATIONS = new Set(['CreateProject', 'BatchGetProjects', 'StartBuild', 'BatchGetBuilds', 'StopBuild', 'GetLogEvents']);

export async function startCodeBuildEndpoint(options: CodeBuildEndpointOptions): Promise<CodeBuildEndpoint> {
  const state = new EndpointState(options.stateDir);
  const counts: Counts = { calls: {}, startsByProject: {} };
  let url = '';
  const operations = new CodeBuildOperations(state, {
    s3Endpoint: options.s3Endpoint,
    region: options.region ?? 'eu-west-1',
    credentials: options.s3Credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
    buildEnv: options.buildEnv ?? { PATH: DEFAULT_PATH },
    minuteSeconds: options.minuteSeconds ?? 60,
    url: () => url,
  });
  const server = createServer((request, response) => {
    void handle(request, response, operations, counts, state);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    stats: () => ({ calls: { ...counts.calls }, startsByProject: { ...counts.startsByProject } }),
    stop: async () => {
      await operations.stopAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Counts {
  readonly calls: Record<string, number>;
  readonly startsByProject: Record<string, number>;
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  operations: CodeBuildOperations,
  counts: Counts,
  state: EndpointState,
): Promise<void> {
  try {
    if (request.method === 'GET') return serveGet(request, response, counts, state);
    const match = TARGET.exec(String(request.headers['x-amz-target'] ?? ''));
    const operation = match?.[2];
    if (operation === undefined || !OPERATIONS.has(operation) || (match?.[1] === 'Logs_20140328') !== (operation === 'GetLogEvents')) {
      throw new ServiceError('UnknownOperationException', `unsupported X-Amz-Target "${String(request.headers['x-amz-target'])}"`);
    }
    counts.calls[operation] = (counts.calls[operation] ?? 0) + 1;
    const body = await readBody(request);
    const input = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    const known = operation === 'StartBuild' ? new Set(state.builds.keys()) : null;
    const output = (operations[operation as keyof CodeBuildOperations] as (input: Record<string, unknown>) => unknown).call(
      operations,
      input,
    );
    // Builds started, not calls: a StartBuild repeated with its idempotency token starts nothing.
    const started = known && (output as { build?: { id?: string } }).build?.id;
    if (started && !known.has(started)) {
      const project = String(input['projectName']);
      counts.startsByProject[project] = (counts.startsByProject[project] ?? 0) + 1;
    }
    send(response, 200, output);
  } catch (error) {
    const serviceError = error instanceof ServiceError ? error : new ServiceError('InternalFailure', (error as Error).message, 500);
    response.setHeader('x-amzn-errortype', serviceError.type);
    send(response, serviceError.status, { __type: serviceError.type, message: serviceError.message });
  }
}

function serveGet(request: IncomingMessage, response: ServerResponse, counts: Counts, state: EndpointState): void {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (path === '/_seqrun/stats') return send(response, 200, counts);
  // The build's logs link: plain text.
  const logs = /^\/logs\/[^/]+\/([\w-]+)$/.exec(path);
  const events = logs?.[1] === undefined ? undefined : state.logEvents(logs[1]);
  if (events !== undefined) {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(events.map((event) => `${event.message}\n`).join(''));
    return;
  }
  send(response, path === '/' ? 200 : 404, { service: 'seqrun local CodeBuild endpoint' });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.once('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify(body));
}
