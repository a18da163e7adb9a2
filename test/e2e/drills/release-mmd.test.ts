// specs/release.mmd (mermaid's par, loop, critical, break) against one sandbox: green; the E2E run
// fails -> compensated (Slack told, the release stopped by the break, nothing published); the ARM
// build fails while x86 builds -> the x86 build is cancelled at once; the runner is killed inside the
// par and inside the loop -> resumed, each CodeBuild build started once, green.
// Needs moto_server, docker-registry, git, tar and unzip.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxState } from '../../../src/sandbox/index.ts';
import {
  dockerHubTag,
  downRegistry,
  ecrTag,
  journalOf,
  nextRelease,
  runEnv,
  runIdOf,
  seqrun,
  seqrunEvents,
  slackFaults,
  slackMessages,
  startBuildCalls,
  startSeedSandbox,
  statuses,
  stopSeedSandbox,
} from '../sandbox-support.ts';

let root: string;
let sandbox: SandboxState;
const runIds: string[] = [];

beforeAll(async () => {
  ({ root, sandbox } = await startSeedSandbox('seqrun-release-mmd-'));
}, 120_000);

afterAll(() => stopSeedSandbox(root, runIds), 60_000);

async function editFile(dir: string, file: string, from: string, to: string): Promise<void> {
  const text = await readFile(join(dir, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  await writeFile(join(dir, file), text.replace(from, to));
}

const vars = (release: number, extra: string[] = []): string[] =>
  ['release=' + String(release), `workdir=${join(root, 'work')}`, ...extra].flatMap((v) => ['--var', v]);

const run = (release: number, extra: string[] = []) =>
  seqrun(['run', 'specs/release.mmd', '--profile', 'sandbox', '--format', 'plain', ...vars(release, extra)], runEnv(sandbox));

describe('specs/release.mmd in the sandbox', () => {
  it(
    'runs green: the loop builds the app once, the ARM and x86 builds overlap in the par, the release is published',
    { timeout: 120_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const result = await run(release);
      runIds.push(runIdOf(result.out));
      expect(result.code).toBe(0);
      const events = await journalOf(runIdOf(result.out));
      expect(events).toContainEqual(expect.objectContaining({ type: 'block', blockId: 'b0', what: 'items', items: ['demo'] }));
      // Both CodeBuild builds started before either finished.
      const order = events.flatMap((e) => (e.type === 'job-started' || e.type === 'step-finished' ? [`${e.type} ${e.stepId}`] : []));
      expect(order.indexOf('job-started s8#1')).toBeLessThan(order.indexOf('step-finished s4#1'));
      expect(order.indexOf('job-started s4#1')).toBeLessThan(order.indexOf('step-finished s8#1'));
      expect(await ecrTag(sandbox, `${release}-release`)).toBe(await ecrTag(sandbox, `${release}-candidate`));
      const drawn = await seqrun(['render', 'specs/release.mmd', '--run', runIdOf(result.out), '--format', 'mermaid'], runEnv(sandbox));
      expect(drawn.out).toContain('loop for each app in apps (1 iteration)');
      expect(drawn.out).toMatch(/option the E2E run failed \(skipped\)|critical the E2E run \(passed\)/);
    },
  );

  it(
    'the E2E run fails -> the option notifies Slack and the break stops the release: failed with its reason, nothing published',
    { timeout: 120_000 },
    async () => {
      const release = await nextRelease(sandbox, (dir) => editFile(dir, 'src/server.mjs', "status: 'ok'", "status: 'degraded'"));
      const hubBefore = await dockerHubTag(sandbox, 'latest-master');
      const result = await run(release);
      const runId = runIdOf(result.out);
      runIds.push(runId);
      expect(result.code).toBe(1);
      const events = await journalOf(runId);
      expect(events.at(-1)).toMatchObject({
        type: 'run-finished',
        status: 'failed',
        failedStepId: 'b3',
        reason: 'break: the release is stopped',
      });
      expect(events).toContainEqual(expect.objectContaining({ type: 'block', blockId: 'b2', what: 'compensation', branch: 0 }));
      expect(statuses(events)).toMatchObject({ s16: 'failed', s19: 'passed', s20: 'passed', s21: 'skipped', s23: 'skipped' });
      expect(await ecrTag(sandbox, `${release}-release`)).toBeUndefined();
      expect(await dockerHubTag(sandbox, 'latest-master')).toBe(hubBefore);
      expect((await slackMessages(sandbox)).some((m) => m.text.includes(`alpha_release-${release}`))).toBe(true);
    },
  );

  it(
    'the ARM build fails while x86 builds -> the x86 build is cancelled at once (StopBuild) and the run fails in the par',
    { timeout: 120_000 },
    async () => {
      const release = await nextRelease(sandbox, (dir) =>
        editFile(
          dir,
          'build.mjs',
          "const arch = process.env.ARCH ?? 'amd64';",
          "const arch = process.env.ARCH ?? 'amd64';\nif (arch === 'armv8') throw new Error('a native dependency has no arm64 build');",
        ),
      );
      const result = await run(release, ['buildSeconds=60']);
      const runId = runIdOf(result.out);
      runIds.push(runId);
      expect(result.code).toBe(1);
      const status = statuses(await journalOf(runId));
      expect(status).toMatchObject({ 's4#1': 'failed', 's8#1': 'cancelled', s16: 'skipped' });
    },
  );

  it(
    'Ctrl-C inside the par -> both builds stopped, exit 130; a resume starts them afresh and finishes green; Slack 429 twice then success passes',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const startsBefore = await startBuildCalls(sandbox);
      let runId = '';
      const code = await seqrunEvents(
        ['run', 'specs/release.mmd', '--profile', 'sandbox', ...vars(release, ['buildSeconds=5'])],
        runEnv(sandbox),
        (event, child) => {
          if (event.type === 'run-started') runId = event.runId;
          if (event.type === 'job-started' && event.stepId === 's8#1') child.kill('SIGINT');
        },
      );
      runIds.push(runId);
      expect(code).toBe(130);
      expect(statuses(await journalOf(runId))).toMatchObject({ 's4#1': 'cancelled', 's8#1': 'cancelled', s16: 'skipped' });
      await slackFaults(sandbox, { rateLimit: 2, retryAfterSeconds: 1 });
      const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
      expect(resumed.code).toBe(0);
      // ARM and x86 twice (cancelled, then afresh), manifest and E2E once.
      expect(await startBuildCalls(sandbox)).toBe(startsBefore + 6);
      const events = await journalOf(runId);
      expect(events.filter((e) => e.type === 'log' && /rate-limited/.test(e.message)).length).toBeGreaterThanOrEqual(2);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    },
  );

  it(
    'Docker Hub is down -> the push fails after bounded retries after the par and loop passed; a resume finishes the run',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const down = await downRegistry();
      try {
        const result = await seqrun(
          ['run', 'specs/release.mmd', '--profile', 'sandbox', '--format', 'plain', ...vars(release)],
          runEnv(sandbox, { SEQRUN_DOCKERHUB_REGISTRY: down.url }),
        );
        const runId = runIdOf(result.out);
        runIds.push(runId);
        expect(result.code).toBe(1);
        expect(result.out).toMatch(/seqrun: step s23 failed at specs\/release\.mmd:40:5 .*answered 503 after 3 attempts/);
        const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
        expect(resumed.code).toBe(0);
        const events = await journalOf(runId);
        // The loop's iteration and the par's builds passed before the failure: not run again.
        expect(events.filter((e) => e.type === 'job-started' && e.stepId === 's4#1')).toHaveLength(1);
        expect(await dockerHubTag(sandbox, 'latest-master')).toBe(await ecrTag(sandbox, `${release}-release`));
      } finally {
        await down.close();
      }
    },
  );

  for (const [where, killAt] of [
    ['inside the par (both builds started)', 's8#1'],
    ['inside the loop (the manifest build started)', 's11#1'],
  ] as const) {
    it(`the runner is killed ${where} and resumed -> each build started once, green`, { timeout: 150_000 }, async () => {
      const release = await nextRelease(sandbox);
      const startsBefore = await startBuildCalls(sandbox);
      let runId = '';
      const code = await seqrunEvents(
        ['run', 'specs/release.mmd', '--profile', 'sandbox', ...vars(release, ['buildSeconds=3'])],
        runEnv(sandbox),
        (event, child) => {
          if (event.type === 'run-started') runId = event.runId;
          if (event.type === 'job-started' && event.stepId === killAt) child.kill('SIGKILL');
        },
      );
      runIds.push(runId);
      expect(code).toBeNull();
      const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
      expect(resumed.code).toBe(0);
      expect(resumed.out).toMatch(new RegExp(`re-attaching .*${killAt}`));
      // ARM, x86, manifest and E2E: four builds in all, none started twice.
      expect(await startBuildCalls(sandbox)).toBe(startsBefore + 4);
      const events = await journalOf(runId);
      expect(events.filter((e) => e.type === 'job-started' && e.stepId === killAt)).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    });
  }
});
