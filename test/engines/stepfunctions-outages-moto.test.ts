// The long-lived Step Functions callers through an AWS outage, as users run them, against moto (the
// sandbox's, with its fix) behind a proxy that answers a run of requests with a failure: the worker's
// queue failing (503) for a while is waited out and the release passes, with a line when the outage
// begins and one when it ends; so is `seqrun run`'s reading of the history. A failure that will not pass
// (no such queue, access denied) ends them at once with a clear message and exit 2, never a wait.
import { spawn, spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MotoServer } from '../../src/sandbox/moto.ts';
import { MOTO_SFN_SERVER } from '../../src/sandbox/moto/sfn-fix.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { sfnMotoProject } from '../support/sfn-moto-project.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');
let moto: MotoServer;
let dir: string;
let env: Record<string, string | undefined>;
/** Each test's own diagram, machine and queue (a worker stopped in one test leaves its long poll waiting in moto, which would take the next test's first message). */
const queues = new Map<string, string>();

beforeAll(async () => {
  ({ moto, dir, env } = await sfnMotoProject('seqrun-sfn-outages-', MOTO_SFN_SERVER));
  await writeFile(
    join(dir, 'steps.ts'),
    `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
export default defineSteps((s) => {
  s.call('Build {word}', async () => { await new Promise((r) => setTimeout(r, 300)); return 'built'; });
  s.call('Notify {word}', () => undefined);
});
`,
  );
  for (const name of ['queue', 'history', 'denied']) {
    await writeFile(join(dir, `${name}.seq`), 'CI->AWS: Build arm\nCI->Slack: Notify team\nCI->AWS: Build x86\nCI->Slack: Notify done\n');
    const deployed = spawnSync(
      process.execPath,
      [bin, 'deploy', '--engine', 'stepfunctions', `${name}.seq`, '--role-arn', 'arn:aws:iam::123456789012:role/seqrun-machine'],
      { cwd: dir, env, encoding: 'utf8' },
    );
    if (deployed.status !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);
    queues.set(name, (JSON.parse(deployed.stdout) as { queueUrl: string }).queueUrl);
  }
}, 90_000);

afterAll(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI as a child process; `extra` over the project's environment. */
function seqrun(args: readonly string[], extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const ended = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, ended, stderr: () => stderr };
}

const worker = (name: string, extra: Record<string, string> = {}, queue = queues.get(name) ?? '') =>
  seqrun(['worker', '--engine', 'stepfunctions', '--queue', queue, '--journal', 's3://journals/seqrun', `${name}.seq`], extra);

const target = (request: { headers: Record<string, string | string[] | undefined> }): string =>
  String(request.headers['x-amz-target'] ?? '');

describe('Step Functions callers through an outage (moto behind a failing proxy)', () => {
  test("the worker's queue failing for a while is waited out: the release passes, and the worker says when the outage began and ended", async () => {
    const proxy = await startFaultProxy(moto.url, {
      failures: 6,
      status: 503,
      type: 'ServiceUnavailable',
      matches: (request) => target(request) === 'AmazonSQS.ReceiveMessage',
    });
    const answering = worker('queue', { AWS_ENDPOINT_URL_SQS: proxy.url });
    try {
      const run = await seqrun(['run', '--engine', 'stepfunctions', 'queue.seq']).ended;
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^run passed in [^:]+: 4 passed, 0 failed/);
      expect(proxy.faulted()).toBe(6);
      const said = answering.stderr();
      expect(said).toMatch(
        /seqrun worker: SQS ReceiveMessage at .+ failed: ServiceUnavailable: .*; trying again, for as long as it lasts \(first in 1 s\)\n/,
      );
      expect(said).toMatch(/seqrun worker: SQS ReceiveMessage answers again, after \d+ s\n/);
      expect(said.match(/trying again/g)).toHaveLength(1);
    } finally {
      answering.child.kill('SIGTERM');
      expect((await answering.ended).code).toBe(130);
      await proxy.stop();
    }
  }, 90_000);

  test("the execution's history failing for a while is waited out by seqrun run, which still ends with the run's exit code", async () => {
    const proxy = await startFaultProxy(moto.url, {
      failures: 6,
      status: 503,
      type: 'ServiceUnavailable',
      matches: (request) => target(request) === 'AWSStepFunctions.GetExecutionHistory',
    });
    const answering = worker('history');
    try {
      const run = await seqrun(['run', '--engine', 'stepfunctions', 'history.seq'], { AWS_ENDPOINT_URL_SFN: proxy.url }).ended;
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split('\n').at(-1)).toMatch(/^run passed in [^:]+: 4 passed, 0 failed/);
      expect(run.stderr).toMatch(
        /^seqrun run: Step Functions GetExecutionHistory at http:\/\/127\.0\.0\.1:\d+ failed: ServiceUnavailable: .*; trying again, for as long as it lasts \(first in 1 s\)\nseqrun run: Step Functions GetExecutionHistory answers again, after \d+ s\n$/,
      );
      expect(proxy.faulted()).toBe(6);
    } finally {
      answering.child.kill('SIGTERM');
      await answering.ended;
      await proxy.stop();
    }
  }, 90_000);

  test('a failure that will not pass ends them at once: a queue that does not exist, and access denied to the history', async () => {
    const missing = await worker('denied', {}, `${queues.get('denied') ?? ''}-gone`).ended;
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /seqrun worker: SQS GetQueueAttributes at .+-gone failed: (AWS\.SimpleQueueService\.NonExistentQueue|QueueDoesNotExist): /,
    );
    const proxy = await startFaultProxy(moto.url, {
      failures: 1000,
      status: 400,
      type: 'AccessDeniedException',
      matches: (request) => target(request) === 'AWSStepFunctions.GetExecutionHistory',
    });
    const answering = worker('denied');
    try {
      const run = await seqrun(['run', '--engine', 'stepfunctions', 'denied.seq'], { AWS_ENDPOINT_URL_SFN: proxy.url }).ended;
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        /seqrun run: stopped following arn:aws:states:[^ ]+ \(AwsCallError: Step Functions GetExecutionHistory at http:\/\/127\.0\.0\.1:\d+ failed: AccessDeniedException: [^)]*\); the execution goes on in Step Functions, and its events so far are in /,
      );
      expect(run.stderr).not.toContain('trying again');
      expect(proxy.faulted()).toBe(1);
    } finally {
      answering.child.kill('SIGTERM');
      await answering.ended;
      await proxy.stop();
    }
  }, 90_000);
});
