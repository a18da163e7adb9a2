// specs/release.mmd (mermaid's par, loop, critical, break) against one sandbox: green, its loop
// building both fixture apps (demo and cardid, one alpha_release-<N>); the E2E run fails ->
// compensated (Slack told, the release stopped by the break, nothing published); the ARM build fails
// while x86 builds -> the x86 build is cancelled at once; the runner is killed inside the par and in
// the loop's second iteration -> resumed, each CodeBuild build started once, green. The drills that
// are not about the loop pin `--var apps=demo` (one iteration) to keep their time down.
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
  startsByProject,
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

const ONE_APP = 'apps=demo';

const run = (release: number, extra: string[] = []) =>
  seqrun(['run', 'specs/release.mmd', '--profile', 'sandbox', '--format', 'plain', ...vars(release, extra)], runEnv(sandbox));

/** StartBuild calls per project since `before` (projects with none left out). */
async function startedSince(before: Record<string, number>): Promise<Record<string, number>> {
  const after = await startsByProject(sandbox);
  return Object.fromEntries(Object.entries(after).flatMap(([p, n]) => (n > (before[p] ?? 0) ? [[p, n - (before[p] ?? 0)]] : [])));
}

/** Each app's projects once, and the E2E project once per app: a release of both apps, nothing started twice. */
const BOTH_APPS_ONCE = {
  'pay-demo-amd64': 1,
  'pay-demo-armv8': 1,
  'pay-demo-manifest': 1,
  'pay-cardid-amd64': 1,
  'pay-cardid-armv8': 1,
  'pay-cardid-manifest': 1,
  'endtoend-tests': 2,
};

