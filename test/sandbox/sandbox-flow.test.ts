// The done-when check of `seqrun sandbox`: `seqrun sandbox up`, the environment from `seqrun sandbox env`,
// then a small release (fetch from the git remote, build an image without Docker, push it to the ECR
// registry, retag through the ECR API, copy to the Docker Hub registry, post to Slack), `status` shows
// the message, and `down` leaves no process behind. Needs moto_server and docker-registry.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/packs/aws/index.ts';
import { addTags, getRegistryLogin } from '../../src/packs/ecr/index.ts';
import { fetchRelease } from '../../src/packs/git/index.ts';
import { buildImage } from '../../src/packs/image/index.ts';
import { copyImage, pushLayout, RegistryClient, resolveDigest } from '../../src/packs/registry/index.ts';
import { runCommand } from '../../src/packs/shell/index.ts';
import { createSlackClient, notifyRun } from '../../src/packs/slack/index.ts';
import { memoryLogger } from '../support/logger.ts';
import { isAlive } from '../../src/sandbox/processes.ts';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/seqrun.js', import.meta.url));
let root: string;
let dir: string;

async function seqrun(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env['PATH'], HOME: process.env['HOME'] } }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
  );
}

/** Parses `export NAME='value'` lines as a POSIX shell would. */
function parseExports(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.trim().split('\n')) {
    const match = /^export ([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (!match?.[1]) throw new Error(`not an export line: ${line}`);
    env[match[1]] = (match[2] ?? '').replace(/'\\''/g, "'");
  }
  return env;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-sandbox-flow-'));
  dir = join(root, '.seqrun', 'sandbox');
});
afterAll(async () => {
  await seqrun('sandbox', 'down');
  await rm(root, { recursive: true, force: true });
});

describe('seqrun sandbox (moto, docker-registry x2, ECR bridge, CodeBuild, Slack, git remote)', () => {
  it('runs a small release end to end and leaves no process behind', { timeout: 180_000 }, async () => {
    const up = await seqrun('sandbox', 'up');
    expect(up.stderr).toContain('slack answers on http://127.0.0.1:');
    expect(up.code).toBe(0);
    const env = parseExports((await seqrun('sandbox', 'env')).stdout);
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining([
        'AWS_ENDPOINT_URL_S3',
        'AWS_ENDPOINT_URL_ECR',
        'AWS_ENDPOINT_URL_CODEBUILD',
        'AWS_REGION',
        'AWS_ACCESS_KEY_ID',
        'SEQRUN_ECR_REGISTRY',
        'SEQRUN_DOCKERHUB_REGISTRY',
        'SEQRUN_GIT_REMOTE',
        'SEQRUN_SLACK_API_URL',
      ]),
    );
    const pids = JSON.parse(await readFile(join(dir, 'sandbox.json'), 'utf8')).services.map((s: { pid: number }) => s.pid) as number[];
    expect(pids).toHaveLength(6);

    const workspace = join(root, 'work');
    const release = await fetchRelease({ remote: env['SEQRUN_GIT_REMOTE'] ?? '', workspace, ref: { tagPattern: 'alpha_release-<N>' } });
    expect(release).toMatchObject({ tag: 'alpha_release-1', release: 1 });
    const log = memoryLogger();
    await runCommand({ command: ['sh', 'build.sh'], cwd: workspace, log });
    expect(await readFile(join(workspace, 'dist', 'index.html'), 'utf8')).toBe('pay-app 1\n');
    const image = await buildImage({
      contextDir: join(workspace, 'dist'),
      layoutDir: join(root, 'oci'),
      tag: `${release.release}-candidate`,
      config: { labels: { 'org.opencontainers.image.revision': release.sha } },
    });

    const aws = createAwsClients({
      region: env['AWS_REGION'],
      endpoints: { ecr: env['AWS_ENDPOINT_URL_ECR'] },
      credentials: { accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '' },
    });
    try {
      const login = await getRegistryLogin(aws.ecr);
      const ecrRegistry = new RegistryClient({
        url: env['SEQRUN_ECR_REGISTRY'] ?? '',
        auth: { kind: 'basic', username: login.username, password: login.password },
      });
      const pushed = await pushLayout({
        layoutDir: join(root, 'oci'),
        to: { client: ecrRegistry, repository: 'pay-app' },
        tags: ['1-candidate'],
      });
      expect(pushed.digest).toBe(image.manifest.digest);

      const tagged = await addTags(aws.ecr, { repositoryName: 'pay-app' }, { tag: '1-candidate' }, ['1-release', 'latest'], {
        movable: ['latest'],
      });
      expect(tagged).toEqual({ digest: image.manifest.digest, added: ['1-release', 'latest'], unchanged: [] });
      expect(await resolveDigest({ client: ecrRegistry, repository: 'pay-app' }, '1-release')).toBe(image.manifest.digest);

      const hub = new RegistryClient({ url: env['SEQRUN_DOCKERHUB_REGISTRY'] ?? '' });
      const copied = await copyImage({
        from: { client: ecrRegistry, repository: 'pay-app' },
        reference: 'latest',
        to: { client: hub, repository: 'govukpay/pay-app' },
        tags: ['latest-master'],
      });
      expect(copied.digest).toBe(image.manifest.digest);
      expect(await resolveDigest({ client: hub, repository: 'govukpay/pay-app' }, 'latest-master')).toBe(image.manifest.digest);
    } finally {
      aws.destroy();
    }

    const slack = createSlackClient({ token: env['SLACK_BOT_TOKEN'] ?? '', slackApiUrl: env['SEQRUN_SLACK_API_URL'] ?? '', retries: 0 });
    await notifyRun(
      { kind: 'bot', client: slack, channels: { success: '#pay-activity', failure: '#pay-announce' } },
      { title: 'pay-app alpha_release-1', status: 'passed', reportUrl: 'file:///report.html' },
    );
    const status = await seqrun('sandbox', 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Slack messages received: 1');
    expect(status.stdout).toContain('#pay-activity (chat.postMessage): pay-app alpha_release-1 passed: file:///report.html');

    const down = await seqrun('sandbox', 'down');
    expect(down.stderr.match(/: stopped/g)).toHaveLength(6);
    expect(pids.filter(isAlive)).toEqual([]);
    const { stdout: ps } = await run('ps', ['-eo', 'args']);
    expect(ps.split('\n').filter((line) => line.includes(dir))).toEqual([]);
    expect((await seqrun('sandbox', 'status')).code).toBe(1);
  });
});
