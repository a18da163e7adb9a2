// The diagram-driven done-when check: test/fixtures/sandbox/release.seq run by `seqrun run` against
// a sandbox (fetch from the git remote, build an image without Docker, push to the ECR registry,
// retag through the ECR API, copy to the Docker Hub registry, post to Slack). Needs moto_server and
// docker-registry; the sandbox is started with withSandbox, as `seqrun run --sandbox` does.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, resolveDigest } from '../../src/packs/registry/index.ts';
import { sandboxStatus, withSandbox } from '../../src/sandbox/index.ts';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('../fixtures/sandbox/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/seqrun.js', import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-sandbox-run-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(join(fixture, '.seqrun'), { recursive: true, force: true });
});

describe('seqrun run against the sandbox', () => {
  it('runs the rehearsal diagram green and the Slack server keeps its message', { timeout: 180_000 }, async () => {
    const dir = join(root, 'sandbox');
    const env = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
    await withSandbox({ dir, env }, async (sandbox) => {
      const args = [
        'run',
        join(fixture, 'release.seq'),
        '--config',
        join(fixture, 'seqrun.config.ts'),
        '--format',
        'plain',
        '--var',
        `workdir=${join(root, 'work')}`,
      ];
      const result = await run(process.execPath, [bin, ...args], { cwd: root, env: { ...env, CI: 'true', ...sandbox.env } }).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
      expect(result.out).toContain('run passed');
      expect(result.code).toBe(0);
      const hub = new RegistryClient({ url: sandbox.env['SEQRUN_DOCKERHUB_REGISTRY'] ?? '' });
      const ecr = new RegistryClient({ url: sandbox.env['SEQRUN_ECR_REGISTRY'] ?? '' });
      const candidate = await resolveDigest({ client: ecr, repository: 'pay-app' }, '1-candidate');
      expect(candidate).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await resolveDigest({ client: ecr, repository: 'pay-app' }, '1-release')).toBe(candidate);
      expect(await resolveDigest({ client: hub, repository: 'govukpay/pay-app' }, 'latest-master')).toBe(candidate);
      const status = await sandboxStatus({ dir });
      expect(status?.messages.map((m) => [m.channel, m.text])).toEqual([['#pay-activity', 'pay-app alpha_release-1 passed']]);
      expect(result.out).not.toContain(sandbox.env['SLACK_BOT_TOKEN']);
    });
    expect(await sandboxStatus({ dir })).toBeNull();
  });

  it('seqrun run --sandbox starts the sandbox, runs the diagram green and stops everything', { timeout: 180_000 }, async () => {
    const cwd = join(root, 'one-go');
    const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], CI: 'true' };
    const args = [
      'run',
      '--sandbox',
      join(fixture, 'release.seq'),
      '--config',
      join(fixture, 'seqrun.config.ts'),
      '--var',
      `workdir=${join(cwd, 'work')}`,
    ];
    await run('mkdir', ['-p', cwd]);
    const result = await run(process.execPath, [bin, ...args], { cwd, env }).then(
      (r) => ({ code: 0, out: r.stdout + r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
    );
    expect(result.out).toContain('run passed');
    expect(result.code).toBe(0);
    expect(await sandboxStatus({ dir: join(cwd, '.seqrun', 'sandbox') })).toBeNull();
  });
});
