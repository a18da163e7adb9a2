// Starts moto in server mode on 127.0.0.1 with a free port: the local S3, ECR, SQS and Step Functions for tests, benches
// and `seqrun sandbox`. Each caller owns its server (start, reset between tests, stop).
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort, waitUntilAnswers } from './ports.ts';
import { SeqrunError } from '../errors.ts';

export interface MotoOptions {
  /** Port to bind (default: a free one). */
  readonly port?: number;
  /**
   * The whole environment of moto_server (default: inherited). Pass `{ ...env, INITIAL_NO_AUTH_ACTION_COUNT: '0' }`
   * to make moto check credentials.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The moto_server executable (default `moto_server` on PATH). */
  readonly command?: string;
}

export interface MotoServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Forgets every bucket, repository and image (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  // A free port can be taken between finding it and moto binding it: then try another one.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await launch(options.port ?? (await freePort()), options);
    } catch (error) {
      if (options.port !== undefined || attempt >= 3 || !(error instanceof MotoExited)) throw error;
    }
  }
}

class MotoExited extends SeqrunError {
  override readonly name = 'MotoExited';
  constructor(message: string) {
    super(message, 'MOTO_EXITED');
  }
}

async function launch(port: number, options: MotoOptions): Promise<MotoServer> {
  const url = `http://127.0.0.1:${port}`;
  const command = options.command ?? 'moto_server';
  const child = spawn(command, ['-H', '127.0.0.1', '-p', String(port)], {
    ...(options.env === undefined ? {} : { env: { ...options.env } }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  const exited = new Promise<Error>((resolve) => {
    child.once('error', (error) =>
      resolve(new Error(`cannot start ${command}: ${error.message} (install it with: pip install 'moto[server]')`)),
    );
    child.once('exit', (code) =>
      resolve(new MotoExited(`${command} exited with code ${code} before answering on ${url}:\n${stderr.slice(-2000)}`)),
    );
  });
  const giveUp = new AbortController();
  const ready = waitUntilAnswers(`${url}/moto-api/`, {
    timeoutMs: 30_000,
    abandon: () => (giveUp.signal.aborted ? `${command} exited` : null),
  });
  const outcome = await Promise.race([ready.then(() => null), exited]);
  giveUp.abort();
  if (outcome !== null) {
    child.kill('SIGKILL');
    throw outcome;
  }
  return {
    url,
    port,
    reset: async () => {
      const response = await fetch(`${url}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset at ${url} answered ${response.status}`);
    },
    stop: () => stopChild(child),
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await gone;
  clearTimeout(timer);
}
