// `npm run bench -- journal`: what the S3 journal costs per step, against the named baseline measured
// in the same run: the local journal (one write per event, fsynced per result). Both run the same
// no-op steps through the runtime; the S3 journal writes to moto in server mode on loopback (the
// sandbox's, moto_sfn_server.py with its caches; one PUT per step result, see docs/semantics.md "The
// journal in S3"). Goal: at most 2x the local journal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { bind, createRegistry, defineSteps } from '../../src/bind/index.ts';
import { runPlan } from '../../src/run/executor.ts';
import { JournalWriter, type JournalSink } from '../../src/run/journal.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { S3JournalWriter } from '../../src/store/s3-writer.ts';
import { parseSource } from '../../src/syntax/index.ts';
import { quietMoto } from './sfn-moto.ts';

const STEPS = 300;

const ROUNDS = 5;

export default async function journalBench(): Promise<void> {
  const text = Array.from({ length: STEPS }, (_, i) => `Pay CI->AWS: Step ${i}\n`).join('');
  const [diagram] = parseSource(text, { file: 'noop.seq' }).diagrams;
  if (!diagram) throw new Error('no diagram');
  const { registry } = createRegistry({ modules: [defineSteps((s) => s.call('Step {int}', () => undefined))] });
  const plan = bind(diagram, registry);
  const moto = await quietMoto();
  const env = { AWS_ENDPOINT_URL_S3: moto.url, AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
  const client = s3Client(env);
  await client.send(new CreateBucketCommand({ Bucket: 'bench', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  // A second baseline: what moto takes for one bare conditional PutObject, the floor of any S3 journal.
  const put = (key: string) => client.send(new PutObjectCommand({ Bucket: 'bench', Key: key, Body: 'x\n', IfNoneMatch: '*' }));
  await put('warm-up');
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) await put(`bare/${i}`);
  const bareMs = performance.now() - t0;
  client.destroy();
  const dir = mkdtempSync(join(tmpdir(), 'seqrun-bench-journal-'));
  const timeRun = async (open: (runId: string) => JournalSink): Promise<number> => {
    const runId = `bench-${Math.random().toString(36).slice(2)}`;
    const journal = open(runId);
    const t0 = performance.now();
    await runPlan(plan, { runId, diagram: 'noop.seq', diagramHash: '', vars: {}, env: {}, onEvent: (e) => journal.write(e) });
    const ms = performance.now() - t0;
    journal.close();
    return ms;
  };
  const local: number[] = [];
  const s3: number[] = [];
  const location = parseS3Location('s3://bench/journals');
  for (let round = 0; round < ROUNDS; round++) {
    local.push(await timeRun((id) => JournalWriter.open(dir, id)));
    s3.push(
      await timeRun((id) =>
        S3JournalWriter.open(JournalWriter.open(dir, id), { location, runId: id, env, lease: null, onStop: () => undefined }),
      ),
    );
  }
  moto.stop();
  rmSync(dir, { recursive: true, force: true });
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const ratios = s3.map((ms, i) => ms / (local[i] as number)).sort((a, b) => a - b);
  const perStep = (ms: number): string => ((ms * 1000) / STEPS).toFixed(0);
  console.log(`${STEPS} no-op sync steps, ${ROUNDS} paired rounds (local, then S3), median\n`);
  console.log('| journal | µs per step (median) | ratio to local (median) | ratio spread |');
  console.log('|---|---:|---:|---|');
  console.log(`| local, fsynced per result (baseline) | ${perStep(median(local))} | 1.00 | |`);
  console.log(
    `| (moto's own time for one bare conditional PutObject, per step) | ${perStep(bareMs)} | ${(bareMs / median(local)).toFixed(2)} | |`,
  );
  console.log(
    `| S3 (moto on loopback) + local copy | ${perStep(median(s3))} | ${median(ratios).toFixed(2)} | ${(ratios[0] as number).toFixed(2)}–${(ratios.at(-1) as number).toFixed(2)} |`,
  );
}
