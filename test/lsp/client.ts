// A real LSP client for the tests: `node bin/seqrun.js lsp --stdio` in a child process, spoken to over
// its stdin and stdout with vscode-languageserver-protocol's connection (JSON-RPC framing and all).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  type Diagnostic,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const uriOf = (file: string): string => pathToFileURL(file).href;

/**
 * A project in `dir` bound by the seed's test bindings (test/fixtures/seed-bindings) and `./extra.ts`
 * (written from `extra`), with `specs` as its specs and `steps` as its step overrides.
 */
export async function writeSeedProject(
  dir: string,
  extra: string,
  specs: readonly string[],
  steps: Record<string, unknown> = {},
): Promise<void> {
  const fixture = join(repo, 'test/fixtures/seed-bindings/steps');
  const bindings = ['arch.ts', 'tags.ts', 'interim.ts'].map((f) => JSON.stringify(join(fixture, f)));
  const config = `export default {\n  bindings: [${bindings.join(', ')}, './extra.ts'],\n  specs: ${JSON.stringify(specs)},\n  steps: ${JSON.stringify(steps)},\n};\n`;
  await writeFile(join(dir, 'seqrun.config.ts'), config);
  await writeFile(join(dir, 'extra.ts'), extra);
}

type Waiter = { uri: string; accept: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void };

export interface LspClient {
  readonly connection: ProtocolConnection;
  /** The latest diagnostics published for each URI. */
  readonly diagnostics: Map<string, Diagnostic[]>;
  /** Resolves with the first diagnostics for `uri` (the latest, if already published) that `accept` takes. */
  diagnosticsFor(uri: string, accept?: (d: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  /** What the server wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function startServer(cwd: string, args: readonly string[] = []): Promise<LspClient> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [join(repo, 'bin/seqrun.js'), 'lsp', '--stdio', ...args], {
    cwd,
    env: { ...process.env, SEQRUN_PROFILE: '' },
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const diagnostics = new Map<string, Diagnostic[]>();
  let waiters: Waiter[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, ({ uri, diagnostics: list }) => {
    diagnostics.set(uri, list);
    const done = waiters.filter((w) => w.uri === uri && w.accept(list));
    waiters = waiters.filter((w) => !done.includes(w));
    for (const w of done) w.resolve(list);
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uriOf(cwd),
    capabilities: {},
    workspaceFolders: null,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    connection,
    diagnostics,
    diagnosticsFor: (uri, accept = () => true) => {
      const known = diagnostics.get(uri);
      if (known && accept(known)) return Promise.resolve(known);
      return new Promise((resolve) => waiters.push({ uri, accept, resolve }));
    },
    stderr: () => errors,
    stop: async () => {
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await exited;
      connection.dispose();
    },
  };
}
