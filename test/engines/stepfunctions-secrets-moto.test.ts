// Secrets on the Step Functions engine, end to end against moto_server (the test starts its own, with
// state-machine execution on, and a `seqrun worker` process): AWS keeps an execution's input in its
// history, so `seqrun run --engine stepfunctions` refuses a secret --var before anything starts, and a
// secret given to the worker (`seqrun worker --var`) reaches the handlers and no journal: not the
// execution's input or history, not the local journal, not the S3 journal's objects.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MotoServer } from '../../src/sandbox/moto.ts';
import { MOTO_SFN_SERVER } from '../../src/sandbox/moto/sfn-fix.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';
import { sfnMotoProject } from '../support/sfn-moto-project.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');
/** What the worker is given; every value starts `planted-` so that one search finds any of them. */
const DB_PASSWORD = 'planted-db-password-4711';
const DEPLOY_KEY = 'planted-deploy-key-0815';
let moto: MotoServer;
let dir: string;
let env: Record<string, string | undefined>;
let sfn: SFNClient;
let stateMachineArn = '';
let queueUrl = '';
let worker: ChildProcess | undefined;
let workerErr = '';

beforeAll(async () => {
  ({ moto, dir, env } = await sfnMotoProject('seqrun-sfn-secrets-', MOTO_SFN_SERVER));
  sfn = new SFNClient({ region: TEST_REGION, endpoint: moto.url, credentials: TEST_CREDENTIALS });
  await writeFile(
    join(dir, 'seqrun.config.ts'),
    `export default { bindings: ['steps.ts'], vars: { release: { required: true, pattern: '\\\\d+' }, deployKey: { required: true, secret: true } } };\n`,
  );
  // The handler passes only with the worker's secrets; it logs and returns them, for the journal to mask.
  await writeFile(
    join(dir, 'steps.ts'),
    `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
export default defineSteps((s) => {
  s.call('Migrate the database', (ctx) => {
    const { DB_PASSWORD, deployKey, release } = ctx.vars;
    if (DB_PASSWORD !== ${JSON.stringify(DB_PASSWORD)} || deployKey !== ${JSON.stringify(DEPLOY_KEY)}) throw new Error('not the worker secrets');
    ctx.log.info('release ' + release + ' connected with ' + DB_PASSWORD + ', signed with ' + deployKey);
    return { dsn: 'postgres://app:' + DB_PASSWORD + '@db/pay' };
  });
});
`,
  );
  await writeFile(join(dir, 'migrate.seq'), 'CI->DB: Migrate the database\n');
  // deploy takes no vars; with the secrets in its environment, the machine still holds none of them.
  const deployed = spawnSync(
    process.execPath,
    [bin, 'deploy', '--engine', 'stepfunctions', 'migrate.seq', '--role-arn', 'arn:aws:iam::123456789012:role/seqrun-machine'],
    { cwd: dir, env: { ...env, DB_PASSWORD, deployKey: DEPLOY_KEY }, encoding: 'utf8' },
  );
  expect(deployed.stderr).toBe('');
  ({ stateMachineArn, queueUrl } = JSON.parse(deployed.stdout) as { stateMachineArn: string; queueUrl: string });
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker?.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  sfn?.destroy();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI as a child process, stopped (SIGTERM) if it is still running after 45 s: a run that should have been refused waits for no one. */
function seqrun(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 45_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const workerArgs = ['worker', '--engine', 'stepfunctions', '--queue', '', '--journal', 's3://journals/seqrun', 'migrate.seq'];

/** Every object in the journals bucket, as text. */
async function bucketText(): Promise<{ keys: string[]; text: string }> {
  const s3 = s3Client(env);
  try {
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: 'journals' }));
    const keys = Contents.flatMap((object) => (object.Key ? [object.Key] : []));
    const bodies = await Promise.all(
      keys.map(async (Key) => (await s3.send(new GetObjectCommand({ Bucket: 'journals', Key }))).Body?.transformToString() ?? ''),
    );
    return { keys, text: bodies.join('\n') };
  } finally {
    s3.destroy();
  }
}

