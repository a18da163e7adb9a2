// `seqrun sandbox`: every local endpoint a release rehearsal needs, as detached processes with pid
// files and state in one folder. `startSandbox`/`stopSandbox`/`withSandbox` are what `seqrun run
// --sandbox` calls; the CLI command only formats their results.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createBareRemote, pushCommit } from './git-remote.ts';
import { tieToThisProcess, type Tie } from './lifetime.ts';
import { freePort, portIsFree, waitUntilAnswers } from './ports.ts';
import { isOurs, logTail, readPid, spawnDetached, stopDetached, isAlive } from './processes.ts';
import type { ServiceName } from './services.ts';
import {
  configureMoto,
  planServices,
  SANDBOX_GIT_REPOSITORY,
  sandboxEnvironment,
  SandboxError,
  SERVICE_NAMES,
  withDependencies,
} from './services.ts';
import type { SlackMessage } from './slack/server.ts';
import { readSlackMessages } from './slack/server.ts';
import { findTools, type Tools } from './tools.ts';

export { SandboxError } from './services.ts';
export type { ServiceName } from './services.ts';
export type { Tools } from './tools.ts';

export const DEFAULT_SANDBOX_DIR = '.seqrun/sandbox';

export interface SandboxOptions {
  /** State folder (default `.seqrun/sandbox`, relative to `cwd`). */
  readonly dir?: string;
  readonly cwd?: string;
  /** Fixed ports; a taken one fails `up` clearly. Others are picked free. */
  readonly ports?: Partial<Record<ServiceName, number>>;
  /** The services to start (with what they depend on); default all. `seqrun run --sandbox` passes servicesNeeded's. */
  readonly services?: readonly ServiceName[];
  /** The environment to find tools in and pass on (PATH, HOME, ...). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly tools?: Partial<Tools>;
  /** Progress lines (`moto answers on http://...`). */
  readonly onProgress?: (line: string) => void;
  /** One line each: what this sandbox runs without (moto without the fix for a second Step Functions execution). */
  readonly onWarning?: (line: string) => void;
  readonly readyTimeoutMs?: number;
}

export interface SandboxService {
  readonly name: ServiceName;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
}

export interface SandboxState {
  readonly dir: string;
  /** New at each `up`: a sandbox starts empty, so a run against another one cannot be resumed here. */
  readonly id: string;
  readonly services: readonly SandboxService[];
  /** What `seqrun sandbox env` prints. */
  readonly env: Readonly<Record<string, string>>;
}

const stateFile = (dir: string): string => join(dir, 'sandbox.json');

export function sandboxDir(options: Pick<SandboxOptions, 'dir' | 'cwd'>): string {
  return resolve(options.cwd ?? '.', options.dir ?? DEFAULT_SANDBOX_DIR);
}

export async function readSandboxState(dir: string): Promise<SandboxState | null> {
  const text = await readFile(stateFile(dir), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as SandboxState);
}

async function choosePorts(
  services: readonly ServiceName[],
  requested: Partial<Record<ServiceName, number>>,
): Promise<Partial<Record<ServiceName, number>>> {
  const ports: Partial<Record<ServiceName, number>> = {};
  const used = new Set<number>();
  for (const name of services) {
    const fixed = requested[name];
    if (fixed !== undefined) {
      if (!(await portIsFree(fixed)))
        throw new SandboxError(
          `port 127.0.0.1:${fixed} asked for ${name} is already in use; stop what uses it or choose another port (--port ${name}=<port>, or leave it out to pick a free one)`,
        );
      ports[name] = fixed;
    } else {
      let port = await freePort();
      while (used.has(port) || Object.values(requested).includes(port)) port = await freePort();
      ports[name] = port;
    }
    used.add(ports[name] as number);
  }
  return ports;
}

async function seedGitRemote(dir: string): Promise<void> {
  const path = join(dir, 'github', SANDBOX_GIT_REPOSITORY);
  if (
    await stat(path).then(
      () => true,
      () => false,
    )
  )
    return;
  await createBareRemote(path);
  await pushCommit(
    path,
    [
      { path: 'README.md', content: "# pay-app\n\nThe sandbox's stand-in for a GOV.UK Pay app repository.\n" },
      { path: 'build.sh', content: '#!/bin/sh\nset -e\nmkdir -p dist\necho "pay-app $(cat VERSION)" > dist/index.html\n' },
      { path: 'VERSION', content: '1\n' },
    ],
    { tags: ['alpha_release-1'], message: 'pay-app release 1' },
  );
}

/**
 * What the services inherit: enough to find and run programs, nothing that reconfigures them
 * (docker-registry reads REGISTRY_* variables over its config; the user's AWS profile must not leak).
 */
function serviceEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept = /^(PATH|HOME|USER|LOGNAME|LANG|LC_[A-Z]+|TZ|TMPDIR|PYENV_[A-Z_]+|VIRTUAL_ENV|PYTHONPATH)$/;
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && kept.test(e[0])));
}

