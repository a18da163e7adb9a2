// `startSandbox` refusing clearly: a port taken, a tool missing, a sandbox already running.
// The last case starts the real services (moto_server, docker-registry).
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/sandbox/ports.ts';
import { SandboxError, sandboxStatus, startSandbox, stopSandbox, withSandbox } from '../../src/sandbox/index.ts';
import { isAlive } from '../../src/sandbox/processes.ts';

let root: string;
const env = { PATH: process.env['PATH'], HOME: process.env['HOME'] };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-sandbox-faults-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('startSandbox refuses clearly', () => {
  it('fails when a port asked for is taken, and starts nothing', async () => {
    const port = await freePort();
    const blocker = await occupy(port);
    const dir = join(root, 'taken');
    try {
      const error = await startSandbox({ dir, env, ports: { slack: port } }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxError);
      expect((error as Error).message).toBe(
        `port 127.0.0.1:${port} asked for slack is already in use; stop what uses it or choose another port (--port slack=<port>, or leave it out to pick a free one)`,
      );
      expect(await readdir(join(dir, 'pids')).catch(() => [])).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('says which tool is missing and how to install it', async () => {
    const error = await startSandbox({
      dir: join(root, 'tools'),
      env,
      tools: { motoServer: '/nonexistent/moto_server', dockerRegistry: '/nonexistent/docker-registry' },
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      "cannot start the sandbox: moto_server is not installed (install it with: pip install 'moto[server]'); docker-registry is not installed (install it with: sudo apt-get install docker-registry)",
    );
  });

  it('refuses a second sandbox in the same folder, and withSandbox stops everything afterwards', { timeout: 120_000 }, async () => {
    const dir = join(root, 'twice');
    // Variables that would reconfigure a service (docker-registry reads REGISTRY_*) must not reach it.
    const leaky = { ...env, REGISTRY_HTTP_ADDR: '0.0.0.0:1', AWS_PROFILE: 'production' };
    const pids = await withSandbox({ dir, env: leaky }, async (sandbox) => {
      const again = await startSandbox({ dir, env }).catch((e: unknown) => e);
      expect((again as Error).message).toMatch(
        /a sandbox is already running in .*twice \(moto is pid \d+\); run 'seqrun sandbox down' first/,
      );
      const status = await sandboxStatus({ dir });
      expect(status?.services.map((s) => [s.name, s.running])).toEqual([
        ['moto', true],
        ['ecr-registry', true],
        ['dockerhub', true],
        ['ecr-bridge', true],
        ['codebuild', true],
        ['slack', true],
      ]);
      return sandbox.services.map((s) => s.pid);
    });
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await stopSandbox({ dir })).toEqual([]);
  });
});