describe('secret vars on the Step Functions engine, on moto_server (starts its own)', () => {
  test('the deployed machine holds no secret of the environment deploy ran in', async () => {
    const { definition = '' } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(definition).toContain('Migrate the database');
    expect(definition).not.toContain('planted-');
  });

  test('a worker without a required secret input refuses to start (exit 2), naming it', () => {
    const args = workerArgs.map((arg) => (arg === '' ? queueUrl : arg));
    const refused = spawnSync(process.execPath, [bin, ...args, '--var', `DB_PASSWORD=${DB_PASSWORD}`], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect({ code: refused.status, stderr: refused.stderr }).toEqual({
      code: 2,
      stderr: "seqrun worker: the input 'deployKey' is required: give it with --var deployKey=...\n",
    });
  }, 60_000);

  test('seqrun run refuses a secret --var (by its name, by a secret input) before anything starts: exit 2, no execution, no journal', async () => {
    const run = await seqrun([
      'run',
      '--engine',
      'stepfunctions',
      'migrate.seq',
      '--journal',
      's3://journals/seqrun',
      '--var',
      'release=42',
      '--var',
      'DB_PASSWORD=planted-cli-password',
      '--var',
      'deployKey=planted-cli-key',
    ]);
    const why = "and Step Functions keeps an execution's input in its history: give it to the workers instead";
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `seqrun run: --var DB_PASSWORD is secret, ${why} (seqrun worker --engine stepfunctions --var DB_PASSWORD=..., or their environment)\n` +
        `seqrun run: --var deployKey is secret, ${why} (seqrun worker --engine stepfunctions --var deployKey=..., or their environment)\n`,
    });
    expect((await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions).toEqual([]);
    expect(await readdir(join(dir, '.seqrun/runs')).catch(() => [])).toEqual([]);
    expect((await bucketText()).keys).toEqual([]);
  }, 60_000);

  test('a secret given to the worker reaches the handler, and no journal: not the execution input or history, the local journal or the S3 journal', async () => {
    const args = workerArgs.map((arg) => (arg === '' ? queueUrl : arg));
    worker = spawn(process.execPath, [bin, ...args, '--var', `DB_PASSWORD=${DB_PASSWORD}`, '--var', `deployKey=${DEPLOY_KEY}`], {
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker.stderr?.on('data', (chunk: Buffer) => (workerErr += chunk.toString('utf8')));
    const run = await seqrun([
      'run',
      '--engine',
      'stepfunctions',
      'migrate.seq',
      '--format',
      'json',
      '--journal',
      's3://journals/seqrun',
      '--var',
      'release=42',
    ]);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('"type":"run-finished","status":"passed"');
    const [execution] = (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions ?? [];
    const { input } = await sfn.send(new DescribeExecutionCommand({ executionArn: execution?.executionArn }));
    expect(JSON.parse(input ?? '')).toEqual({
      vars: { release: '42' },
      seqrun: { release: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown },
    });
    const { events = [] } = await sfn.send(new GetExecutionHistoryCommand({ executionArn: execution?.executionArn }));
    expect(events.map((e) => e.type)).toContain('ExecutionSucceeded');
    const runId = execution?.name ?? '';
    const local = await readFile(join(dir, '.seqrun/runs', runId, 'journal.ndjson'), 'utf8');
    const { keys, text: s3 } = await bucketText();
    // The handler had the secrets (it logged them, masked), and the worker's S3 journal holds its step.
    expect(keys).toEqual(expect.arrayContaining(['seqrun/runs/latest', `seqrun/runs/${runId}/journal/00000002.ndjson`]));
    expect(s3).toContain('release 42 connected with ***, signed with ***');
    expect(s3).toContain('"output":{"dsn":"postgres://***@db/pay"}');
    const everywhere = { stdout: run.stdout, input: input ?? '', history: JSON.stringify(events), local, s3, worker: workerErr };
    for (const [where, text] of Object.entries(everywhere))
      expect({ where, leaked: text.includes('planted-') }).toEqual({ where, leaked: false });
  }, 120_000);
});
