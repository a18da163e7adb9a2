// What the Step Functions benches share: moto_server with state-machine execution on (and moto's fix for
// a second StartExecution backported, src/sandbox/moto/moto_sfn_server.py), its output discarded so that it
// can never stall on a full pipe; a diagram bound and deployed (queue and machine, as `seqrun deploy`
// makes them); the S3 journal the workers share (a bucket on the same moto); in-process workers (the real
// StepFunctionsWorker and poll loop); executions waited for.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { pollQueue, StepFunctionsWorker } from '../../src/app/stepfunctions-worker.ts';
import { deployMachine } from '../../src/app/stepfunctions-deploy.ts';
import { sfnClient, sqsClient } from '../../src/app/stepfunctions-clients.ts';
import { diagramHash } from '../../src/ast/meaning.ts';
import { bind, createRegistry, type StepModule } from '../../src/bind/index.ts';
import type { Plan } from '../../src/bind/types.ts';
import { toStateMachine } from '../../src/engines/stepfunctions/compile.ts';
import { MOTO_SFN_SERVER } from '../../src/sandbox/moto/sfn-fix.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { s3Client, type S3Store } from '../../src/store/s3-objects.ts';
import { parseText } from '../../src/syntax/files.ts';

export interface BenchMoto {
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
  stop(): void;
}

/** Where the benches' workers share their runs' journal (a bucket `quietSfnMoto` makes). */
export const BENCH_JOURNAL = 's3://bench-journals/seqrun';

/** The bench's S3 journal on a client of its own (`client` wraps the new client; destroy it when done). */
export function benchJournal(moto: BenchMoto, client: (c: S3Client) => S3Client = (c) => c): S3Store {
  return { client: client(s3Client(moto.env)), location: parseS3Location(BENCH_JOURNAL) };
}

/**
 * The sandbox's moto (moto_sfn_server.py: moto_server with its fix and caches) on a free loopback port, its
 * output discarded: a moto whose log is piped to this process could fill the pipe and stall a bench
 * that blocks this thread for each S3 write (the sandbox runs it detached, logging to a file, for the
 * same reason).
 */
export async function quietMoto(): Promise<{ readonly url: string; stop(): void }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const child = spawn(MOTO_SFN_SERVER, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const up = await fetch(`${url}/moto-api/`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, stop: () => void child.kill() };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error('moto_server did not answer within 30 s');
}

/** `quietMoto` with state-machine execution on and the bucket of the workers' S3 journal. */
export async function quietSfnMoto(): Promise<BenchMoto> {
  const moto = await quietMoto();
  const on = await fetch(`${moto.url}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
  });
  if (!on.ok) {
    moto.stop();
    throw new Error(`moto refused the Step Functions config: ${on.status}`);
  }
  const env = { AWS_ENDPOINT_URL: moto.url, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  const s3 = s3Client(env);
  const { bucket } = parseS3Location(BENCH_JOURNAL);
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  s3.destroy();
  return { url: moto.url, env, stop: moto.stop };
}

export interface Deployed {
  readonly plan: Plan;
  readonly hash: string;
  readonly stateMachineArn: string;
  readonly queueUrl: string;
}

/** Binds `text` with `module` and deploys it as `seqrun deploy` does. */
export async function deployDiagram(moto: BenchMoto, name: string, text: string, module: StepModule): Promise<Deployed> {
  const [diagram] = parseText(text, { file: `/bench/${name}.mmd` }).diagrams;
  if (!diagram) throw new Error('no diagram');
  const { registry } = createRegistry({ modules: [module] });
  const plan = bind(diagram, registry);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  const { machine } = toStateMachine(plan, { source: `${name}.mmd` });
  if (!machine) throw new Error('not compiled');
  const roleArn = 'arn:aws:iam::123456789012:role/seqrun-machine';
  const { stateMachineArn, queueUrl } = await deployMachine(moto.env, { name, roleArn, machine });
  return { plan, hash: diagramHash(diagram), stateMachineArn, queueUrl };
}

export interface Workers {
  stop(): Promise<void>;
}

/**
 * `count` workers in this process, each with its own clients and poll loop (`concurrency` messages at
 * once, as `seqrun worker --concurrency` answers them; default 1, the rows measured before the option)
 * and the shared S3 journal. `clients` wraps each new client (the per-step bench times their calls).
 */
export function startWorkers(
  moto: BenchMoto,
  deployed: Deployed,
  count: number,
  clients: { sqs?: (c: SQSClient) => SQSClient; sfn?: (c: SFNClient) => SFNClient; s3?: (c: S3Client) => S3Client } = {},
  concurrency = 1,
): Workers {
  const stop = new AbortController();
  const made: { sqs: SQSClient; sfn: SFNClient; s3: S3Client; worker: StepFunctionsWorker }[] = [];
  const loops = Array.from({ length: count }, (_, i) => {
    const sqs = clients.sqs ? clients.sqs(sqsClient(moto.env)) : sqsClient(moto.env);
    const sfn = clients.sfn ? clients.sfn(sfnClient(moto.env)) : sfnClient(moto.env);
    const journal = benchJournal(moto, clients.s3);
    const worker = new StepFunctionsWorker({
      plans: new Map([[deployed.hash, { plan: deployed.plan, name: `bench-${i}` }]]),
      vars: {},
      env: moto.env,
      config: {},
      journal,
    });
    made.push({ sqs, sfn, s3: journal.client, worker });
    return pollQueue({
      sqs,
      sfn,
      queueUrl: deployed.queueUrl,
      worker,
      signal: stop.signal,
      concurrency,
      waitSeconds: 1,
      heartbeat: async () => undefined,
    });
  });
  return {
    stop: async () => {
      stop.abort();
      await Promise.allSettled(loops);
      for (const { sqs, sfn, s3, worker } of made) {
        worker.close();
        sqs.destroy();
        sfn.destroy();
        s3.destroy();
      }
    },
  };
}

/** Starts an execution and waits for it to end; its start and stop as Step Functions recorded them. */
export async function execute(
  sfn: SFNClient,
  stateMachineArn: string,
  name: string,
): Promise<{ status: string; startMs: number; stopMs: number }> {
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify({ vars: {} }) }));
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return { status: d.status ?? '', startMs: d.startDate?.getTime() ?? 0, stopMs: d.stopDate?.getTime() ?? 0 };
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
export const spread = (xs: readonly number[], digits = 1): string =>
  `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;
