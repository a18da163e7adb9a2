// The S3 journal as the runtime writes it: every event goes to the local journal file first (so
// nothing is lost whatever S3 does), and to S3 in segments: the events since the last durable one
// are written, as one segment, before a durable event returns (see isDurable). A write that fails,
// or a lease that is lost, stops the S3 copy: from then on events go to the local file only, every
// later step start is refused (a throw in the runtime's event callback, before its handler runs),
// and `stopped` says why.
import { eventLine, isDurable, type JournalSink, type JournalWriter } from '../run/journal.ts';
import type { RunEvent } from '../run/events.ts';
import { JournalStoreError } from './errors.ts';
import type { Lease } from './lease.ts';
import { locationUrl, type S3Location } from './location.ts';
import { SyncWorker } from './sync-call.ts';

export interface S3JournalOptions {
  readonly location: S3Location;
  readonly runId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly lease: Lease | null;
  /** Called once, when the S3 copy stops (the session ends the run at once). */
  readonly onStop: (why: string) => void;
  /** How long one segment write may take, the SDK's retries included. */
  readonly timeoutMs?: number;
}

function workerUrl(): URL {
  // src/ runs as .ts (Node strips types), dist/ as .js.
  return new URL(`./s3-journal-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}

export class S3JournalWriter implements JournalSink {
  readonly path: string;
  readonly url: string;
  private readonly local: JournalWriter;
  private readonly worker: SyncWorker;
  private readonly options: S3JournalOptions;
  private pending: string[] = [];
  private why: string | null = null;

  private constructor(local: JournalWriter, worker: SyncWorker, options: S3JournalOptions) {
    this.local = local;
    this.path = local.path;
    this.worker = worker;
    this.options = options;
    this.url = `${locationUrl(options.location)}/runs/${options.runId}/journal/`;
  }

  /** Opens the run's S3 journal next to `local`; a JournalStoreError when S3 cannot be reached. */
  static open(local: JournalWriter, options: S3JournalOptions): S3JournalWriter {
    const worker = new SyncWorker(workerUrl(), { location: options.location, runId: options.runId, env: { ...options.env } });
    const writer = new S3JournalWriter(local, worker, options);
    try {
      worker.call({ op: 'open' }, options.timeoutMs ?? 30_000);
    } catch (error) {
      worker.close();
      throw new JournalStoreError(`the S3 journal ${writer.url} cannot be opened: ${(error as Error).message}`, storeCode(error), {
        cause: error,
      });
    }
    return writer;
  }

  /** Why the S3 copy stopped, or null while it is written. */
  get stopped(): string | null {
    return this.why;
  }

  write(event: RunEvent): void {
    if (this.why !== null) {
      this.local.write(event);
      if (event.type === 'step-started') throw new JournalStoreError(`step ${event.stepId} not started: ${this.why}`, 'LEASE_LOST');
      return;
    }
    this.pending.push(eventLine(event));
    const lost = this.options.lease?.lost() ?? null;
    if (lost !== null) {
      this.local.write(event);
      return this.stop(`this run lost its lease on the release: ${lost}`, 'LEASE_LOST', event);
    }
    if (!isDurable(event)) return this.local.write(event);
    // The S3 write and the local one (and its fsync) overlap: the event is durable when both are done.
    this.worker.send({ op: 'append', lines: this.pending.join('') });
    this.local.write(event);
    try {
      this.worker.receive(this.options.timeoutMs ?? 30_000);
      this.pending = [];
    } catch (error) {
      this.stop(`the S3 journal ${this.url} could not be written: ${(error as Error).message}`, storeCode(error), event);
    }
  }

  /**
   * Stops the S3 copy and the run. Only a step's start is refused with a throw (that is what keeps
   * its handler from running); any other event is already the runtime's own bookkeeping.
   */
  private stop(why: string, code: JournalStoreError['code'], event: RunEvent): void {
    this.why = why;
    this.options.onStop(why);
    if (event.type === 'step-started') throw new JournalStoreError(`step ${event.stepId} not started: ${why}`, code);
  }

  close(): void {
    this.local.close();
    this.worker.close();
  }
}

function storeCode(error: unknown): JournalStoreError['code'] {
  return error instanceof JournalStoreError ? error.code : 'UNREACHABLE';
}
