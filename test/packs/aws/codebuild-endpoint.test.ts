// The local CodeBuild endpoint's protocol, through the real SDK clients (local server).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  BatchGetBuildsCommand,
  BatchGetProjectsCommand,
  CreateProjectCommand,
  StartBuildCommand,
  type CreateProjectCommandInput,
} from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/packs/aws/index.ts';
import { awaitBuild, BuildPoller, startBuild } from '../../../src/packs/codebuild/index.ts';
import { startCodeBuildEndpoint, type CodeBuildEndpoint } from '../../../src/sandbox/codebuild/index.ts';
import { clientsFor, tempDir } from '../../support/aws-endpoints.ts';

const project = (name: string, buildspec: string): CreateProjectCommandInput => ({
  name,
  source: { type: 'NO_SOURCE', buildspec },
  artifacts: { type: 'NO_ARTIFACTS' },
  environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
  serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
});

describe('local CodeBuild endpoint protocol (local server)', () => {
  let endpoint: CodeBuildEndpoint;
  let clients: AwsClients;
  const stateDir = tempDir('endpoint-state');
  const lines = 'version: 0.2\nphases:\n  build:\n    commands:\n      - for i in $(seq 1 25); do echo "line $i"; done\n';

  beforeAll(async () => {
    endpoint = await startCodeBuildEndpoint({ stateDir, buildEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
    clients = clientsFor({ codebuild: endpoint.url, logs: endpoint.url }, 1);
    await clients.codebuild.send(new CreateProjectCommand(project('lines', lines)));
  });
  afterAll(async () => {
    clients?.destroy();
    await endpoint?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it('answers errors as CodeBuild does', async () => {
    await expect(clients.codebuild.send(new CreateProjectCommand(project('lines', lines)))).rejects.toMatchObject({
      name: 'ResourceAlreadyExistsException',
    });
    await expect(clients.codebuild.send(new StartBuildCommand({ projectName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Project cannot be found: arn:aws:codebuild:eu-west-1:000000000000:project/nope',
    });
    await expect(
      clients.codebuild.send(
        new StartBuildCommand({
          projectName: 'lines',
          environmentVariablesOverride: [{ name: 'TOKEN', value: '/pay/token', type: 'PARAMETER_STORE' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidInputException', message: expect.stringContaining('TOKEN has type PARAMETER_STORE') });
  });

  it('lists projects and unknown names', async () => {
    const output = await clients.codebuild.send(new BatchGetProjectsCommand({ names: ['lines', 'ghost'] }));
    expect(output.projects?.map((p) => [p.name, p.arn, p.timeoutInMinutes])).toEqual([
      ['lines', 'arn:aws:codebuild:eu-west-1:000000000000:project/lines', 60],
    ]);
    expect(output.projectsNotFound).toEqual(['ghost']);
  });

  it('serves builds with SDK-readable timestamps and pages their logs with GetLogEvents tokens', async () => {
    const handle = await startBuild(clients.codebuild, { projectName: 'lines' });
    const result = await awaitBuild(clients.codebuild, handle, { poller: new BuildPoller(clients.codebuild, { intervalMs: 50 }) });
    const output = await clients.codebuild.send(new BatchGetBuildsCommand({ ids: [handle.buildId, 'lines:ghost'] }));
    const build = output.builds?.[0];
    expect(build?.startTime).toBeInstanceOf(Date);
    expect(build?.endTime!.getTime()).toBeGreaterThanOrEqual(build!.startTime!.getTime());
    expect(build?.phases?.every((phase) => phase.startTime instanceof Date)).toBe(true);
    expect(output.buildsNotFound).toEqual(['lines:ghost']);
    expect(result.buildId).toBe(handle.buildId);

    const page = (nextToken?: string, startFromHead = true) =>
      clients.logs.send(
        new GetLogEventsCommand({
          logGroupName: '/aws/codebuild/lines',
          logStreamName: handle.logs!.streamName,
          limit: 10,
          startFromHead,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
    const collected: string[] = [];
    let token: string | undefined;
    for (;;) {
      const answer = await page(token);
      collected.push(...(answer.events ?? []).map((event) => event.message ?? ''));
      if (answer.nextForwardToken === token) break;
      token = answer.nextForwardToken;
    }
    expect(collected.filter((line) => line.startsWith('line '))).toEqual(Array.from({ length: 25 }, (_, i) => `line ${i + 1}`));
    const tail = await page(undefined, false);
    expect(tail.events?.at(-1)?.message).toMatch(/Build SUCCEEDED$/);
    expect(tail.events).toHaveLength(10);
    const logText = await (await fetch(result.logsLink!)).text();
    expect(logText).toContain('line 25\n');
  });

  it('counts calls per operation', () => {
    const calls = endpoint.stats().calls;
    expect(calls['StartBuild']).toBeGreaterThanOrEqual(3);
    expect(calls['CreateProject']).toBe(2);
  });

  it('reloads its state folder after a restart, marking builds that were running as FAULT', async () => {
    const handle = await startBuild(clients.codebuild, {
      projectName: 'lines',
      buildspecOverride: 'version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 300\n',
    });
    await endpoint.stop();
    // Make the folder look like an endpoint that crashed mid-build (stop() had ended it as STOPPED).
    const file = join(stateDir, 'builds', handle.logs!.streamName, 'build.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(saved['buildStatus']).toBe('STOPPED');
    writeFileSync(file, JSON.stringify({ ...saved, buildStatus: 'IN_PROGRESS', buildComplete: false }));
    endpoint = await startCodeBuildEndpoint({ stateDir, buildEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
    clients.destroy();
    clients = clientsFor({ codebuild: endpoint.url, logs: endpoint.url }, 1);
    const output = await clients.codebuild.send(new BatchGetBuildsCommand({ ids: [handle.buildId] }));
    expect(output.builds?.[0]?.buildStatus).toBe('FAULT');
    expect(output.builds?.[0]?.buildComplete).toBe(true);
    expect((await clients.codebuild.send(new BatchGetProjectsCommand({ names: ['lines'] }))).projects).toHaveLength(1);
    const next = await startBuild(clients.codebuild, { projectName: 'lines' });
    expect(next.buildNumber).toBeGreaterThan(handle.buildNumber ?? 0);
  });
});
