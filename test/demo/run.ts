// `npm run demo`: the seed's three release processes, run for real against the sandbox.
// Starts the sandbox, provisions it with specs/sandbox/provision.ts (the sandbox profile's
// sandbox.provision: CodeBuild projects, ECR repositories, the demo and cardid apps in their git
// remotes), runs specs/current.seq, specs/interim.seq, specs/final.seq (each releasing a new
// alpha_release-<N> of the demo app) and specs/release.mmd (its loop building both apps), renders
// the runs into docs/runs/, updates the status sections of docs/deploy-to-test.md, stops the sandbox and says where everything is.
// Options: --keep (leave the sandbox running), --verbose (show every log line of the runs).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox, stopSandbox, type SandboxState } from 'seqrun/api';
import provision, { nextReleaseNumber } from '../../specs/sandbox/provision.ts';
import { DEMO_PROCESSES, publishRuns, specOf, type DemoRun } from './publish-runs.ts';
import { ensureTools } from './setup.ts';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const sandboxDir = join(repo, '.seqrun/demo/sandbox');
const verbose = process.argv.includes('--verbose');
const keep = process.argv.includes('--keep');
const say = (line: string): void => void process.stdout.write(`${line}\n`);

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[name]) env[name] = process.env[name] as string;
  return env;
}

/** `seqrun run specs/<name>.seq --profile sandbox` (release: specs/release.mmd), its step lines echoed; resolves with the run. */
function runProcess(name: DemoRun['name'], release: number, sandbox: SandboxState): Promise<DemoRun> {
  const args = [
    join(repo, 'bin/seqrun.js'),
    'run',
    specOf(name),
    '--profile',
    'sandbox',
    '--format',
    'plain',
    '--var',
    `release=${release}`,
  ];
  const child = spawn(process.execPath, args, {
    cwd: repo,
    env: { ...baseEnv(), ...sandbox.env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let runId = '';
  let status = 'unknown';
  let pending = '';
  const onText = (chunk: Buffer): void => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      runId = /^run (\S+) started/.exec(line)?.[1] ?? runId;
      status = /^run (passed|failed|interrupted)/.exec(line)?.[1] ?? status;
      if (verbose || !/^(info|warn) /.test(line)) say(`  ${line}`);
    }
  };
  child.stdout.on('data', onText);
  child.stderr.on('data', onText);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (!runId) return reject(new Error(`seqrun run ${specOf(name)} did not start a run (exit ${code ?? 'signal'})`));
      resolve({ name, release, runId, journal: join(repo, '.seqrun/runs', runId, 'journal.ndjson'), status, exitCode: code ?? 1 });
    });
  });
}

/** Each process gets a new release, provisioned as `seqrun run --sandbox` does (sandbox.provision). */
async function runAll(sandbox: SandboxState): Promise<DemoRun[]> {
  const runs: DemoRun[] = [];
  for (const name of DEMO_PROCESSES) {
    const release = await nextReleaseNumber(sandbox.env);
    const vars = { release: String(release) };
    await provision(sandbox, {
      root: repo,
      profile: 'sandbox',
      settings: {},
      vars,
      env: { ...baseEnv(), ...sandbox.env },
      log: verbose ? say : () => undefined,
    });
    const apps = name === 'release' ? 'pay-demo and pay-cardid' : 'pay-demo';
    say(`\n== ${specOf(name)}: releasing ${apps} alpha_release-${release}`);
    runs.push(await runProcess(name, release, sandbox));
  }
  return runs;
}

async function main(): Promise<number> {
  const tools = ensureTools(say);
  if (!tools.ok) {
    for (const message of tools.messages) process.stderr.write(`demo: ${message}\n`);
    return 2;
  }
  await stopSandbox({ dir: sandboxDir }).catch(() => undefined);
  say(`demo: starting the sandbox in ${sandboxDir}`);
  const sandbox = await startSandbox({ dir: sandboxDir, env: baseEnv() });
  let runs: DemoRun[];
  try {
    runs = await runAll(sandbox);
  } finally {
    if (!keep) await stopSandbox({ dir: sandboxDir });
  }
  say('\ndemo: rendering the runs');
  const published = await publishRuns(repo, runs, { chromium: tools.chromium });
  say('');
  for (const run of runs) say(`demo: ${specOf(run.name)} ${run.status} (alpha_release-${run.release}, run ${run.runId})`);
  if (published.overlap)
    say(`demo: interim: the ARM build overlapped the x86 steps for ${(published.overlap.overlapMs / 1000).toFixed(1)} s`);
  say(`demo: wrote ${published.files.join(', ')}`);
  say(`demo: journals in .seqrun/runs/; deployment requests in ${join(sandboxDir, 'deploy-requests')}`);
  say(keep ? `demo: the sandbox is still running: eval "$(npx seqrun sandbox env --dir ${sandboxDir})"` : 'demo: the sandbox is stopped');
  return runs.every((r) => r.exitCode === 0) ? 0 : 1;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
