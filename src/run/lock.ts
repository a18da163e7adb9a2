// One run of a release at a time. A run (or a resume) takes a lock on its release key in
// `.seqrun/locks/`, beside the journals, and holds it until it ends; a second run of the same release
// is refused with the holder's run id and pid. A lock whose holder died, even by SIGKILL, is taken over.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive } from '../sandbox/processes.ts';

/** What makes two runs the same release: the diagram, the profile and the variables, as journaled. */
export interface ReleaseIdentity {
  readonly diagram: string;
  readonly profile: string | null | undefined;
  /** The run's variables with secret values masked (as in `run-started`), so a resume finds the same key. */
  readonly vars: Readonly<Record<string, string>>;
}

/**
 * The release key. A lease shared between machines (S3) is taken on the same key. `keyVars` (the
 * config's `releaseKey`) limits the variables that count; by default all of them do.
 */
export function releaseKey(release: ReleaseIdentity, keyVars: readonly string[] | null = null): string {
  const names = keyVars ?? Object.keys(release.vars);
  const vars = [...names].sort().map((name) => [name, release.vars[name] ?? null]);
  return createHash('sha256')
    .update(JSON.stringify([release.diagram, release.profile ?? null, vars]))
    .digest('hex')
    .slice(0, 32);
}

export interface LockHolder {
  readonly runId: string;
  readonly pid: number;
  readonly since: string;
  /** When the process started (Linux), so a reused pid is not taken for the holder. */
  readonly processStart: string | null;
}

export type LockAttempt = { readonly ok: true; readonly unlock: () => void } | { readonly ok: false; readonly holder: LockHolder };

export const lockFile = (root: string, key: string): string => join(root, '.seqrun', 'locks', `${key}.json`);

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), or null where there is no /proc. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function holds(holder: LockHolder): boolean {
  if (!isAlive(holder.pid)) return false;
  return holder.processStart === null || processStart(holder.pid) === holder.processStart;
}

function readHolder(path: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
  } catch {
    return null; // gone, or torn by a crash between create and write: nobody holds it
  }
}

/** Creates the lock file if there is none (atomically); false when one exists. */
function create(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Removes a dead holder's lock. It is moved aside first and looked at there: when another run took the
 * lock over in between, the moved lock is that run's, and it is put back (that run holds it).
 */
function takeOver(path: string): LockHolder | null {
  const aside = `${path}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(path, aside);
  } catch {
    return null; // another run moved it first
  }
  const moved = readHolder(aside);
  if (moved && holds(moved)) {
    try {
      linkSync(aside, path);
    } catch {
      // a third run took the free lock meanwhile; it holds it now
    }
  }
  rmSync(aside, { force: true });
  return moved && holds(moved) ? moved : null;
}

/** Takes the lock on `key` for run `runId` of process `pid`, or names who holds it. */
export function lockRelease(root: string, key: string, runId: string, pid: number): LockAttempt {
  const path = lockFile(root, key);
  mkdirSync(join(root, '.seqrun', 'locks'), { recursive: true });
  const holder: LockHolder = { runId, pid, since: new Date().toISOString(), processStart: processStart(pid) };
  const unlock = (): void => {
    const current = readHolder(path);
    if (current?.runId === runId && current.pid === pid) rmSync(path, { force: true });
  };
  for (let tries = 0; tries < 5; tries++) {
    if (create(path, holder)) return { ok: true, unlock };
    const current = readHolder(path);
    if (current && holds(current)) return { ok: false, holder: current };
    const taken = takeOver(path);
    if (taken) return { ok: false, holder: taken };
  }
  const current = readHolder(path);
  if (current) return { ok: false, holder: current };
  throw new Error(`could not take the lock ${path}; remove it if no seqrun is running`);
}
