// `npm run bench -- aws`: (a) a generated repository snapshot (1 GiB by default) uploaded to local S3
// (moto) with the s3 pack, in a child process: throughput and peak RSS, against reading the same
// `git archive` stream without uploading (baseline) and the 200 MB RSS goal; (b) 20 concurrent builds
// on the local CodeBuild endpoint awaited with the shared poller: BatchGetBuilds calls made, against
// what one poller per build every 5 s (GOV.UK Pay's script) makes for the same waits.
// Quick runs: SEQRUN_BENCH_SNAPSHOT_MB=64 SEQRUN_BENCH_BUILD_SECONDS=20 npm run bench -- aws
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { awaitBuild, startBuild } from '../../src/packs/codebuild/index.ts';
import { ensureVersionedBucket } from '../../src/packs/s3/index.ts';
import { startCodeBuildEndpoint } from '../../src/sandbox/codebuild/index.ts';
import { startMoto } from '../../src/sandbox/moto.ts';
import { clientsFor, tempDir } from '../support/aws-endpoints.ts';

const SNAPSHOT_MB = Number(process.env['SEQRUN_BENCH_SNAPSHOT_MB'] ?? 1024);
const BUILD_SECONDS = Number(process.env['SEQRUN_BENCH_BUILD_SECONDS'] ?? 120);
const BUILDS = 20;
const GOAL_RSS_MB = 200;
const probe = fileURLToPath(new URL('../support/aws-upload-probe.ts', import.meta.url));
const MB = 1024 * 1024;

/** A repository of incompressible files totalling `mb` MiB, kept between runs in the temp folder. */
function generatedRepo(mb: number): string {
  const dir = join(tmpdir(), `seqrun-bench-repo-${mb}mb`);
  if (existsSync(join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const fileMb = Math.min(16, mb);
  for (let i = 0; i < Math.ceil(mb / fileMb); i += 1) writeFileSync(join(dir, 'data', `blob-${i}.bin`), randomBytes(fileMb * MB));
  const git = (...args: string[]) =>
    execFileSync(
      'git',
      ['-c', 'core.compression=0', '-c', 'core.looseCompression=0', '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args],
      { cwd: dir },
    );
  git('init', '-q');
  git('add', 'data');
  git('commit', '-q', '-m', 'generated');
  writeFileSync(join(dir, '.complete'), '');
  return dir;
}

function runProbe(args: readonly string[]): Promise<{ bytes: number; ms: number; maxRssBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [probe, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('close', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}')) : reject(new Error(`probe exited ${code}`)),
    );
  });
}

async function uploadBench(): Promise<void> {
  const t0 = performance.now();
  const repo = generatedRepo(SNAPSHOT_MB);
  console.log(
    `(a) snapshot upload: ${SNAPSHOT_MB} MiB generated repository (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s), zip stored, 8 MiB parts, 4 in flight\n`,
  );
  const moto = await startMoto();
  const clients = clientsFor({ s3: moto.url });
  try {
    await ensureVersionedBucket(clients.s3, 'bench');
    const archive = await runProbe(['archive', repo]);
    const upload = await runProbe(['upload', repo, moto.url]);
    const rate = (r: { bytes: number; ms: number }) => r.bytes / MB / (r.ms / 1000);
    console.log('| measure | bytes | time | throughput | peak RSS |');
    console.log('|---|---:|---:|---:|---:|');
    for (const [name, r] of [
      ['git archive only (baseline)', archive],
      ['uploadSnapshot to moto', upload],
    ] as const) {
      console.log(
        `| ${name} | ${r.bytes} | ${(r.ms / 1000).toFixed(1)} s | ${rate(r).toFixed(0)} MiB/s | ${(r.maxRssBytes / MB).toFixed(0)} MB |`,
      );
    }
    console.log(
      `\nupload/archive throughput ratio: ${(rate(upload) / rate(archive)).toFixed(2)}; peak RSS / ${GOAL_RSS_MB} MB goal: ${(upload.maxRssBytes / MB / GOAL_RSS_MB).toFixed(2)}\n`,
    );
  } finally {
    clients.destroy();
    await moto.stop();
  }
}

async function pollingBench(): Promise<void> {
  console.log(
    `(b) ${BUILDS} concurrent builds of ${BUILD_SECONDS} s (sleep) awaited with the shared poller (5 s, backing off to 10 s while nothing changes)\n`,
  );
  const stateDir = tempDir('bench-codebuild');
  const endpoint = await startCodeBuildEndpoint({ stateDir, buildEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
  const clients = clientsFor({ codebuild: endpoint.url, logs: endpoint.url });
  try {
    const buildspec = `version: 0.2\nphases:\n  build:\n    commands:\n      - sleep ${BUILD_SECONDS}\n`;
    await clients.codebuild.send(
      new CreateProjectCommand({
        name: 'bench',
        source: { type: 'NO_SOURCE', buildspec },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: 'r',
      }),
    );
    const handles = await Promise.all(Array.from({ length: BUILDS }, () => startBuild(clients.codebuild, { projectName: 'bench' })));
    const started = performance.now();
    const waits = await Promise.all(
      handles.map(async (handle) => {
        const result = await awaitBuild(clients.codebuild, handle);
        return { result, waitedMs: performance.now() - started };
      }),
    );
    const calls = endpoint.stats().calls['BatchGetBuilds'] ?? 0;
    // One poller per build every 5 s: a call per build per 5 s until that build is seen complete.
    const perBuild = waits.reduce((sum, wait) => sum + Math.ceil(wait.waitedMs / 5000), 0);
    // How long after a build ended the wait saw it: the price of backing off.
    const lag = Math.max(...waits.map((wait) => wait.waitedMs / 1000 - (wait.result.durationSeconds ?? 0)));
    const wall = Math.max(...waits.map((wait) => wait.waitedMs)) / 1000;
    console.log('| poller | BatchGetBuilds calls | all builds seen complete after |');
    console.log('|---|---:|---:|');
    console.log(`| one per build every 5 s (baseline, computed for the same waits) | ${perBuild} | ${wall.toFixed(0)} s |`);
    console.log(`| shared poller (seqrun) | ${calls} | ${wall.toFixed(0)} s |`);
    console.log(
      `\nshared/per-build call ratio: ${(calls / perBuild).toFixed(3)}; longest lag from build end to seen: ${lag.toFixed(1)} s; statuses: ${[...new Set(waits.map((wait) => wait.result.status))].join(', ')}\n`,
    );
  } finally {
    clients.destroy();
    await endpoint.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

export default async function bench(): Promise<void> {
  await uploadBench();
  await pollingBench();
}
