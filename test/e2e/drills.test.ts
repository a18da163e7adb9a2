// Fault drills: the seed's release processes run by `seqrun run` against one sandbox (moto,
// docker-registry, the local CodeBuild and Slack endpoints, started here), with the demo app broken
// or the endpoints misbehaving on purpose. Needs moto_server, docker-registry, git, tar and unzip.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxState } from '../../src/sandbox/index.ts';
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
  statuses,
  startSeedSandbox,
  stopSeedSandbox,
} from './sandbox-support.ts';

let root: string;
let sandbox: SandboxState;
const runIds: string[] = [];

beforeAll(async () => {
  ({ root, sandbox } = await startSeedSandbox('seqrun-drills-'));
}, 120_000);

afterAll(() => stopSeedSandbox(root, runIds), 60_000);

async function editFile(dir: string, file: string, from: string, to: string): Promise<void> {
  const text = await readFile(join(dir, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  await writeFile(join(dir, file), text.replace(from, to));
}

const vars = (release: number, extra: string[] = []): string[] => [
  '--var',
  `release=${release}`,
  '--var',
  `workdir=${join(root, 'work')}`,
  ...extra.flatMap((v) => ['--var', v]),
];

/** The step lines of a rendered mermaid run, each with the colour of its rect. */
function colours(mermaid: string): { text: string; colour: string }[] {
  const out: { text: string; colour: string }[] = [];
  const lines = mermaid.split('\n');
  lines.forEach((line, i) => {
    const colour = /rect (rgb\([^)]*\))/.exec(line)?.[1];
    if (colour) out.push({ colour, text: lines[i + 1]?.trim() ?? '' });
  });
  return out;
}

describe('fault drills against the sandbox', () => {
  it(
    'current: the E2E build fails -> the run fails there with the phase, no release tag, Docker Hub untouched, failure posted, drawn red then grey',
    { timeout: 120_000 },
    async () => {
      const release = await nextRelease(sandbox, (dir) => editFile(dir, 'src/server.mjs', "status: 'ok'", "status: 'degraded'"));
      const hubBefore = await dockerHubTag(sandbox, 'latest-master');

      const result = await seqrun(
        ['run', 'specs/current.seq', '--profile', 'sandbox', '--format', 'plain', ...vars(release)],
        runEnv(sandbox),
      );
      const runId = runIdOf(result.out);
      runIds.push(runId);

      expect(result.code).toBe(1);
      expect(result.out).toMatch(
        /seqrun: step s9 failed at specs\/current\.seq:10:1 \(Pay CI->AWS: Trigger E2E CodeBuild \(x86\)\): CodeBuild build endtoend-tests:\S+ FAILED in phase BUILD/,
      );
      const events = await journalOf(runId);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed', failedStepId: 's9' });
      const after = Object.entries(statuses(events)).filter(([id]) => Number(id.slice(1)) > 9);
      expect(after.map(([, status]) => status)).toEqual(Array(8).fill('skipped'));

      expect(await ecrTag(sandbox, `${release}-candidate`)).toMatch(/^sha256:/);
      expect(await ecrTag(sandbox, `${release}-release`)).toBeUndefined();
      expect(await dockerHubTag(sandbox, 'latest-master')).toBe(hubBefore);

      const failures = (await slackMessages(sandbox)).filter((m) => m.channel === '#pay-announce');
      expect(failures.map((m) => m.text)).toEqual([`deploy-to-test pay-demo alpha_release-${release} FAILED`]);
      expect(JSON.stringify(failures[0]?.blocks)).toContain('line 10: Trigger E2E CodeBuild (x86)');

      const drawn = await seqrun(['render', 'specs/current.seq', '--run', runId, '--format', 'mermaid'], runEnv(sandbox));
      const steps = colours(drawn.out);
      const e2e = steps.findIndex((s) => s.text.includes('Trigger E2E CodeBuild (x86)'));
      expect(steps[e2e]).toMatchObject({ colour: 'rgb(255, 205, 205)' });
      expect(steps[e2e]?.text).toContain('-x');
      expect(steps.slice(e2e + 1).map((s) => s.colour)).toEqual(Array(8).fill('rgb(222, 222, 222)'));
      expect(steps.slice(0, e2e).map((s) => s.colour)).toEqual(Array(e2e).fill('rgb(200, 240, 200)'));
    },
  );

  it(
    "interim: the ARM build fails while x86 builds -> the x86 step is aborted (fail fast), the run fails at the ARM call's reply line",
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
      // The x86 build would take 60 s: far longer than the ARM build needs to fail.
      const result = await seqrun(
        ['run', 'specs/interim.seq', '--profile', 'sandbox', '--format', 'plain', ...vars(release, ['buildSeconds=60'])],
        runEnv(sandbox),
      );
      const runId = runIdOf(result.out);
      runIds.push(runId);

      expect(result.code).toBe(1);
      // Fail fast: the run stops while x86 builds, and fails at the line that checks the ARM build (its reply, line 12).
      expect(result.out).toMatch(
        /seqrun: step s11 failed at specs\/interim\.seq:12:1 \(AWS-->Pay CI: Success\): .*Trigger CodeBuild \(ARM\).* did not succeed: CodeBuild build pay-demo-armv8:\S+ FAILED in phase BUILD/,
      );
      const events = await journalOf(runId);
      const status = statuses(events);
      expect(status).toMatchObject({ s4: 'failed', s7: 'cancelled', s8: 'skipped', s9: 'skipped', s10: 'skipped', s11: 'failed' });
      const x86 = events.find((e) => e.type === 'step-finished' && e.stepId === 's7');
      expect(x86).toMatchObject({ error: { message: 'the run stopped: step s11 failed' } });
      expect(events.find((e) => e.type === 'run-finished')).toMatchObject({ status: 'failed', failedStepId: 's11' });
      // The steps between the call and its join never ran to completion: the reply failed without waiting for them.
      expect(events.some((e) => e.type === 'step-started' && e.stepId === 's11')).toBe(false);
      expect(await ecrTag(sandbox, `${release}-candidate`)).toBeUndefined();
      const notices = (await slackMessages(sandbox)).filter(
        (m) => m.channel === '#pay-announce' && m.text.includes(`alpha_release-${release} `),
      );
      expect(notices.map((m) => JSON.stringify(m.blocks).includes('line 5: Trigger CodeBuild (ARM)'))).toEqual([true]);
    },
  );

  it(
    'final: the runner is killed during the arm/x86 builds and resumed -> each build started once, green, the journal shows the resume; Slack 429 twice then success passes',
    { timeout: 150_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const startsBefore = await startBuildCalls(sandbox);
      let runId = '';
      let buildsStarted = 0;
      const code = await seqrunEvents(
        ['run', 'specs/final.seq', '--profile', 'sandbox', ...vars(release, ['buildSeconds=4'])],
        runEnv(sandbox),
        (event, child) => {
          if (event.type === 'run-started') runId = event.runId;
          if (event.type === 'job-started' && event.stepId === 's4') {
            buildsStarted = (event.handle as unknown[]).length;
            child.kill('SIGKILL');
          }
        },
      );
      runIds.push(runId);
      expect(code).toBeNull(); // killed by the signal
      expect(buildsStarted).toBe(2);
      expect(await startBuildCalls(sandbox)).toBe(startsBefore + 2);

      await slackFaults(sandbox, { rateLimit: 2, retryAfterSeconds: 1 });
      const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
      expect(resumed.out).toContain(`resuming run ${runId}`);
      expect(resumed.out).toContain('re-attaching s4');
      expect(resumed.code).toBe(0);

      // amd64 and armv8 once each before the kill; manifest and E2E once each after the resume.
      expect(await startBuildCalls(sandbox)).toBe(startsBefore + 4);
      const events = await journalOf(runId);
      expect(events.filter((e) => e.type === 'job-started' && e.stepId === 's4')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'run-resumed')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
      expect(Object.values(statuses(events)).every((s) => s === 'passed')).toBe(true);
      const limited = events.filter((e) => e.type === 'log' && e.stepId === 's13' && /rate-limited/.test(e.message));
      expect(limited).toHaveLength(2);
      expect(await ecrTag(sandbox, `${release}-release`)).toBe(await ecrTag(sandbox, `${release}-candidate`));
    },
  );

  it(
    'current: Docker Hub is down -> the step fails after bounded retries, nothing else is lost (a resume finishes the run)',
    { timeout: 120_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const down = await downRegistry();
      try {
        const result = await seqrun(
          ['run', 'specs/current.seq', '--profile', 'sandbox', '--format', 'plain', ...vars(release)],
          runEnv(sandbox, { SEQRUN_DOCKERHUB_REGISTRY: down.url }),
        );
        const runId = runIdOf(result.out);
        runIds.push(runId);
        expect(result.code).toBe(1);
        expect(result.out).toMatch(
          /seqrun: step s14 failed at specs\/current\.seq:15:1 \(Pay CI->Dockerhub: Push latest-master to Dockerhub\): .*answered 503 after 3 attempts/,
        );
        // The sandbox profile allows 3 attempts per registry request, and the step itself is not retried.
        expect(down.requests()).toBe(3);
        const before = statuses(await journalOf(runId));
        expect(Object.entries(before).filter(([, s]) => s === 'passed')).toHaveLength(14);
        expect(await ecrTag(sandbox, `${release}-release`)).toMatch(/^sha256:/);
        const notices = (await slackMessages(sandbox)).filter(
          (m) => m.channel === '#pay-announce' && m.text.includes(`alpha_release-${release} `),
        );
        expect(notices.map((m) => JSON.stringify(m.blocks).includes('line 15: Push latest-master to Dockerhub'))).toEqual([true]);

        const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
        expect(resumed.out).toContain('14 steps already passed');
        expect(resumed.code).toBe(0);
        expect(await dockerHubTag(sandbox, 'latest-master')).toBe(await ecrTag(sandbox, `${release}-release`));
      } finally {
        await down.close();
      }
    },
  );
});
