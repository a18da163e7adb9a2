// Detached background services with pid files: each leads its own process group, so `down` can stop
// it and everything it started, and only what the pid file names (checked against /proc cmdline).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ServiceProcess {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  /**
   * What names the process in its command line when `command` does not: moto_sfn_server.py for the
   * Python that runs it (default `command`). Recorded in the pid file.
   */
  readonly program?: string;
}

export interface PidRecord {
  readonly pid: number;
  /** The program (or the script it runs), to recognise the process again (pids are reused). */
  readonly command: string;
}

export const pidFile = (stateDir: string, name: string): string => join(stateDir, 'pids', `${name}.pid`);
export const logFile = (stateDir: string, name: string): string => join(stateDir, 'logs', `${name}.log`);

/** Starts `service` detached, its output appended to logs/<name>.log; writes pids/<name>.pid. */
export async function spawnDetached(stateDir: string, service: ServiceProcess): Promise<PidRecord> {
  await mkdir(join(stateDir, 'pids'), { recursive: true });
  await mkdir(join(stateDir, 'logs'), { recursive: true });
  const fd = openSync(logFile(stateDir, service.name), 'a');
  try {
    const child = spawn(service.command, service.args, { cwd: service.cwd, env: service.env, detached: true, stdio: ['ignore', fd, fd] });
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('error', (error) => reject(error));
      child.once('spawn', () => resolve(child.pid as number));
    });
    child.unref();
    const record = { pid, command: service.program ?? service.command };
    await writeFile(pidFile(stateDir, service.name), JSON.stringify(record));
    return record;
  } finally {
    closeSync(fd);
  }
}

export async function readPid(stateDir: string, name: string): Promise<PidRecord | null> {
  const text = await readFile(pidFile(stateDir, name), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as PidRecord);
}

/** True when a process (or, for a negative pid, a process group) with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True when `record.pid` is alive and still runs the program it was started as. */
export async function isOurs(record: PidRecord): Promise<boolean> {
  if (!isAlive(record.pid)) return false;
  const cmdline = await readFile(`/proc/${record.pid}/cmdline`, 'utf8').catch(() => null);
  if (cmdline === null) return true;
  if (cmdline === '') return false;
  const argv = cmdline.split('\0');
  return argv.some((part) => part === record.command || part.endsWith(`/${record.command.split('/').pop()}`));
}

const groupAlive = (pid: number): boolean => isAlive(-pid);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops the process group of the service named in its pid file; returns what happened. */
export async function stopDetached(stateDir: string, name: string, graceMs = 5000): Promise<'stopped' | 'not running'> {
  const record = await readPid(stateDir, name);
  if (record === null) return 'not running';
  let result: 'stopped' | 'not running' = 'not running';
  if (await isOurs(record)) {
    result = 'stopped';
    try {
      process.kill(-record.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const deadline = Date.now() + graceMs;
    while (groupAlive(record.pid) && Date.now() < deadline) await sleep(50);
    if (groupAlive(record.pid)) {
      try {
        process.kill(-record.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      while (groupAlive(record.pid)) await sleep(20);
    }
  }
  await rm(pidFile(stateDir, name), { force: true });
  return result;
}

/** The last lines of a service's log, for error messages. */
export async function logTail(stateDir: string, name: string, lines = 8): Promise<string> {
  const text = await readFile(logFile(stateDir, name), 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-lines).join('\n');
}