/** moto keeps nothing across restarts, so neither do the registries, CodeBuild or Slack; the git remote stays. */
async function freshState(dir: string): Promise<void> {
  for (const folder of ['ecr-registry', 'dockerhub', 'codebuild', 'slack', 'logs', 'pids'])
    await rm(join(dir, folder), { recursive: true, force: true });
}

async function refuseIfRunning(dir: string): Promise<void> {
  const existing = await readSandboxState(dir);
  if (existing === null) return;
  for (const service of existing.services) {
    const record = await readPid(dir, service.name);
    if (record && (await isOurs(record)))
      throw new SandboxError(
        `a sandbox is already running in ${dir} (${service.name} is pid ${record.pid}); run 'seqrun sandbox down' first`,
      );
  }
}

/** Starts the services (default all), waits until each answers, and writes sandbox.json. Stops all on failure. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxState> {
  const dir = sandboxDir(options);
  const env = options.env ?? process.env;
  const baseEnv = serviceEnvironment(env);
  const services = withDependencies(options.services ?? SERVICE_NAMES);
  const motoPython = env['SEQRUN_MOTO_PYTHON'];
  const tools = await findTools(baseEnv, { ...(motoPython === undefined ? {} : { motoPython }), ...options.tools }, services);
  if (tools.moto.note !== undefined) options.onProgress?.(tools.moto.note);
  for (const warning of tools.warnings) options.onWarning?.(warning);
  await mkdir(dir, { recursive: true });
  await refuseIfRunning(dir);
  const ports = await choosePorts(services, options.ports ?? {});
  await freshState(dir);
  await seedGitRemote(dir);
  const plans = await planServices({ dir, ports, tools, baseEnv });
  const started: SandboxService[] = [];
  try {
    for (const plan of plans) {
      const record = await spawnDetached(dir, plan);
      started.push({ name: plan.name, pid: record.pid, port: plan.port, url: plan.url });
      await waitUntilAnswers(plan.readyUrl, {
        timeoutMs: options.readyTimeoutMs ?? 60_000,
        abandon: () => (isAlive(record.pid) ? null : 'it exited'),
      }).catch(async (error: unknown) => {
        throw new SandboxError(
          `${plan.name} did not start (${(error as Error).message}); ${join(dir, 'logs', `${plan.name}.log`)} ends with:\n${await logTail(dir, plan.name)}`,
        );
      });
      // A service that exited at once (its port taken meanwhile) would leave another process answering.
      await new Promise((r) => setTimeout(r, 100));
      if (!(await isOurs(record)))
        throw new SandboxError(
          `${plan.name} exited right after starting; ${join(dir, 'logs', `${plan.name}.log`)} ends with:\n${await logTail(dir, plan.name)}`,
        );
      if (plan.name === 'moto') await configureMoto(plan.url);
      options.onProgress?.(`${plan.name} answers on ${plan.url} (pid ${record.pid})`);
    }
  } catch (error) {
    for (const service of started.reverse()) await stopDetached(dir, service.name);
    throw error;
  }
  const id = randomBytes(6).toString('hex');
  const state: SandboxState = { dir, id, services: started, env: sandboxEnvironment(dir, ports, id) };
  await writeFile(stateFile(dir), JSON.stringify(state, null, 2));
  return state;
}

/** Stops exactly the processes named by the sandbox's pid files (their whole process groups). */
export async function stopSandbox(
  options: Pick<SandboxOptions, 'dir' | 'cwd'> = {},
): Promise<{ name: string; result: 'stopped' | 'not running' }[]> {
  const dir = sandboxDir(options);
  const results: { name: string; result: 'stopped' | 'not running' }[] = [];
  for (const name of [...SERVICE_NAMES].reverse()) {
    if ((await readPid(dir, name)) === null) continue;
    results.push({ name, result: await stopDetached(dir, name) });
  }
  await rm(stateFile(dir), { force: true });
  return results;
}

export interface SandboxStatus {
  readonly dir: string;
  readonly services: readonly (SandboxService & { readonly running: boolean })[];
  readonly messages: readonly SlackMessage[];
}

export async function sandboxStatus(options: Pick<SandboxOptions, 'dir' | 'cwd'> = {}): Promise<SandboxStatus | null> {
  const dir = sandboxDir(options);
  const state = await readSandboxState(dir);
  if (state === null) return null;
  const services = [];
  for (const service of state.services) {
    const record = await readPid(dir, service.name);
    services.push({ ...service, running: record !== null && record.pid === service.pid && (await isOurs(record)) });
  }
  return { dir, services, messages: await readSlackMessages(join(dir, 'slack')) };
}

/**
 * Up, `fn` with the sandbox, down: what `seqrun run --sandbox` does. The sandbox is tied to this
 * process: if it dies before `down` (even by SIGKILL), a keeper stops the services and their builds.
 */
export async function withSandbox<T>(options: SandboxOptions, fn: (sandbox: SandboxState) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox(options);
  let tie: Tie | undefined;
  try {
    tie = await tieToThisProcess(sandbox.dir);
    return await fn(sandbox);
  } finally {
    await stopSandbox(options);
    tie?.release();
  }
}
