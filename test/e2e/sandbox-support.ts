// Shared by the fault drills: one sandbox for the file, the fixture apps published as a fresh release per
// drill, `seqrun` as a child process with the sandbox's environment, and views of what the sandbox holds.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createAwsClients } from '../../src/packs/aws/index.ts';
import { findTagDigest } from '../../src/packs/ecr/index.ts';
import { RegistryClient, resolveDigest } from '../../src/packs/registry/index.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { readJournal } from '../../src/run/journal-file.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { readSlackMessages, startSandbox, stopSandbox, type SandboxState, type SlackMessage } from '../../src/sandbox/index.ts';
import { APP, APPS, nextReleaseNumber, provisionAws, publishRelease } from '../../specs/sandbox/provision.ts';

const exec = promisify(execFile);
export const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');

export interface Outcome {
  readonly code: number;
  readonly out: string;
}

/** A sandbox for one test file, provisioned as the seed expects, in a fresh temp folder (`root`). */
export async function startSeedSandbox(prefix: string): Promise<{ root: string; sandbox: SandboxState }> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const sandbox = await startSandbox({
    dir: join(root, 'sandbox'),
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '' },
  });
  await provisionAws(sandbox.env);
  return { root, sandbox };
}

/** Stops the sandbox of `startSeedSandbox`, removes its folder and the journals of `runIds` in the repository. */
export async function stopSeedSandbox(root: string | undefined, runIds: readonly string[] = []): Promise<void> {
  if (root === undefined) return;
  await stopSandbox({ dir: join(root, 'sandbox') });
  await rm(root, { recursive: true, force: true });
  for (const id of runIds) await rm(join(repo, '.seqrun/runs', id), { recursive: true, force: true });
}

export function runEnv(sandbox: SandboxState, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { PATH: process.env['PATH'], HOME: process.env['HOME'], NO_COLOR: '1', CI: 'true', SEQRUN_PROFILE: '', ...sandbox.env, ...extra };
}

/** `seqrun ARGS` from the repository root (so the root seqrun.config.ts is the project). */
export function seqrun(args: readonly string[], env: Record<string, string | undefined>): Promise<Outcome> {
  return exec(process.execPath, [bin, ...args], { cwd: repo, env, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

/** Starts `seqrun ARGS --format json` and calls `onEvent` for each event it prints. */
export function seqrunEvents(
  args: readonly string[],
  env: Record<string, string | undefined>,
  onEvent: (event: RunEvent, child: ChildProcess) => void,
): Promise<number | null> {
  const child = spawn(process.execPath, [bin, ...args, '--format', 'json'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) onEvent(JSON.parse(line) as RunEvent, child);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

/**
 * Publishes every fixture app (demo and cardid) as the next alpha_release-<N>, the demo app after
 * `edit` (which may break it on purpose); returns N.
 */
export async function nextRelease(sandbox: SandboxState, edit?: (dir: string) => Promise<void>): Promise<number> {
  const release = await nextReleaseNumber(sandbox.env);
  for (const app of APPS) await publishRelease(sandbox.env, app, release, app === APP ? edit : undefined);
  return release;
}

export function runIdOf(out: string): string {
  const id = /run (\S+) started/.exec(out)?.[1];
  if (!id) throw new Error(`no run started in:\n${out}`);
  return id;
}

export async function journalOf(runId: string): Promise<readonly RunEvent[]> {
  return (await readJournal(join(repo, '.seqrun/runs', runId, 'journal.ndjson'))).events;
}

/** The final status of each step, by step id. */
export function statuses(events: readonly RunEvent[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of events) if (e.type === 'step-finished') out[e.stepId] = e.status;
  return out;
}

/** The digest `tag` names in `app`'s ECR repository (`pay-<app>`), if it is there. */
export async function ecrTag(sandbox: SandboxState, tag: string, app = APP): Promise<string | undefined> {
  const aws = createAwsClients({ env: sandbox.env });
  try {
    return await findTagDigest(aws.ecr, { repositoryName: `pay-${app}` }, tag);
  } finally {
    aws.destroy();
  }
}

/** The digest `tag` names in `app`'s Docker Hub repository (`govukpay/<app>`). */
export function dockerHubTag(sandbox: SandboxState, tag: string, app = APP): Promise<string | null> {
  return resolveDigest(
    { client: new RegistryClient({ url: sandbox.env['SEQRUN_DOCKERHUB_REGISTRY'] ?? '' }), repository: `govukpay/${app}` },
    tag,
  );
}

export function slackMessages(sandbox: SandboxState): Promise<SlackMessage[]> {
  return readSlackMessages(join(sandbox.dir, 'slack'));
}

export async function slackFaults(sandbox: SandboxState, faults: Record<string, unknown>): Promise<void> {
  const base = (sandbox.env['SEQRUN_SLACK_API_URL'] ?? '').replace(/api\/$/, '');
  const response = await fetch(`${base}_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!response.ok) throw new Error(`slack faults: ${response.status}`);
}

export async function startBuildCalls(sandbox: SandboxState): Promise<number> {
  const response = await fetch(`${sandbox.env['AWS_ENDPOINT_URL_CODEBUILD'] ?? ''}/_seqrun/stats`);
  const stats = (await response.json()) as { calls: Record<string, number> };
  return stats.calls['StartBuild'] ?? 0;
}

/** StartBuild calls the sandbox's CodeBuild endpoint received, per project. */
export async function startsByProject(sandbox: SandboxState): Promise<Record<string, number>> {
  const response = await fetch(`${sandbox.env['AWS_ENDPOINT_URL_CODEBUILD'] ?? ''}/_seqrun/stats`);
  return ((await response.json()) as { startsByProject: Record<string, number> }).startsByProject;
}

/** A registry that is down: every request answers 503. Counts the requests. */
export async function downRegistry(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((_req, res) => {
    count++;
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAVAILABLE","message":"down for the drill"}]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests: () => count, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
