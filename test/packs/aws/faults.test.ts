// Faults of the AWS packs against real local servers: moto, the local CodeBuild endpoint, a throttling proxy.
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/packs/aws/index.ts';
import { awaitBuild, BuildPoller, startBuild } from '../../../src/packs/codebuild/index.ts';
import { resolveTag } from '../../../src/packs/ecr/index.ts';
import { ensureVersionedBucket, uploadSnapshot } from '../../../src/packs/s3/index.ts';
import { startMoto } from '../../../src/sandbox/moto.ts';
import { freePort } from '../../../src/sandbox/ports.ts';
import { clientsFor, startLocalAws, tempDir, TEST_REGION, type LocalAws } from '../../support/aws-endpoints.ts';
import { startFaultProxy } from '../../support/fault-proxy.ts';
import { makeRepo } from '../../support/git-repo.ts';

const NO_SOURCE = {
  projectName: 'pay-smoke',
  sourceType: 'NO_SOURCE',
  buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo ok\n',
} as const;

describe('AWS pack faults (local servers)', () => {
  let aws: LocalAws;
  let repo: string;

  beforeAll(async () => {
    aws = await startLocalAws();
    repo = tempDir('faults-repo');
    makeRepo(repo, { 'a.txt': 'a' });
    await aws.clients.codebuild.send(
      new CreateProjectCommand({
        name: 'pay-smoke',
        source: { type: 'NO_SOURCE', buildspec: NO_SOURCE.buildspecOverride },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      }),
    );
  });
  afterAll(async () => aws?.stop());

  it('retries ThrottlingException with the SDK standard retry, then succeeds', async () => {
    const proxy = await startFaultProxy(aws.codebuild.url, {
      failures: 2,
      status: 400,
      type: 'ThrottlingException',
      matches: (request) => String(request.headers['x-amz-target']).endsWith('.StartBuild'),
    });
    const clients = clientsFor({ codebuild: proxy.url }, 3);
    try {
      const before = aws.codebuild.stats().calls['StartBuild'] ?? 0;
      const handle = await startBuild(clients.codebuild, NO_SOURCE, proxy.url);
      expect(proxy.faulted()).toBe(2);
      expect((aws.codebuild.stats().calls['StartBuild'] ?? 0) - before).toBe(1);
      const result = await awaitBuild(clients.codebuild, handle, { poller: new BuildPoller(clients.codebuild, { intervalMs: 100 }) });
      expect(result.status).toBe('SUCCEEDED');
    } finally {
      clients.destroy();
      await proxy.stop();
    }
  });

  it('reports throttling that outlasts the retries, naming the operation and the endpoint', async () => {
    const proxy = await startFaultProxy(aws.codebuild.url, { failures: 100, status: 400, type: 'ThrottlingException' });
    const clients = clientsFor({ codebuild: proxy.url }, 2);
    try {
      await expect(startBuild(clients.codebuild, NO_SOURCE, proxy.url)).rejects.toThrow(
        `CodeBuild StartBuild at ${proxy.url} failed: ThrottlingException: Rate exceeded`,
      );
      expect(proxy.faulted()).toBe(2);
    } finally {
      clients.destroy();
      await proxy.stop();
    }
  });

  it('names the endpoint when it is down', async () => {
    const down = `http://127.0.0.1:${await freePort()}`;
    const clients = clientsFor({ codebuild: down, s3: down, ecr: down }, 1);
    try {
      await expect(startBuild(clients.codebuild, NO_SOURCE, down)).rejects.toThrow(
        `CodeBuild StartBuild: cannot reach ${down} (ECONNREFUSED)`,
      );
      await expect(uploadSnapshot(clients.s3, { repoDir: repo, ref: 'HEAD', bucket: 'b', key: 'k.zip' }, down)).rejects.toThrow(
        `S3 multipart upload: cannot reach ${down} (ECONNREFUSED)`,
      );
      await expect(resolveTag(clients.ecr, { repositoryName: 'r' }, 't', down)).rejects.toThrow(
        `ECR DescribeImages: cannot reach ${down} (ECONNREFUSED)`,
      );
    } finally {
      clients.destroy();
    }
  });

  it('gives up on an endpoint that takes the connection and never answers, naming it (a local server that stays silent)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket.resume()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoints: { codebuild: url, ecr: url },
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 2,
      idleTimeoutMs: 200,
    });
    try {
      await expect(startBuild(clients.codebuild, NO_SOURCE, url)).rejects.toThrow(
        `CodeBuild StartBuild: no answer from ${url} (the request socket timed out after 200 ms of inactivity). Is the endpoint up and answering?`,
      );
      await expect(resolveTag(clients.ecr, { repositoryName: 'r' }, 't', url)).rejects.toThrow(`ECR DescribeImages: no answer from ${url}`);
      // Each call tried twice (the timeout is retried like any other), then gave up.
      expect(sockets.length).toBe(4);
    } finally {
      clients.destroy();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('fails a wait whose endpoint goes away, after the poller gave it a few chances', async () => {
    const other = await startLocalAws();
    try {
      await other.clients.codebuild.send(
        new CreateProjectCommand({
          name: 'pay-smoke',
          source: { type: 'NO_SOURCE' },
          artifacts: { type: 'NO_ARTIFACTS' },
          environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL' },
          serviceRole: 'r',
        }),
      );
      const handle = await startBuild(other.clients.codebuild, {
        ...NO_SOURCE,
        buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 300\n',
      });
      const waiting = awaitBuild(other.clients.codebuild, handle, {
        poller: new BuildPoller(other.clients.codebuild, { intervalMs: 50, maxIntervalMs: 50 }),
      });
      await other.codebuild.stop();
      await expect(waiting).rejects.toThrow(`CodeBuild BatchGetBuilds: cannot reach ${other.codebuild.url} (ECONNREFUSED)`);
    } finally {
      await other.stop();
    }
  });

  it('names rejected credentials when moto checks them (S3 and ECR)', async () => {
    const moto = await startMoto({ env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '0' } });
    const clients = createAwsClients({
      region: TEST_REGION,
      endpoints: { s3: moto.url, ecr: moto.url },
      credentials: { accessKeyId: 'AKIAWRONGWRONGWRONG1', secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    try {
      await expect(ensureVersionedBucket(clients.s3, 'pay-sources', moto.url)).rejects.toThrow(
        `S3 CreateBucket at ${moto.url} rejected the credentials (InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.)`,
      );
      await expect(
        uploadSnapshot(clients.s3, { repoDir: repo, ref: 'HEAD', bucket: 'pay-sources', key: 'k.zip' }, moto.url),
      ).rejects.toThrow(/rejected the credentials \(InvalidAccessKeyId/);
      // moto answers ECR's JSON protocol with an XML 403 here, so the code is only "HTTP 403".
      await expect(resolveTag(clients.ecr, { repositoryName: 'r' }, 't', moto.url)).rejects.toThrow(
        `ECR DescribeImages at ${moto.url} rejected the credentials (HTTP 403 Forbidden). Check AWS_ACCESS_KEY_ID`,
      );
    } finally {
      clients.destroy();
      await moto.stop();
    }
  });
});
