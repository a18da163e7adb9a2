// specs/release.mmd against one sandbox, the endpoints misbehaving (issue 12; release-mmd.test.ts has
// the other drills): Slack down, Docker Hub answering 500 midway through blob uploads (once, then
// always), and S3, CodeBuild or ECR unreachable. Each drill is a fresh release with one app in the
// loop (--var apps=demo); the ones that stop after the builds are resumed with the fault cleared and
// must finish without building again. Needs moto_server, docker-registry, git, tar and unzip.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/run/events.ts';
import type { SandboxState, SlackMessage } from '../../../src/sandbox/index.ts';
import { freePort } from '../../../src/sandbox/ports.ts';
import { startRegistryProxy, type RegistryProxy } from '../../support/registry-proxy.ts';
import {
  dockerHubTag,
  ecrTag,
  journalOf,
  nextRelease,
  runEnv,
  runIdOf,
  seqrun,
  slackMessages,
  startBuildCalls,
  startSeedSandbox,
  statuses,
  stopSeedSandbox,
  type Outcome,
} from '../sandbox-support.ts';

let root: string;
let sandbox: SandboxState;
let hub: RegistryProxy;
const runIds: string[] = [];

beforeAll(async () => {
  ({ root, sandbox } = await startSeedSandbox('seqrun-release-mmd-faults-'));
  hub = await startRegistryProxy(sandbox.env['SEQRUN_DOCKERHUB_REGISTRY'] ?? '');
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await stopSeedSandbox(root, runIds);
}, 60_000);

/** Every run goes to Docker Hub through the proxy; `extra` overrides the sandbox's environment. */
const envWith = (extra: Record<string, string> = {}) => runEnv(sandbox, { SEQRUN_DOCKERHUB_REGISTRY: hub.url, ...extra });

async function run(release: number, extra: Record<string, string> = {}): Promise<{ runId: string; result: Outcome }> {
  const vars = [`release=${release}`, 'apps=demo', `workdir=${join(root, 'work')}`].flatMap((v) => ['--var', v]);
  const result = await seqrun(['run', 'specs/release.mmd', '--profile', 'sandbox', '--format', 'plain', ...vars], envWith(extra));
  const runId = runIdOf(result.out);
  runIds.push(runId);
  return { runId, result };
}

const resume = (runId: string): Promise<Outcome> => seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], envWith());

/** How many times each step was started, over the run and its resumes. */
function starts(events: readonly RunEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events)
    if (e.type === 'step-started' || e.type === 'job-started') out[`${e.type} ${e.stepId}`] = (out[`${e.type} ${e.stepId}`] ?? 0) + 1;
  return out;
}

/** The one line the CLI gives a failed run on stderr; the output holds no stack trace. */
function failureLine(out: string): string {
  const lines = out.split('\n').filter((l) => l.startsWith('seqrun: step '));
  expect(lines, out).toHaveLength(1);
  expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  return lines[0] ?? '';
}

const released = (messages: readonly SlackMessage[], release: number, channel: string): SlackMessage[] =>
  messages.filter((m) => m.channel === channel && m.text.includes(`alpha_release-${release} `));

