// The seed's three processes on the Step Functions engine, in the sandbox (its moto runs the machines,
// SQS and the S3 journal): deployed with one queue, answered by two `seqrun worker` processes sharing
// the S3 journal, each run green with its real effects. Then the drill: final.seq with the worker that
// awaits the ARM and x86 builds killed with SIGKILL; the other one takes the step when SQS delivers it
// again, re-attaches the builds from the journal, and the release finishes with no StartBuild repeated.
// Needs moto_server, docker-registry, git, tar and unzip.
//
// One sandbox for every execution: the sandbox runs moto with the fix for a second StartExecution
// (src/sandbox/moto/moto_sfn_server.py, getmoto/moto#10077), so each test deploys its process into it
// again and brings its own two workers.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { SandboxState } from '../../../src/sandbox/index.ts';
import { parseS3Location } from '../../../src/store/location.ts';
import { foldJournal } from '../../../src/run/fold.ts';
import { readS3Journal } from '../../../src/store/s3-journal.ts';
import { s3Client } from '../../../src/store/s3-objects.ts';
import { PROJECTS } from '../../../specs/sandbox/provision.ts';
import {
  dockerHubTag,
  ecrTag,
  nextRelease,
  type Outcome,
  repo,
  runEnv,
  seqrun,
  slackMessages,
  startSeedSandbox,
  startsByProject,
  stopSeedSandbox,
} from '../sandbox-support.ts';

const JOURNAL = 's3://seqrun-journals/sfn';
const SEEDS = ['current', 'interim', 'final'] as const;
const ROLE = 'arn:aws:iam::123456789012:role/seqrun-machine';

interface Worker {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr: string;
}

/** `seed` deployed in the sandbox, and two workers on its queue. */
interface Rehearsal {
  readonly root: string;
  readonly sandbox: SandboxState;
  readonly workers: readonly [Worker, Worker];
}

let root: string | undefined;
let sandbox: SandboxState;
let current: Rehearsal | undefined;

beforeAll(async () => {
  ({ root, sandbox } = await startSeedSandbox('seqrun-sfn-seed-'));
  const client = s3Client(sandbox.env);
  await client.send(new CreateBucketCommand({ Bucket: 'seqrun-journals' }));
  client.destroy();
}, 120_000);

afterAll(() => stopSeedSandbox(root), 60_000);

afterEach(async () => {
  if (!current) return;
  for (const worker of current.workers) worker.child.kill('SIGTERM');
  await Promise.all(current.workers.map((w) => w.exited));
  current = undefined;
}, 60_000);

async function rehearsal(seed: string): Promise<Rehearsal> {
  if (root === undefined) throw new Error('the sandbox did not start (beforeAll)');
  const args = ['deploy', '--engine', 'stepfunctions', `specs/${seed}.seq`, '--role-arn', ROLE, '--profile', 'sandbox'];
  // One queue the three machines could share (one pool of workers); a dead worker's step is back within 5 s.
  const deployed = await seqrun([...args, '--queue-name', 'seqrun-pay', '--visibility-timeout', '5'], runEnv(sandbox));
  expect(deployed.code, deployed.out).toBe(0);
  const { queueUrl } = JSON.parse(deployed.out) as { queueUrl: string };
  const worker = (): Worker => {
    const command = ['worker', '--engine', 'stepfunctions', '--queue', queueUrl, '--journal', JOURNAL, '--profile', 'sandbox'];
    const child = spawn(process.execPath, [join(repo, 'bin/seqrun.js'), ...command, ...SEEDS.map((s) => `specs/${s}.seq`)], {
      cwd: repo,
      env: runEnv(sandbox),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const started: Worker = { child, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))), stderr: '' };
    child.stderr?.on('data', (chunk: Buffer) => (started.stderr += chunk.toString('utf8')));
    return started;
  };
  current = { root, sandbox, workers: [worker(), worker()] };
  return current;
}

const runArgs = (r: Rehearsal, seed: string, release: number, buildSeconds: number): string[] => [
  'run',
  '--engine',
  'stepfunctions',
  `specs/${seed}.seq`,
  '--profile',
  'sandbox',
  ...['--var', `release=${release}`, '--var', `workdir=${join(r.root, 'work')}`, '--var', `buildSeconds=${buildSeconds}`],
  // The run adds its own events to the journal the workers write (run-started, blocks, run-finished).
  ...['--journal', JOURNAL],
];

