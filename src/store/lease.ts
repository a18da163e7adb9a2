// A lease per release in S3, so that two workers never run one release at once, on any machines.
// Taken with If-None-Match (create) or If-Match on the ETag read (take over a released or expired
// one), renewed with If-Match every third of its time to live. A worker that cannot renew in time
// holds nothing: `lost()` turns non-null and the journal writer stops the run before its next step
// (fencing). Expiry is judged by wall clocks, so workers' clocks must agree within a tenth of the TTL.
import { hostname } from 'node:os';
import { JournalStoreError } from './errors.ts';
import { s3Keys } from './location.ts';
import { getText, putIfAbsent, putIfMatch, type S3Store } from './s3-objects.ts';

export interface LeaseHolder {
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
  /** When this holder took the lease. */
  readonly since: string;
  readonly expiresAt: string;
  readonly released?: boolean;
}

export interface Lease {
  readonly key: string;
  /** Null while held; why it is not once it was lost (taken over, or not renewed in time). */
  lost(): string | null;
  /** Gives the lease up (an expired mark, so the next taker needs no wait); stops renewing. */
  release(): Promise<void>;
}

export type LeaseAttempt =
  | { readonly ok: true; readonly lease: Lease; readonly tookOver: LeaseHolder | null }
  | { readonly ok: false; readonly holder: LeaseHolder };

export interface LeaseOptions {
  readonly runId: string;
  readonly pid: number;
  readonly ttlMs: number;
  readonly host?: string;
  /** Whether a local process id is alive (a holder on this host whose process is gone is taken over at once). */
  readonly alive?: (pid: number) => boolean;
  readonly now?: () => number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(text: string, store: S3Store, key: string): LeaseHolder {
  try {
    const value = JSON.parse(text) as LeaseHolder;
    if (typeof value.runId === 'string' && typeof value.expiresAt === 'string') return value;
  } catch {
    // fall through
  }
  throw new JournalStoreError(
    `the lease s3://${store.location.bucket}/${key} is not a seqrun lease; delete it if no run holds this release`,
    'CORRUPT',
  );
}

/** Whether `holder` no longer holds: released, expired, or its process on this host is gone. */
function vacant(holder: LeaseHolder, options: LeaseOptions, host: string, now: number): boolean {
  if (holder.released || Date.parse(holder.expiresAt) <= now) return true;
  return holder.host === host && holder.pid !== options.pid && !(options.alive ?? processAlive)(holder.pid);
}

/** Takes the lease `releaseKey` under the store's location, or says who holds it. */
export async function takeLease(store: S3Store, releaseKey: string, options: LeaseOptions): Promise<LeaseAttempt> {
  const key = s3Keys.lease(store.location, releaseKey);
  const now = options.now ?? Date.now;
  const host = options.host ?? hostname();
  const since = new Date(now()).toISOString();
  const body = (at: number): string =>
    JSON.stringify({ runId: options.runId, host, pid: options.pid, since, expiresAt: new Date(at + options.ttlMs).toISOString() });
  // A few rounds: each conditional write that loses means someone else moved first; look again.
  for (let round = 0; round < 5; round++) {
    const sent = now();
    const created = await putIfAbsent(store, key, body(sent));
    if (created !== null) return { ok: true, lease: holdLease(store, key, created, sent, body, options), tookOver: null };
    const current = await getText(store, key);
    if (current === null) continue;
    const holder = readHolder(current.text, store, key);
    if (!vacant(holder, options, host, now())) return { ok: false, holder };
    const taken = await putIfMatch(store, key, body(sent), current.etag);
    if (taken !== null)
      return { ok: true, lease: holdLease(store, key, taken, sent, body, options), tookOver: holder.released ? null : holder };
  }
  const last = await getText(store, key);
  return { ok: false, holder: last ? readHolder(last.text, store, key) : { runId: '?', host: '?', pid: 0, since: '?', expiresAt: '?' } };
}

function holdLease(
  store: S3Store,
  key: string,
  firstEtag: string,
  sentAt: number,
  body: (at: number) => string,
  options: LeaseOptions,
): Lease {
  const now = options.now ?? Date.now;
  let etag = firstEtag;
  // Held until a tenth of the TTL before the holder's written expiry: the margin for clock skew.
  let validUntil = sentAt + options.ttlMs * 0.9;
  let lostWhy: string | null = null;
  let renewing: Promise<void> | null = null;
  const renew = async (): Promise<void> => {
    const sent = now();
    try {
      const next = await putIfMatch(store, key, body(sent), etag);
      if (next === null) lostWhy = 'another run took the lease over (this run was not heard from within its time to live)';
      else {
        etag = next;
        validUntil = sent + options.ttlMs * 0.9;
      }
    } catch {
      // A failed renewal is retried at the next tick; the lease is lost only when it runs out.
    }
  };
  const timer = setInterval(
    () => {
      renewing ??= renew().finally(() => (renewing = null));
    },
    Math.max(50, Math.floor(options.ttlMs / 3)),
  );
  timer.unref();
  return {
    key,
    lost: () => lostWhy ?? (now() > validUntil ? `the lease was not renewed within its ${options.ttlMs} ms time to live` : null),
    release: async () => {
      clearInterval(timer);
      await renewing;
      if (lostWhy !== null) return;
      const released = JSON.stringify({
        ...(JSON.parse(body(now())) as LeaseHolder),
        expiresAt: new Date(now()).toISOString(),
        released: true,
      });
      await putIfMatch(store, key, released, etag).catch(() => null);
    },
  };
}
