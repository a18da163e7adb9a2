// `seqrun deploy --engine stepfunctions` and `seqrun worker --engine stepfunctions` as users run them,
// against moto_server (the test starts its own, with state-machine execution on): the deployed machine,
// started with `seqrun run --engine stepfunctions` (one execution per moto: moto 5.2.1 fails a second
// StartExecution with a 500), runs the project's handlers in the
// worker process; a second deploy updates the machine in place.
import { spawn, spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { MotoServer } from '../../src/sandbox/moto.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { readS3Journal } from '../../src/store/s3-journal.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';
import { sfnMotoProject } from '../support/sfn-moto-project.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');
let moto: MotoServer;
let dir: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  ({ moto, dir, env } = await sfnMotoProject('seqrun-sfn-cli-'));
  await writeFile(
    join(dir, 'steps.ts'),
    `import { appendFileSync } from 'node:fs';
import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
const done = (line: string) => appendFileSync(${JSON.stringify(join(dir, 'done.txt'))}, line + '\\n');
export default defineSteps((s) => {
  s.job('Build {word}', { start: async (_ctx, what) => 'build-' + String(what), wait: async (_ctx, handle) => (done('built ' + String(handle)), 'ok') });
  s.call('Notify {word}', (ctx, what) => done('notify ' + String(what) + ' in ' + ctx.runId + ' for ' + (ctx.vars['team'] ?? '-')));
});
`,
  );
  await writeFile(join(dir, 'release.seq'), 'CI->AWS: Build arm\nCI->Slack: Notify team\nAWS-->CI: Success\nCI->Slack: Notify done\n');
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

function deploy(...extra: string[]): {
  code: number | null;
  deployed: { stateMachineArn: string; queueUrl: string; deadLetterQueueUrl: string; created: boolean };
  stderr: string;
} {
  const args = [
    'deploy',
    '--engine',
    'stepfunctions',
    'release.seq',
    '--role-arn',
    'arn:aws:iam::123456789012:role/seqrun-machine',
    ...extra,
  ];
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env, encoding: 'utf8' });
  return { code: result.status, deployed: result.status === 0 ? JSON.parse(result.stdout) : null, stderr: result.stderr };
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

describe('seqrun deploy and seqrun worker on moto_server (starts its own)', () => {
  test('deploy creates the queue and machine, a second deploy updates it; run follows an execution the worker answers', async () => {
    const first = deploy();
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.deployed).toMatchObject({
      created: true,
      queueUrl: expect.stringContaining('seqrun-release') as unknown,
      deadLetterQueueUrl: expect.stringContaining('seqrun-release-dlq') as unknown,
    });
    const again = deploy('--visibility-timeout', '45');
    expect(again.deployed).toEqual({ ...first.deployed, created: false });
    const sqs = new SQSClient({ region: TEST_REGION, endpoint: moto.url, credentials: TEST_CREDENTIALS });
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: first.deployed.queueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );
    sqs.destroy();
    expect(Attributes).toEqual({ VisibilityTimeout: '45' });
    const bad = deploy('--visibility-timeout', '1.5');
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 2,
      stderr: 'seqrun deploy: --visibility-timeout 1.5 is not a whole number of seconds from 0 to 43200\n',
    });
    const noReceives = deploy('--max-receive-count', '0');
    expect({ code: noReceives.code, stderr: noReceives.stderr }).toEqual({
      code: 2,
      stderr: 'seqrun deploy: --max-receive-count 0 is not a whole number from 1 to 1000\n',
    });
    const long = deploy('--queue-name', 'q'.repeat(77));
    expect({ code: long.code, stderr: long.stderr }).toEqual({
      code: 2,
      stderr: `seqrun deploy: the dead-letter queue's name ${'q'.repeat(77)}-dlq is longer than SQS's 80 characters: choose a shorter --queue-name (or --name)\n`,
    });
    const noJournal = spawnSync(
      process.execPath,
      [bin, 'worker', '--engine', 'stepfunctions', '--queue', first.deployed.queueUrl, 'release.seq'],
      {
        cwd: dir,
        env,
        encoding: 'utf8',
      },
    );
    expect({ code: noJournal.status, stderr: noJournal.stderr }).toEqual({
      code: 2,
      stderr:
        "seqrun worker: --journal s3://BUCKET/PREFIX is required (or journal: in seqrun.config.ts): the workers share each run's step outputs, state and started jobs there. Give every worker of a queue the same location.\n",
    });

    const worker = spawn(
      process.execPath,
      [bin, 'worker', '--engine', 'stepfunctions', '--queue', first.deployed.queueUrl, '--journal', 's3://journals/seqrun', 'release.seq'],
      {
        cwd: dir,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    let runLine: string | undefined;
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      const run = await seqrunAsync(['run', '--engine', 'stepfunctions', 'release.seq', '--var', 'team=pay']);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const lines = run.stdout.trim().split('\n');
      runLine = lines[0] ?? '';
      // The run's own reporting is tested in stepfunctions-run-moto.test.ts.
      expect(lines[0]).toMatch(/^run \d{8}T\d{9}Z-[0-9a-f]{6} started: release\.seq \(4 steps\)$/);
      expect(lines.at(-1)).toMatch(/^run passed in [^:]+: 4 passed, 0 failed, 0 cancelled, 0 skipped/);
      await writeFile(join(dir, 'other.seq'), 'CI->Slack: Notify team\n');
      const missing = await seqrunAsync(['run', '--engine', 'stepfunctions', 'other.seq']);
      expect(missing).toEqual({
        code: 2,
        stdout: '',
        stderr: 'seqrun run: no state machine named other: run seqrun deploy --engine stepfunctions other.seq first\n',
      });
    } finally {
      worker.kill('SIGTERM');
    }
    expect(await exited).toBe(130);
    const s3 = s3Client(env);
    const journaled = await readS3Journal(
      { client: s3, location: parseS3Location('s3://journals/seqrun') },
      /run (\S+) started/.exec(runLine ?? '')?.[1] ?? '',
    );
    s3.destroy();
    // The workers' record of the run: the job's handle, each step's end and output.
    expect(journaled?.events.filter((e) => e.type === 'job-started')).toEqual([
      expect.objectContaining({ type: 'job-started', stepId: 's0', handle: 'build-arm' }),
    ]);
    expect(journaled?.events.flatMap((e) => (e.type === 'step-finished' ? [`${e.stepId} ${e.status}`] : [])).sort()).toEqual([
      's0 passed',
      's1 passed',
      's3 passed',
    ]);
    const runId = /run (\S+) started/.exec(runLine ?? '')?.[1] ?? 'no run id';
    expect(stderr).toContain('seqrun worker: answering');
    const done = (await readFile(join(dir, 'done.txt'), 'utf8')).trim().split('\n');
    expect(done.slice(0, 2).sort()).toEqual(['built build-arm', `notify team in ${runId} for pay`]);
    expect(done.slice(2)).toEqual([`notify done in ${runId} for pay`]);
  }, 180_000);
});