describe('specs/release.mmd in the sandbox', () => {
  it(
    'runs green: the loop builds both apps (one alpha_release-<N>), the ARM and x86 builds overlap in each par, both apps are published',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const before = await startsByProject(sandbox);
      const result = await run(release);
      runIds.push(runIdOf(result.out));
      expect(result.code).toBe(0);
      const events = await journalOf(runIdOf(result.out));
      expect(events).toContainEqual(expect.objectContaining({ type: 'block', blockId: 'b0', what: 'items', items: ['demo', 'cardid'] }));
      expect(events).toContainEqual(expect.objectContaining({ type: 'block', blockId: 'b0', what: 'ended', iterations: 2 }));
      const fetched = events.flatMap((e) => (e.type === 'step-finished' && /^s1#/.test(e.stepId) ? [[e.stepId, e.output]] : []));
      expect(fetched).toEqual([
        ['s1#1', expect.objectContaining({ app: 'demo', tag: `alpha_release-${release}` })],
        ['s1#2', expect.objectContaining({ app: 'cardid', tag: `alpha_release-${release}` })],
      ]);
      const status = statuses(events);
      for (const step of ['s4', 's8', 's11']) expect([status[`${step}#1`], status[`${step}#2`]]).toEqual(['passed', 'passed']);
      // In each iteration both CodeBuild builds started before either finished; the second iteration
      // began after the first ended.
      const order = events.flatMap((e) => (e.type === 'job-started' || e.type === 'step-finished' ? [`${e.type} ${e.stepId}`] : []));
      for (const i of [1, 2]) {
        expect(order.indexOf(`job-started s8#${i}`)).toBeLessThan(order.indexOf(`step-finished s4#${i}`));
        expect(order.indexOf(`job-started s4#${i}`)).toBeLessThan(order.indexOf(`step-finished s8#${i}`));
      }
      expect(order.indexOf('step-finished s13#1')).toBeLessThan(order.indexOf('job-started s4#2'));
      // Each app built by its own projects once; the E2E run tested each app's candidate.
      expect(await startedSince(before)).toEqual(BOTH_APPS_ONCE);
      const tested = events.find((e) => e.type === 'step-finished' && e.stepId === 's17');
      expect(tested?.type === 'step-finished' && tested.output).toEqual([
        expect.objectContaining({ app: 'demo', summary: 'E2E SUMMARY passed=4 failed=0' }),
        expect.objectContaining({ app: 'cardid', summary: 'E2E SUMMARY passed=4 failed=0' }),
      ]);
      // Each app's images in its own ECR repository, released and on Docker Hub.
      const released: string[] = [];
      for (const app of ['demo', 'cardid']) {
        const candidate = await ecrTag(sandbox, `${release}-candidate`, app);
        expect(candidate).toMatch(/^sha256:/);
        expect(await ecrTag(sandbox, `${release}-candidate-armv8`, app)).toMatch(/^sha256:/);
        expect(await ecrTag(sandbox, `${release}-release`, app)).toBe(candidate);
        expect(await dockerHubTag(sandbox, 'latest-master', app)).toBe(candidate);
        released.push(candidate ?? '');
      }
      expect(released[0]).not.toBe(released[1]);
      const drawn = await seqrun(['render', 'specs/release.mmd', '--run', runIdOf(result.out), '--format', 'mermaid'], runEnv(sandbox));
      expect(drawn.out).toContain('loop for each app in apps (2 iterations)');
      expect(drawn.out).toMatch(/option the E2E run failed \(skipped\)|critical the E2E run \(passed\)/);
    },
  );

  it('--var apps=demo: the loop runs once, for the demo app only', { timeout: 120_000 }, async () => {
    const release = await nextRelease(sandbox);
    const before = await startsByProject(sandbox);
    const result = await run(release, [ONE_APP, 'buildSeconds=0']);
    runIds.push(runIdOf(result.out));
    expect(result.code).toBe(0);
    const events = await journalOf(runIdOf(result.out));
    expect(events).toContainEqual(expect.objectContaining({ type: 'block', blockId: 'b0', what: 'items', items: ['demo'] }));
    expect(await startedSince(before)).toEqual({ 'pay-demo-amd64': 1, 'pay-demo-armv8': 1, 'pay-demo-manifest': 1, 'endtoend-tests': 1 });
    expect(await ecrTag(sandbox, `${release}-release`)).toBe(await ecrTag(sandbox, `${release}-candidate`));
    expect(await ecrTag(sandbox, `${release}-release`, 'cardid')).toBeUndefined();
    const drawn = await seqrun(['render', 'specs/release.mmd', '--run', runIdOf(result.out), '--format', 'mermaid'], runEnv(sandbox));
    expect(drawn.out).toContain('loop for each app in apps (1 iteration)');
  });

  it(
    'the E2E run fails -> the option notifies Slack and the break stops the release: failed with its reason, nothing published',
    { timeout: 120_000 },
    async () => {
      const release = await nextRelease(sandbox, (dir) => editFile(dir, 'src/server.mjs', "status: 'ok'", "status: 'degraded'"));
      const hubBefore = await dockerHubTag(sandbox, 'latest-master');
      const result = await run(release, [ONE_APP]);
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
      const result = await run(release, [ONE_APP, 'buildSeconds=60']);
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
        ['run', 'specs/release.mmd', '--profile', 'sandbox', ...vars(release, [ONE_APP, 'buildSeconds=5'])],
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
          ['run', 'specs/release.mmd', '--profile', 'sandbox', '--format', 'plain', ...vars(release, [ONE_APP])],
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

  it(
    'the runner is killed inside the par (both builds started) and resumed -> each build started once, green',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const startsBefore = await startBuildCalls(sandbox);
      let runId = '';
      const code = await seqrunEvents(
        ['run', 'specs/release.mmd', '--profile', 'sandbox', ...vars(release, [ONE_APP, 'buildSeconds=3'])],
        runEnv(sandbox),
        (event, child) => {
          if (event.type === 'run-started') runId = event.runId;
          if (event.type === 'job-started' && event.stepId === 's8#1') child.kill('SIGKILL');
        },
      );
      runIds.push(runId);
      expect(code).toBeNull();
      const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
      expect(resumed.code).toBe(0);
      expect(resumed.out).toMatch(/re-attaching .*s8#1/);
      // ARM, x86, manifest and E2E: four builds in all, none started twice.
      expect(await startBuildCalls(sandbox)).toBe(startsBefore + 4);
      const events = await journalOf(runId);
      expect(events.filter((e) => e.type === 'job-started' && e.stepId === 's8#1')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    },
  );

  it(
    "the runner is killed in the loop's second iteration (cardid's manifest build started) and resumed -> iteration 1 is not repeated, each build started once, green",
    { timeout: 180_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const before = await startsByProject(sandbox);
      let runId = '';
      const code = await seqrunEvents(
        ['run', 'specs/release.mmd', '--profile', 'sandbox', ...vars(release, ['buildSeconds=3'])],
        runEnv(sandbox),
        (event, child) => {
          if (event.type === 'run-started') runId = event.runId;
          if (event.type === 'job-started' && event.stepId === 's11#2') child.kill('SIGKILL');
        },
      );
      runIds.push(runId);
      expect(code).toBeNull();
      const killed = await journalOf(runId);
      const finishedBeforeKill = new Set(killed.flatMap((e) => (e.type === 'step-finished' ? [e.stepId] : [])));
      expect([...finishedBeforeKill].filter((id) => id.endsWith('#1')).sort()).toEqual(
        ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 's12', 's13'].map((s) => `${s}#1`).sort(),
      );
      const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
      expect(resumed.code).toBe(0);
      expect(resumed.out).toMatch(/re-attaching .*s11#2/);
      // Both apps' builds and the E2E run's two: none started twice, iteration 1's not again.
      expect(await startedSince(before)).toEqual(BOTH_APPS_ONCE);
      const events = await journalOf(runId);
      const resumedAt = events.findIndex((e) => e.type === 'run-resumed');
      expect(resumedAt).toBeGreaterThan(killed.length - 1);
      const rerun = events.slice(resumedAt).flatMap((e) => (e.type === 'step-started' && e.stepId.endsWith('#1') ? [e.stepId] : []));
      expect(rerun).toEqual([]);
      expect(events.filter((e) => e.type === 'job-started' && e.stepId === 's11#2')).toHaveLength(1);
      expect(statuses(events)).toMatchObject({ 's11#2': 'passed', 's13#2': 'passed', s23: 'passed' });
      expect(await ecrTag(sandbox, `${release}-release`, 'cardid')).toBe(await ecrTag(sandbox, `${release}-candidate`, 'cardid'));
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    },
  );
});
