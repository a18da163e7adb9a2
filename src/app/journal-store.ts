// Where `run` and `resume` journal: the project's `.seqrun/runs` always, and with `--journal
// s3://…` (or the config's `journal`) S3 too, holding a lease on the release for the whole run.
// The S3 side lives in src/store and loads only when a run names one.
import { hostname } from 'node:os';
import type { ResolvedConfig } from '../bind/index.ts';
import type { RunEvent } from '../run/events.ts';
import { JournalWriter, type JournalSink } from '../run/journal.ts';
import { readRun, runsDir, type RunMissing, type RunRead } from '../run/run-folder.ts';
import type { Lease, LeaseHolder } from '../store/lease.ts';
import { EXIT } from './exit-codes.ts';
import { TWO_RUNS } from './release-lock.ts';

export interface JournalChoice {
  readonly url: string;
  readonly leaseSeconds: number;
  /** `--wait-for-lease`: wait for the holder to finish instead of refusing. */
  readonly waitForLease: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `--journal` over the config's `journal`; null: the local journal only. */
export function journalChoice(flag: string | undefined, config: ResolvedConfig, waitForLease: boolean): JournalChoice | null {
  if (flag !== undefined) return { url: flag, leaseSeconds: config.journal?.leaseSeconds ?? 60, waitForLease };
  return config.journal ? { ...config.journal, waitForLease } : null;
}

export async function storeFor(url: string, env: Env) {
  const [{ parseS3Location }, { s3Client }] = await Promise.all([import('../store/location.ts'), import('../store/s3-objects.ts')]);
  return { client: s3Client(env), location: parseS3Location(url) };
}

/** The run to resume: from S3 when a journal store is chosen, else from `.seqrun/runs`. */
export async function findRun(root: string, runId: string | null, choice: JournalChoice | null, env: Env): Promise<RunRead | RunMissing> {
  if (choice === null) return readRun(runsDir(root), runId);
  const store = await storeFor(choice.url, env);
  try {
    const { readS3Run } = await import('../store/s3-journal.ts');
    return await readS3Run(store, runId);
  } finally {
    store.client.destroy();
  }
}

/** Opens the run's journal: the local file, and the S3 copy beside it when one is chosen. */
export async function openJournal(
  root: string,
  runId: string,
  choice: JournalChoice | null,
  env: Env,
  held: { readonly lease: Lease | null; readonly history: readonly RunEvent[]; readonly onStop: (why: string) => void },
): Promise<JournalSink> {
  const local = JournalWriter.open(root, runId);
  if (choice === null) return local;
  // A run resumed on another machine starts its local copy with what S3 holds.
  if (local.isEmpty()) for (const event of held.history) local.write(event);
  const [{ parseS3Location }, { S3JournalWriter }] = await Promise.all([import('../store/location.ts'), import('../store/s3-writer.ts')]);
  try {
    return S3JournalWriter.open(local, { location: parseS3Location(choice.url), runId, env, lease: held.lease, onStop: held.onStop });
  } catch (error) {
    local.close();
    throw error;
  }
}

/** Waits `ms`; true when `signal` aborted first. */
export function stopped(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(false);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function describeHolder(holder: LeaseHolder): string {
  return `run ${holder.runId} on ${holder.host} (pid ${holder.pid}) holds this release since ${holder.since}, its lease until ${holder.expiresAt}`;
}

/**
 * Runs `fn` holding the S3 lease on the release (`key`): refused with exit 2 naming the holder, or,
 * with `--wait-for-lease`, after the holder ends or its lease runs out. Without a store: `fn(null)`.
 */
export async function holdingLease(
  command: 'run' | 'resume',
  choice: JournalChoice | null,
  at: {
    readonly runId: string;
    readonly pid: number;
    readonly key: string;
    readonly env: Env;
    readonly stderr: (text: string) => void;
    /** Ctrl-C while waiting for the lease: stop waiting (exit 130). */
    readonly signal?: AbortSignal;
  },
  fn: (lease: Lease | null) => Promise<number>,
): Promise<number> {
  if (choice === null) return fn(null);
  const store = await storeFor(choice.url, at.env);
  const { takeLease } = await import('../store/lease.ts');
  const ttlMs = choice.leaseSeconds * 1000;
  try {
    let said = false;
    for (;;) {
      const taken = await takeLease(store, at.key, { runId: at.runId, pid: at.pid, ttlMs, host: hostname() });
      if (taken.ok) {
        if (taken.tookOver)
          at.stderr(`seqrun ${command}: took over the lease of ${describeHolder(taken.tookOver)}: it ran out or its process is gone\n`);
        try {
          return await fn(taken.lease);
        } finally {
          await taken.lease.release();
        }
      }
      if (!choice.waitForLease) {
        at.stderr(
          `seqrun ${command}: ${describeHolder(taken.holder)} (${choice.url}). ${TWO_RUNS}; ` +
            `wait for it (--wait-for-lease), or stop it and continue it with 'seqrun resume ${taken.holder.runId} --journal ${choice.url}'.\n`,
        );
        return EXIT.usage;
      }
      if (!said) at.stderr(`seqrun ${command}: waiting for the lease: ${describeHolder(taken.holder)}\n`);
      said = true;
      if (await stopped(Math.min(5_000, ttlMs / 3), at.signal)) {
        at.stderr(`seqrun ${command}: stopped waiting for the lease; nothing ran\n`);
        return EXIT.interrupted;
      }
    }
  } finally {
    store.client.destroy();
  }
}
