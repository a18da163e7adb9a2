// docker-registry (the Debian package of distribution v2) with our own config: 127.0.0.1 only,
// filesystem storage under a state folder, deletes enabled. The packaged config listens on all
// interfaces, so it is never used.
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, waitUntilAnswers } from './ports.ts';

export const DOCKER_REGISTRY_BIN = '/usr/bin/docker-registry';

export function registryConfig(port: number, storageDir: string): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storageDir)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '',
  ].join('\n');
}

/** Writes the config for a registry whose state lives in `stateDir`; returns the command to run it. */
export async function prepareDockerRegistry(
  stateDir: string,
  port: number,
  binary = DOCKER_REGISTRY_BIN,
): Promise<{ command: string; args: string[] }> {
  await mkdir(join(stateDir, 'storage'), { recursive: true });
  const config = join(stateDir, 'config.yml');
  await writeFile(config, registryConfig(port, join(stateDir, 'storage')));
  return { command: binary, args: ['serve', config] };
}

export interface RunningRegistry {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts docker-registry as a child of this process (tests); `stop` kills it and waits. */
export async function startDockerRegistry(stateDir: string, options: { port?: number; binary?: string } = {}): Promise<RunningRegistry> {
  const port = options.port ?? (await freePort());
  const { command, args } = await prepareDockerRegistry(stateDir, port, options.binary);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited: string | null = null;
  child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
  child.on('error', (e) => (exited = `could not start ${command}: ${e.message}; install it with: apt-get install docker-registry`));
  child.on('exit', (code) => (exited ??= `docker-registry exited (${code}) before it answered: ${stderr.trim()}`));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswers(`${url}/v2/`, { abandon: () => exited });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
