// `seqrun worker --concurrency N` against moto_server (the test starts its own, with state-machine
// execution on and moto's fix for a second StartExecution backported, src/sandbox/moto/moto_sfn_server.py):
// ONE worker finishes a diagram whose two par branches each wait until the other has started, which
// it can only do with both messages in progress at once. With --concurrency 1 the same run fails, and
// says why, after a bounded wait (the branches' `patience`), so a worker that answers one message at a
// time is a clear failure here, never a hang. Stopped (SIGTERM) while it holds two steps, a worker
// returns both messages to the queue, and another worker answers them.
import { spawn, spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MOTO_SFN_SERVER } from '../../src/sandbox/moto/sfn-fix.ts';
import type { MotoServer } from '../../src/sandbox/moto.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { readS3Journal } from '../../src/store/s3-journal.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { sfnMotoProject } from '../support/sfn-moto-project.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');
const JOURNAL = 's3://journals/seqrun';
let moto: MotoServer;
let dir: string;
let env: Record<string, string | undefined>;
let queueUrl: string;
let holdQueueUrl: string;

beforeAll(async () => {
  ({ moto, dir, env } = await sfnMotoProject('seqrun-sfn-concurrency-', MOTO_SFN_SERVER));
  // Each branch marks itself started (in the worker's memory: one worker answers both), then waits for
  // the other's mark, at most `patience` seconds.
  await writeFile(
    join(dir, 'steps.ts'),
    `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
const started = new Map<string, Set<string>>();
export default defineSteps((s) => {
  s.call('Meet {word}', async (ctx, who) => {
    const other = who === 'web' ? 'api' : 'web';
    const marks = started.get(ctx.runId) ?? new Set<string>();
    started.set(ctx.runId, marks.add(String(who)));
    const patience = Number(ctx.vars['patience'] ?? 60);
    for (let waited = 0; !marks.has(other); waited += 50) {
      if (waited >= patience * 1000) throw new Error(String(who) + ' waited ' + patience + ' s for ' + other + ' to start: its message was not taken while this one ran');
      await new Promise((r) => setTimeout(r, 50));
    }
    ctx.log.info(String(who) + ' met ' + other);
  });
  s.call('Notify done', () => undefined);
  // In a worker started with SEQRUN_TEST_HOLD=1, runs until the worker stops (at most a minute).
  s.call('Hold {word}', async (ctx) => {
    if (process.env['SEQRUN_TEST_HOLD'] !== '1') return;
    for (let waited = 0; !ctx.signal.aborted; waited += 50) {
      if (waited >= 60_000) throw new Error('held a minute: the worker was not stopped');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});
`,
  );
  await writeFile(
    join(dir, 'meet.mmd'),
    ['sequenceDiagram', 'par web', 'CI->>AWS: Meet web', 'and api', 'CI->>AWS: Meet api', 'end', 'CI->>Slack: Notify done', ''].join('\n'),
  );
  await writeFile(
    join(dir, 'hold.mmd'),
    ['sequenceDiagram', 'par web', 'CI->>AWS: Hold web', 'and api', 'CI->>AWS: Hold api', 'end', ''].join('\n'),
  );
  queueUrl = deploy('meet.mmd');
  holdQueueUrl = deploy('hold.mmd');
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** `seqrun deploy` of `file`: its queue's URL. */
function deploy(file: string): string {
  const args = ['deploy', '--engine', 'stepfunctions', file, '--role-arn', 'arn:aws:iam::123456789012:role/seqrun-machine'];
  const deployed = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8' });
  expect({ code: deployed.status, stderr: deployed.stderr }).toEqual({ code: 0, stderr: '' });
  return (JSON.parse(deployed.stdout) as { queueUrl: string }).queueUrl;
}

interface Worker {
  readonly exited: Promise<number | null>;
  stderr(): string;
  stop(): void;
}

/** `seqrun worker --concurrency N` answering `file`'s queue, as a child process. */
function startWorker(concurrency: string, file: string, queue: string, extraEnv: Record<string, string> = {}): Worker {
  const args = ['worker', '--engine', 'stepfunctions', '--queue', queue, '--journal', JOURNAL, '--concurrency', concurrency, file];
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { exited, stderr: () => stderr, stop: () => void child.kill('SIGTERM') };
}

/** Polls `check` until it holds; fails with `over()` when that says there is no point waiting. */
async function until(check: () => boolean, over: () => string | false): Promise<void> {
  while (!check()) {
    const why = over();
    if (why) throw new Error(why);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The CLI as a child process without blocking this one (the worker runs beside it). */
function seqrunAsync(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** `seqrun run` of meet.mmd with one `seqrun worker --concurrency N` answering; the worker stopped (SIGTERM) after. */
async function runWithOneWorker(concurrency: string, vars: readonly string[]) {
  const worker = startWorker(concurrency, 'meet.mmd', queueUrl);
  let run;
  try {
    run = await seqrunAsync(['run', '--engine', 'stepfunctions', 'meet.mmd', '--journal', JOURNAL, ...vars.flatMap((v) => ['--var', v])]);
  } finally {
    worker.stop();
  }
  const runId = /run (\S+) started/.exec(run.stdout)?.[1] ?? 'no run id';
  return { run, runId, workerCode: await worker.exited, workerErr: worker.stderr() };
}

describe('seqrun worker --concurrency on moto_server (starts its own)', () => {
  test('refuses a concurrency that is not a positive whole number (usage error, exit 2)', () => {
    for (const given of ['0', 'x', '1.5']) {
      const args = ['worker', '--engine', 'stepfunctions', '--queue', 'q', '--journal', JOURNAL, '--concurrency', given, 'meet.mmd'];
      const refused = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8' });
      expect({ code: refused.status, stderr: refused.stderr }).toEqual({
        code: 2,
        stderr: `seqrun worker: --concurrency ${given} is not a positive whole number: give how many messages the worker answers at once (e.g. --concurrency 4)\n`,
      });
    }
  });

  test('one worker with --concurrency 2 runs two par branches that must overlap to finish', async () => {
    const { run, runId, workerCode, workerErr } = await runWithOneWorker('2', []);
    expect({ code: run.code, stderr: run.stderr }, workerErr).toEqual({ code: 0, stderr: '' });
    expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^run passed in [^:]+: 3 passed, 0 failed, 0 cancelled, 0 skipped/);
    expect(workerCode).toBe(130);
    expect(workerErr).toContain(', 2 at once\n');
    const s3 = s3Client(env);
    const journaled = await readS3Journal({ client: s3, location: parseS3Location(JOURNAL) }, runId);
    s3.destroy();
    const logs = journaled?.events.flatMap((e) => (e.type === 'log' ? [e.message] : [])) ?? [];
    expect(logs.sort()).toEqual(['api met web', 'web met api']);
  }, 180_000);

  test('with --concurrency 1 the same run fails, saying the other branch never started', async () => {
    const { run, workerCode, workerErr } = await runWithOneWorker('1', ['patience=3']);
    expect(run.code, `${run.stdout}\n${workerErr}`).toBe(1);
    expect(workerCode).toBe(130);
    expect(workerErr).toContain(', 1 at once\n');
    expect(run.stdout).toMatch(/^failed \[s[01]\] CI->>AWS: Meet (web|api) at meet\.mmd:[35]:1: seqrun\.StepFailedFinal/m);
    // The cause, as the worker answered it (moto's history keeps no cause for a failed task).
    expect(workerErr).toMatch(/(web waited 3 s for api|api waited 3 s for web) to start: its message was not taken while this one ran/);
  }, 180_000);

  test('stopped while it holds two steps, a worker returns both to the queue; another worker answers them', async () => {
    const holder = startWorker('2', 'hold.mmd', holdQueueUrl, { SEQRUN_TEST_HOLD: '1' });
    let ran: { code: number | null; stdout: string; stderr: string } | undefined;
    const running = seqrunAsync(['run', '--engine', 'stepfunctions', 'hold.mmd', '--journal', JOURNAL]).then((r) => (ran = r));
    let other: Worker | undefined;
    try {
      const over = () => (ran ? `the run ended first:\n${ran.stdout}${ran.stderr}\n${holder.stderr()}` : false);
      await until(() => (holder.stderr().match(/^seqrun worker: took s[01] /gm) ?? []).length === 2, over);
      holder.stop();
      expect(await holder.exited).toBe(130);
      const back = holder
        .stderr()
        .match(/^seqrun worker: stopped while answering s[01] of run \S+ \(attempt 1\): the message is back in the queue$/gm);
      expect(back?.map((line) => line.slice(0, 44)).sort(), holder.stderr()).toEqual([
        'seqrun worker: stopped while answering s0 of',
        'seqrun worker: stopped while answering s1 of',
      ]);
      other = startWorker('2', 'hold.mmd', holdQueueUrl);
      const run = await running;
      expect({ code: run.code, stderr: run.stderr }, other.stderr()).toEqual({ code: 0, stderr: '' });
      expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^run passed in [^:]+: 2 passed, 0 failed, 0 cancelled, 0 skipped/);
      expect((other.stderr().match(/^seqrun worker: answered s[01] of run \S+ \(attempt 1\): done$/gm) ?? []).length).toBe(2);
    } finally {
      holder.stop();
      other?.stop();
    }
    expect(await other?.exited).toBe(130);
  }, 180_000);
});
