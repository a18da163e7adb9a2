// CodeBuild pack against the local CodeBuild endpoint (local server) fetching sources from moto (local server).
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitBuild,
  BuildFailedError,
  codeBuildJob,
  BuildPoller,
  startBuild,
  type StartBuildInput,
} from '../../../src/packs/codebuild/index.ts';
import { ensureVersionedBucket, uploadSnapshot } from '../../../src/packs/s3/index.ts';
import { startLocalAws, tempDir, type LocalAws } from '../../support/aws-endpoints.ts';
import { makeRepo } from '../../support/git-repo.ts';
import { testContext } from '../../support/handler-context.ts';
import { isAlive } from '../../../src/sandbox/processes.ts';

const BUILDSPEC = `version: 0.2
env:
  variables:
    GREETING: from-buildspec
    STAGE: buildspec
phases:
  install:
    commands:
      - export CARRIED=from-install
  pre_build:
    commands:
      - echo "pre_build sees $CARRIED"
  build:
    commands:
      - echo "building $(cat app.txt) for $STAGE with $GREETING"
      - test -z "$SHOULD_FAIL" || { echo "about to fail"; exit 3; }
    finally:
      - echo "build finally ran"
  post_build:
    commands:
      - echo "post_build ran"
`;

describe('codebuild pack with the local CodeBuild endpoint and moto (local servers)', () => {
  let aws: LocalAws;
  let source: { location: string; version: string };
  const poller = () => new BuildPoller(aws.clients.codebuild, { intervalMs: 100, maxIntervalMs: 200 });

  beforeAll(async () => {
    aws = await startLocalAws({ minuteSeconds: 1 });
    const repo = tempDir('repo');
    makeRepo(repo, { 'buildspec.yml': BUILDSPEC, 'app.txt': 'pay-connector' });
    await ensureVersionedBucket(aws.clients.s3, 'pay-sources');
    const object = await uploadSnapshot(aws.clients.s3, {
      repoDir: repo,
      ref: 'alpha_release-1',
      bucket: 'pay-sources',
      key: 'sources/pay-connector.zip',
    });
    source = { location: `${object.bucket}/${object.key}`, version: object.versionId ?? '' };
    for (const [name, timeoutInMinutes] of [
      ['pay-connector', 60],
      ['pay-slow', 2],
    ] as const) {
      await aws.clients.codebuild.send(
        new CreateProjectCommand({
          name,
          source: { type: 'S3', location: source.location },
          artifacts: { type: 'NO_ARTIFACTS' },
          environment: {
            type: 'LINUX_CONTAINER',
            image: 'aws/codebuild/standard:7.0',
            computeType: 'BUILD_GENERAL1_SMALL',
            environmentVariables: [{ name: 'STAGE', value: 'project' }],
          },
          serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
          timeoutInMinutes,
        }),
      );
    }
  });
  afterAll(async () => aws?.stop());

  const job = (request: (...args: unknown[]) => StartBuildInput, shared = poller()) =>
    codeBuildJob({
      codebuild: aws.clients.codebuild,
      logs: aws.clients.logs,
      request: (_ctx, ...args) => request(...args),
      poller: shared,
      endpoint: aws.codebuild.url,
    });

  it('builds the S3 snapshot at its VersionId and streams the commands output into the log', async () => {
    const build = job(() => ({ projectName: 'pay-connector', sourceVersion: source.version, environment: { GREETING: 'from-override' } }));
    const ctx = testContext();
    const handle = await build.start(ctx);
    expect(handle.buildId).toMatch(/^pay-connector:/);
    const result = await build.wait(ctx, handle);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.failedPhase).toBeUndefined();
    expect(result.resolvedSourceVersion).toBe(source.version);
    expect(result.phases.map((phase) => phase.phase)).toEqual([
      'SUBMITTED',
      'QUEUED',
      'PROVISIONING',
      'DOWNLOAD_SOURCE',
      'INSTALL',
      'PRE_BUILD',
      'BUILD',
      'POST_BUILD',
      'UPLOAD_ARTIFACTS',
      'FINALIZING',
      'COMPLETED',
    ]);
    expect(result.logsLink).toContain(aws.codebuild.url);
    const lines = ctx.log.lines.map((line) => line.message);
    // Overrides beat the project, which beats the buildspec; exports carry over between phases.
    expect(lines).toContain('building pay-connector for project with from-override');
    expect(lines).toContain('pre_build sees from-install');
    expect(lines).toContain('build finally ran');
    expect(lines).toContain('post_build ran');
  });

  it('a StartBuild repeated with its idempotency token returns the first build and starts nothing (a runner killed while the call was in flight)', async () => {
    const input = { projectName: 'pay-connector', sourceVersion: source.version, idempotencyToken: 'run-1-s4-0' };
    const before = aws.codebuild.stats().startsByProject['pay-connector'] ?? 0;
    const first = await startBuild(aws.clients.codebuild, input);
    const repeat = await startBuild(aws.clients.codebuild, input);
    expect(repeat.buildId).toBe(first.buildId);
    expect((aws.codebuild.stats().startsByProject['pay-connector'] ?? 0) - before).toBe(1);
    // The same token with other parameters is refused, as CodeBuild refuses it.
    await expect(startBuild(aws.clients.codebuild, { ...input, environment: { OTHER: '1' } })).rejects.toThrow(
      /idempotencyToken run-1-s4-0 was used with different StartBuild parameters/,
    );
    const other = await startBuild(aws.clients.codebuild, { ...input, idempotencyToken: 'run-1-s4-1' });
    expect(other.buildId).not.toBe(first.buildId);
    await awaitBuild(aws.clients.codebuild, first, { poller: poller() });
    await awaitBuild(aws.clients.codebuild, other, { poller: poller() });
  });

  it('fails a build that fails in BUILD, naming the phase and the last log lines; post_build still runs', async () => {
    const build = job(() => ({ projectName: 'pay-connector', sourceVersion: source.version, environment: { SHOULD_FAIL: 'yes' } }));
    const ctx = testContext();
    const error = await build.wait(ctx, await build.start(ctx)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    const failure = error as BuildFailedError;
    expect(failure.result.status).toBe('FAILED');
    expect(failure.result.failedPhase?.phase).toBe('BUILD');
    expect(failure.message).toMatch(/FAILED in phase BUILD \(COMMAND_EXECUTION_ERROR: Error while executing command: test -z/);
    expect(failure.message).toContain('about to fail');
    expect(failure.result.phases.find((phase) => phase.phase === 'POST_BUILD')?.status).toBe('SUCCEEDED');
  });

  it('stops a running build on cancel (StopBuild kills its process group)', async () => {
    const build = job(() => ({
      projectName: 'pay-connector',
      sourceType: 'NO_SOURCE',
      buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 300 & echo "child $!"; wait\n',
    }));
    const ctx = testContext();
    const handle = await build.start(ctx);
    const waiting = build.wait(ctx, handle).catch((e: unknown) => e);
    await eventually(() => ctx.log.lines.some((line) => line.message.startsWith('child ')));
    const child = Number(ctx.log.lines.find((line) => line.message.startsWith('child '))?.message.slice(6));
    expect(isAlive(child)).toBe(true);
    await build.cancel?.(ctx, handle);
    const error = (await waiting) as BuildFailedError;
    expect(error.result.status).toBe('STOPPED');
    expect(error.result.failedPhase).toMatchObject({ phase: 'BUILD', status: 'STOPPED' });
    // The background `sleep` went with the process group.
    await eventually(() => !isAlive(child));
  });

  it('times a build out after timeoutInMinutes (one second per minute on this endpoint)', async () => {
    const build = job(() => ({
      projectName: 'pay-slow',
      sourceVersion: source.version,
      buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 300\n',
    }));
    const ctx = testContext();
    const error = (await build.wait(ctx, await build.start(ctx)).catch((e: unknown) => e)) as BuildFailedError;
    expect(error.result.status).toBe('TIMED_OUT');
    expect(error.message).toMatch(/TIMED_OUT in phase BUILD/);
  });

  it('fails in DOWNLOAD_SOURCE when the source object is missing', async () => {
    const build = job(() => ({ projectName: 'pay-connector', sourceLocation: 'pay-sources/sources/missing.zip' }));
    const ctx = testContext();
    const error = (await build.wait(ctx, await build.start(ctx)).catch((e: unknown) => e)) as BuildFailedError;
    expect(error.result.status).toBe('FAILED');
    expect(error.result.failedPhase?.phase).toBe('DOWNLOAD_SOURCE');
    expect(error.message).toMatch(/CLIENT_ERROR: cannot get s3:\/\/pay-sources\/sources\/missing\.zip: NoSuchKey/);
  });

  it('builds from a git URL at a ref', async () => {
    const repo = tempDir('git-source');
    const commit = makeRepo(
      repo,
      { 'buildspec.yml': 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo "git says $(cat v.txt)"\n', 'v.txt': 'v1' },
      'v1',
    );
    const build = job(() => ({ projectName: 'pay-connector', sourceType: 'GITHUB', sourceLocation: repo, sourceVersion: 'v1' }));
    const ctx = testContext();
    const result = await build.wait(ctx, await build.start(ctx));
    expect(result.resolvedSourceVersion).toBe(commit);
    expect(ctx.log.lines.map((line) => line.message)).toContain('git says v1');
  });

  it('awaits several builds at once with one BatchGetBuilds call per interval, not one per build', async () => {
    const sleeper = {
      projectName: 'pay-connector',
      sourceType: 'NO_SOURCE',
      buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 1\n',
    } as const;
    const runFive = async (pollerFor: () => BuildPoller) => {
      const before = aws.codebuild.stats().calls['BatchGetBuilds'] ?? 0;
      const ctx = testContext();
      const handles = await Promise.all([1, 2, 3, 4, 5].map(() => job(() => sleeper).start(ctx)));
      const results = await Promise.all(handles.map((handle) => job(() => sleeper, pollerFor()).wait(ctx, handle)));
      expect(results.map((result) => result.status)).toEqual(Array(5).fill('SUCCEEDED'));
      return (aws.codebuild.stats().calls['BatchGetBuilds'] ?? 0) - before;
    };
    const shared = poller();
    const sharedCalls = await runFive(() => shared);
    const separateCalls = await runFive(poller);
    expect(sharedCalls).toBe(shared.calls);
    // Each separate poller needs at least one call per build; the shared one serves all five per call.
    expect(separateCalls).toBeGreaterThanOrEqual(5);
    expect(sharedCalls).toBeLessThan(separateCalls);
  });

  it('re-attaches to a known build and refuses an unknown one', async () => {
    const build = job(() => ({ projectName: 'pay-connector', sourceVersion: source.version }));
    const ctx = testContext();
    const handle = await build.start(ctx);
    await build.attach?.(ctx, handle);
    expect(ctx.log.lines.some((line) => line.message.startsWith(`re-attached to CodeBuild build ${handle.buildId}`))).toBe(true);
    await expect(build.attach?.(ctx, { ...handle, buildId: 'pay-connector:nope' })).rejects.toThrow(/not known to http:\/\/127\.0\.0\.1/);
    await build.wait(ctx, handle);
  });

  it('rejects awaiting when the step is aborted, leaving the build to cancel', async () => {
    const controller = new AbortController();
    const build = job(() => ({
      projectName: 'pay-connector',
      sourceType: 'NO_SOURCE',
      buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 300\n',
    }));
    const ctx = testContext(controller.signal);
    const handle = await build.start(ctx);
    const waiting = awaitBuild(aws.clients.codebuild, handle, { signal: controller.signal, poller: poller() });
    controller.abort(new Error('step timed out'));
    await expect(waiting).rejects.toThrow('step timed out');
    await build.cancel?.(ctx, handle);
  });
});

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(check()).toBe(true);
}