describe('specs/release.mmd in the sandbox, endpoints misbehaving', () => {
  it(
    'Slack is down -> the first Slack notification (after the loop) fails the run with a clear line; a resume with Slack back posts it and finishes without building again',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const buildsBefore = await startBuildCalls(sandbox);
      const closed = `http://127.0.0.1:${await freePort()}/api/`;
      const { runId, result } = await run(release, { SEQRUN_SLACK_API_URL: closed });
      expect(result.code).toBe(1);
      expect(failureLine(result.out)).toBe(
        `seqrun: step s14 failed at specs/release.mmd:26:5 (Note left of Pay CI: Slack notification): could not reach Slack at ${closed} to post to #pay-activity: connect ECONNREFUSED ${new URL(closed).host}; check the Slack API URL and the network`,
      );
      const failed = statuses(await journalOf(runId));
      expect(failed).toMatchObject({
        's3#1': 'passed',
        's4#1': 'passed',
        's8#1': 'passed',
        's13#1': 'passed',
        s14: 'failed',
        s16: 'skipped',
      });
      expect(await ecrTag(sandbox, `${release}-release`)).toBeUndefined();
      expect(released(await slackMessages(sandbox), release, '#pay-activity')).toHaveLength(0);

      const resumed = await resume(runId);
      expect(resumed.code, resumed.out).toBe(0);
      const events = await journalOf(runId);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
      // ARM, x86, manifest and E2E: four builds in all, none started again by the resume.
      expect(await startBuildCalls(sandbox)).toBe(buildsBefore + 4);
      expect(starts(events)).toMatchObject({ 'job-started s4#1': 1, 'job-started s8#1': 1, 'job-started s11#1': 1, 'step-started s14': 2 });
      // Lines 26 and 42 each posted once, and nothing went to the failure channel.
      expect(released(await slackMessages(sandbox), release, '#pay-activity')).toHaveLength(2);
      expect(released(await slackMessages(sandbox), release, '#pay-announce')).toHaveLength(0);
      expect(await dockerHubTag(sandbox, 'latest-master')).toBe(await ecrTag(sandbox, `${release}-release`));
    },
  );

  it(
    'Docker Hub answers 500 midway through one blob upload -> the upload starts again and the push succeeds, same digest as ECR',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      hub.seen.length = 0;
      hub.faults.failUploads = 1;
      const { runId, result } = await run(release);
      expect(result.code, result.out).toBe(0);
      expect(hub.faults.failUploads).toBe(0);
      expect(hub.seen.filter((s) => /^PUT \/v2\/govukpay\/demo\/blobs\/uploads\/\S+ 500$/.test(s))).toHaveLength(1);
      const events = await journalOf(runId);
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'log',
          stepId: 's23',
          level: 'warn',
          message: expect.stringMatching(/starting the upload again \(2 of 3\)/),
        }),
      );
      expect(starts(events)['step-started s23']).toBe(1);
      const digest = await ecrTag(sandbox, `${release}-release`);
      expect(digest).toMatch(/^sha256:/);
      expect(await dockerHubTag(sandbox, 'latest-master')).toBe(digest);
    },
  );

  it(
    'Docker Hub answers 500 to every blob upload -> the push gives up after bounded uploads, pushes no manifest and names the step and line; a resume finishes it without building again',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const hubBefore = await dockerHubTag(sandbox, 'latest-master');
      hub.seen.length = 0;
      hub.faults.failUploads = 1000;
      const { runId, result } = await run(release);
      const failedUploads = 1000 - hub.faults.failUploads;
      hub.faults.failUploads = 0;
      expect(result.code).toBe(1);
      expect(failureLine(result.out)).toMatch(
        /^seqrun: step s23 failed at specs\/release\.mmd:40:5 \(Pay CI->>Dockerhub: Push latest-master to Dockerhub\): uploading blob sha256:[0-9a-f]{64} to http:\/\/127\.0\.0\.1:\d+\/govukpay\/demo: .*\(gave up after 3 uploads\); nothing that depends on it was pushed$/,
      );
      expect(failedUploads).toBe(3);
      expect(hub.seen.filter((s) => s.startsWith('PUT /v2/govukpay/demo/manifests/'))).toEqual([]);
      expect(await dockerHubTag(sandbox, 'latest-master')).toBe(hubBefore);
      const failed = await journalOf(runId);
      expect(statuses(failed)).toMatchObject({ s21: 'passed', s22: 'passed', s23: 'failed', s25: 'skipped' });
      // The step's failure notice names its line.
      const notices = released(await slackMessages(sandbox), release, '#pay-announce');
      expect(notices).toHaveLength(1);
      expect(JSON.stringify(notices[0]?.blocks)).toContain('line 40: Push latest-master to Dockerhub');

      const buildsBefore = await startBuildCalls(sandbox);
      const resumed = await resume(runId);
      expect(resumed.code, resumed.out).toBe(0);
      expect(await startBuildCalls(sandbox)).toBe(buildsBefore);
      const events = await journalOf(runId);
      expect(starts(events)).toMatchObject({ 'job-started s4#1': 1, 'job-started s16': 1, 'step-started s21': 1, 'step-started s23': 2 });
      expect(await dockerHubTag(sandbox, 'latest-master')).toBe(await ecrTag(sandbox, `${release}-release`));
    },
  );

  for (const [service, variable, where, passed] of [
    // Copy repo to S3 (3 attempts): CreateBucket is its first call.
    ['S3', 'AWS_ENDPOINT_URL_S3', /s3#1 failed at specs\/release\.mmd:11:9 \(Pay CI->>AWS: Copy repo to S3\): S3 CreateBucket/, ['s1#1']],
    // Either build of the par may fail first; the other is cancelled.
    [
      'CodeBuild',
      'AWS_ENDPOINT_URL_CODEBUILD',
      /(s4#1 failed at specs\/release\.mmd:13:13|s8#1 failed at specs\/release\.mmd:18:13) \(Pay CI->>\+AWS: Trigger CodeBuild \((ARM|x86)\)\): CodeBuild StartBuild/,
      ['s1#1', 's3#1'],
    ],
  ] as const) {
    it(
      `${service} is unreachable -> the run fails at the first step that needs it: exit 1, one clear line, its failure notice posted, no build started`,
      { timeout: 120_000 },
      async () => {
        const release = await nextRelease(sandbox);
        const buildsBefore = await startBuildCalls(sandbox);
        const closed = `http://127.0.0.1:${await freePort()}`;
        const { runId, result } = await run(release, { [variable]: closed });
        expect(result.code).toBe(1);
        const line = failureLine(result.out);
        expect(line).toMatch(where);
        expect(line).toContain(`: cannot reach ${closed} (ECONNREFUSED). Is the endpoint running and the URL right?`);
        const failedStepId = /^seqrun: step (\S+) failed/.exec(line)?.[1];
        const events = await journalOf(runId);
        expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed', failedStepId });
        const status = statuses(events);
        for (const id of passed) expect(status[id]).toBe('passed');
        expect(status[failedStepId ?? '']).toBe('failed');
        expect(status['s16']).toBe('skipped');
        expect(await startBuildCalls(sandbox)).toBe(buildsBefore);
        // The failed step's notice (the par's other build, failing at the same moment, may post its own).
        const notices = released(await slackMessages(sandbox), release, '#pay-announce');
        expect(notices.length).toBeGreaterThanOrEqual(1);
        for (const notice of notices) expect(JSON.stringify(notice.blocks)).toContain(`cannot reach ${closed}`);
      },
    );
  }

  it(
    'ECR is unreachable (for seqrun and the builds) -> the first build fails pushing its image, the log tail says why, the other build is stopped: exit 1, no candidate tag',
    { timeout: 120_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const buildsBefore = await startBuildCalls(sandbox);
      const closed = `http://127.0.0.1:${await freePort()}`;
      const { runId, result } = await run(release, { AWS_ENDPOINT_URL_ECR: closed });
      expect(result.code).toBe(1);
      expect(failureLine(result.out)).toMatch(
        /^seqrun: step (s4#1|s8#1) failed at specs\/release\.mmd:(13|18):13 \(Pay CI->>\+AWS: Trigger CodeBuild \((ARM|x86)\)\): CodeBuild build pay-demo-(armv8|amd64):\S+ FAILED in phase BUILD \(COMMAND_EXECUTION_ERROR/,
      );
      expect(result.out).toContain(`image-tool: ECR GetAuthorizationToken: cannot reach ${closed} (ECONNREFUSED)`);
      const status = statuses(await journalOf(runId));
      const par = [status['s4#1'], status['s8#1']];
      expect(par).toContain('failed');
      for (const one of par) expect(['failed', 'cancelled']).toContain(one);
      expect(status['s11']).toBe('skipped');
      expect(await startBuildCalls(sandbox)).toBe(buildsBefore + 2);
      for (const tag of [`${release}-candidate`, `${release}-candidate-amd64`, `${release}-candidate-armv8`])
        expect(await ecrTag(sandbox, tag)).toBeUndefined();
    },
  );
});
