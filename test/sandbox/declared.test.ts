// The config's declared sandbox resources (buckets, ECR repositories, CodeBuild projects), made in
// moto and the local CodeBuild endpoint (local servers); made again, nothing fails.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchGetProjectsCommand } from '@aws-sdk/client-codebuild';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { provisionDeclared } from '../../src/sandbox/declared.ts';
import { startLocalAws, tempDir, TEST_CREDENTIALS, TEST_REGION, type LocalAws } from '../support/aws-endpoints.ts';

let aws: LocalAws;
beforeAll(async () => {
  aws = await startLocalAws();
});
afterAll(async () => aws?.stop());

test('buckets (versioned), ECR repositories and CodeBuild projects with their buildspec file are made, twice without error', async () => {
  const root = tempDir('declared');
  mkdirSync(join(root, 'ci'));
  writeFileSync(join(root, 'ci/buildspec.yml'), 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo built\n');
  const env = {
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: aws.moto.url,
    AWS_ENDPOINT_URL_ECR: aws.moto.url,
    AWS_ENDPOINT_URL_CODEBUILD: aws.codebuild.url,
  };
  const resources = {
    buckets: ['site-sources'],
    ecrRepositories: ['site/web'],
    codebuildProjects: [
      {
        name: 'site-build',
        source: { type: 'S3' as const, location: 'site-sources/src.zip' },
        buildspec: 'ci/buildspec.yml',
        environment: { STAGE: 'sandbox' },
      },
    ],
  };
  expect(await provisionDeclared(resources, env, root)).toEqual([
    'bucket site-sources',
    'ECR repository site/web',
    'CodeBuild project site-build',
  ]);
  expect(await provisionDeclared(resources, env, root)).toHaveLength(3);

  expect((await aws.clients.s3.send(new GetBucketVersioningCommand({ Bucket: 'site-sources' }))).Status).toBe('Enabled');
  expect(
    (await aws.clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['site/web'] }))).repositories?.[0]?.repositoryName,
  ).toBe('site/web');
  const [project] = (await aws.clients.codebuild.send(new BatchGetProjectsCommand({ names: ['site-build'] }))).projects ?? [];
  expect(project?.source).toMatchObject({ type: 'S3', location: 'site-sources/src.zip', buildspec: expect.stringContaining('echo built') });
  expect(project?.environment?.environmentVariables).toEqual([{ name: 'STAGE', value: 'sandbox', type: 'PLAINTEXT' }]);
});
