// A run's S3 journal with several writers: the Step Functions engine's workers, any of which may
// answer any step of a run. Each appends its events as the next segment, written with If-None-Match;
// one that loses the number to another reads what the other wrote and builds its events again on
// top of it (a state is merged into the newest one, not written over it). Readers keep what they
// have read and fetch only the segments added since.
import type { RunEvent } from '../run/events.ts';
import { eventLine } from '../run/journal.ts';
import { appendLost, MOST_APPEND_TRIES, readS3JournalAfter, writeSegment } from './s3-journal.ts';
import type { S3Store } from './s3-objects.ts';
import { SyncWorker } from './sync-call.ts';

export interface JournalView {
  /** How many segments these events came from. */
  readonly segments: number;
  readonly events: readonly RunEvent[];
}

/** How many runs' events a reader keeps. */
const MOST_RUNS_KEPT = 64;

/** How long a synchronous append may take, the SDK's retries included. */
const SYNC_TIMEOUT_MS = 30_000;

function appendWorkerUrl(): URL {
  // src/ runs as .ts (Node strips types), dist/ as .js.
  return new URL(`./s3-append-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}

export class SharedJournal {
  readonly store: S3Store;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly views = new Map<string, JournalView>();
  private syncWorker: SyncWorker | null = null;

  /** `env`: what the synchronous appends' thread builds its S3 client from (the same as `store`'s). */
  constructor(store: S3Store, env: Readonly<Record<string, string | undefined>>) {
    this.store = store;
    this.env = env;
  }

  /**
   * Appends `events` as the next free segment before it returns, blocking this thread for the S3 round
   * trips (a worker thread writes): for events a synchronous callback must make durable (`ctx.progress`).
   */
  appendNow(runId: string, events: readonly RunEvent[]): void {
    this.syncWorker ??= new SyncWorker(appendWorkerUrl(), { location: this.store.location, env: { ...this.env } });
    this.syncWorker.call({ runId, lines: events.map(eventLine).join('') }, SYNC_TIMEOUT_MS);
  }

  close(): void {
    this.syncWorker?.close();
    this.syncWorker = null;
  }

  /** The run's events as the journal holds them now (none for a run nobody wrote yet). */
  async read(runId: string): Promise<JournalView> {
    const known = this.views.get(runId) ?? { segments: 0, events: [] };
    const added = await readS3JournalAfter(this.store, runId, known.segments);
    return this.keep(runId, { segments: added.segments, events: [...known.events, ...added.events] });
  }

  /**
   * Appends what `events` makes of the newest view as the next segment, and returns the view with it.
   * `events` is called again on a newer view each time another writer took the number; nothing is
   * written when it returns no event.
   */
  async append(runId: string, events: (view: JournalView) => readonly RunEvent[]): Promise<JournalView> {
    let view = this.views.get(runId) ?? (await this.read(runId));
    for (let tries = 0; tries < MOST_APPEND_TRIES; tries++) {
      const batch = events(view);
      if (batch.length === 0) return view;
      if (await writeSegment(this.store, runId, view.segments + 1, batch.map(eventLine).join(''))) {
        return this.keep(runId, { segments: view.segments + 1, events: [...view.events, ...batch] });
      }
      view = await this.read(runId);
    }
    throw appendLost(runId);
  }

  /** Forgets a run's events (a worker that will not see the run again). */
  forget(runId: string): void {
    this.views.delete(runId);
  }

  private keep(runId: string, view: JournalView): JournalView {
    const kept = this.views.get(runId);
    if (!kept || kept.segments < view.segments) {
      // The most recently used runs stay (a long-lived reader sees many); a forgotten one is read again whole.
      this.views.delete(runId);
      this.views.set(runId, view);
      if (this.views.size > MOST_RUNS_KEPT) this.views.delete(this.views.keys().next().value as string);
    }
    return view;
  }
}
