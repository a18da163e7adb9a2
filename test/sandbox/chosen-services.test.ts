// startSandbox with a list of services (what `seqrun run --sandbox` passes from servicesNeeded): only
// those start, with what they depend on, only their variables are in the environment, and a tool only
// the others need is not looked for. Starts the local Slack (a node process), and moto for codebuild.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxStatus, startSandbox, stopSandbox } from '../../src/sandbox/index.ts';
import { isAlive } from '../../src/sandbox/processes.ts';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-chosen-services-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a sandbox of chosen services', () => {
  it('Slack alone: no moto_server or docker-registry needed, no AWS endpoints in the environment', { timeout: 60_000 }, async () => {
    const dir = join(root, 'slack');
    const missing = { motoServer: join(root, 'no-moto'), dockerRegistry: join(root, 'no-registry') };
    const sandbox = await startSandbox({ dir, services: ['slack'], tools: missing });
    try {
      expect(sandbox.services.map((s) => s.name)).toEqual(['slack']);
      expect(Object.keys(sandbox.env).filter((k) => k.startsWith('AWS_ENDPOINT_URL') || k.includes('REGISTRY'))).toEqual([]);
      expect(sandbox.env['SEQRUN_SLACK_API_URL']).toBe(`${sandbox.services[0]?.url}`);
      expect(sandbox.env['SEQRUN_GIT_REMOTE']).toBe(join(dir, 'github/pay-app.git'));
      const answer = await fetch(`${sandbox.env['SEQRUN_SLACK_API_URL']?.replace(/api\/$/, '')}_sandbox/messages`);
      expect(answer.status).toBe(200);
    } finally {
      await stopSandbox({ dir });
    }
    expect(sandbox.services.filter((s) => isAlive(s.pid))).toEqual([]);
    expect(await sandboxStatus({ dir })).toBeNull();
  });

  it(
    'codebuild brings moto, which it reads sources from; a missing tool of a service not started is no error',
    { timeout: 90_000 },
    async () => {
      const dir = join(root, 'codebuild');
      const sandbox = await startSandbox({ dir, services: ['codebuild'], tools: { dockerRegistry: join(root, 'no-registry') } });
      try {
        expect(sandbox.services.map((s) => s.name)).toEqual(['moto', 'codebuild']);
        expect(sandbox.env['AWS_ENDPOINT_URL_CODEBUILD']).toBe(sandbox.services[1]?.url);
        expect(sandbox.env['AWS_ENDPOINT_URL_S3']).toBe(sandbox.services[0]?.url);
        expect(sandbox.env['SEQRUN_SLACK_API_URL']).toBeUndefined();
      } finally {
        await stopSandbox({ dir });
      }
    },
  );

  it('a service whose tool is missing is still refused before anything starts', async () => {
    await expect(
      startSandbox({ dir: join(root, 'missing'), services: ['moto'], tools: { motoServer: join(root, 'no-moto') } }),
    ).rejects.toThrow("cannot start the sandbox: moto_server is not installed (install it with: pip install 'moto[server]')");
  });
});