async function expectReleased(sandbox: SandboxState, release: number): Promise<void> {
  expect(await ecrTag(sandbox, `${release}-release`)).toMatch(/^sha256:/);
  expect(await dockerHubTag(sandbox, 'latest-master')).toMatch(/^sha256:/);
  const posted = (await slackMessages(sandbox)).filter((m) => m.channel === '#pay-activity' && m.text.includes(`alpha_release-${release}`));
  expect(posted.length).toBeGreaterThan(0);
}

describe('the seed on Step Functions in the sandbox, two workers', () => {
  it.each(SEEDS)('%s runs green: the release tag in ECR, latest-master on Docker Hub, Slack told', { timeout: 300_000 }, async (seed) => {
    const r = await rehearsal(seed);
    const release = await nextRelease(r.sandbox);
    const run = await seqrun(runArgs(r, seed, release, 0), runEnv(r.sandbox));
    expect(run.code, `${run.out}\n${r.workers.map((w) => w.stderr).join('\n')}`).toBe(0);
    await expectReleased(r.sandbox, release);
  });

  it(
    'final: the worker awaiting the builds is killed (SIGKILL); the other re-attaches them when the step comes back, and the release finishes with one StartBuild per project',
    { timeout: 300_000 },
    async () => {
      const r = await rehearsal('final');
      const [a, b] = r.workers;
      const release = await nextRelease(r.sandbox);
      const before = await startsByProject(r.sandbox);
      let ran: Outcome | undefined;
      const running = seqrun(runArgs(r, 'final', release, 6), runEnv(r.sandbox)).then((outcome) => (ran = outcome));
      const over = (): string | false => (ran ? `the run ended first:\n${ran.out}\n${a.stderr}\n${b.stderr}` : false);
      // The worker that took s4 (Trigger CodeBuild (ARM and x86)) is killed once the job is in the journal.
      const holder = await until(() => [a, b].find((w) => /took s4 of run (\S+)/.test(w.stderr)), over);
      const runId = /took s4 of run (\S+)/.exec(holder.stderr)?.[1] ?? '';
      const client = s3Client(r.sandbox.env);
      const journal = { client, location: parseS3Location(JOURNAL) };
      const started = async (): Promise<boolean> =>
        (await readS3Journal(journal, runId))?.events.some((e) => e.type === 'job-started' && e.stepId === 's4') ?? false;
      await until(started, over);
      holder.child.kill('SIGKILL');
      expect(await holder.exited).toBe(null);
      const other = holder === a ? b : a;

      const run = await running;
      expect(run.code, `${run.out}\n${other.stderr}`).toBe(0);
      expect(other.stderr).toContain(`took s4 of run ${runId}`);
      await expectReleased(r.sandbox, release);
      const after = await startsByProject(r.sandbox);
      expect(Object.fromEntries(Object.keys(PROJECTS).map((p) => [p, (after[p] ?? 0) - (before[p] ?? 0)]))).toEqual(
        Object.fromEntries(Object.keys(PROJECTS).map((p) => [p, 1])),
      );
      const events = (await readS3Journal(journal, runId))?.events ?? [];
      client.destroy();
      // The job started once and was re-attached; every step, the pushes among them, ended once and passed.
      expect(events.filter((e) => e.type === 'job-started' && e.stepId === 's4')).toHaveLength(1);
      expect(events.some((e) => e.type === 'log' && e.stepId === 's4' && e.message.includes('re-attached'))).toBe(true);
      const ends = events.flatMap((e) => (e.type === 'step-finished' ? [`${e.stepId} ${e.status}`] : []));
      expect(ends.length).toBe(new Set(ends).size);
      expect(ends.every((end) => end.endsWith(' passed'))).toBe(true);
      // The run's own events, once each, around the workers' steps: the journal reads as the whole run.
      expect(events[0]?.type).toBe('run-started');
      expect(events.filter((e) => e.type === 'run-started' || e.type === 'run-finished').map((e) => e.type)).toEqual([
        'run-started',
        'run-finished',
      ]);
      expect(foldJournal(events)).toMatchObject({ status: 'passed' });
    },
  );
});

/** Polls `check` until it gives a value; fails when `over` says why there is no point waiting. */
async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, over: () => string | false): Promise<T> {
  for (;;) {
    const found = await check();
    if (found) return found;
    const why = over();
    if (why) throw new Error(why);
    await new Promise((r) => setTimeout(r, 200));
  }
}
