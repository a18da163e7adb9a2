// The worker thread behind S3JournalWriter: it owns the S3 client and the segment counter, and
// writes each batch of journal lines as the next segment (src/store/s3-journal.ts).
import { workerData, type MessagePort } from 'node:worker_threads';
import { JournalStoreError } from './errors.ts';
import { nextSegment, writeLatest, writeSegment } from './s3-journal.ts';
import type { S3Location } from './location.ts';
import { s3Client, type S3Store } from './s3-objects.ts';
import { serveSyncCalls } from './sync-call.ts';

export type JournalRequest = { readonly op: 'open' } | { readonly op: 'append'; readonly lines: string };

interface Data {
  readonly location: S3Location;
  readonly runId: string;
  readonly env: Record<string, string | undefined>;
}

const given = workerData as { data: Data; port: MessagePort; flag: Int32Array };
const { location, runId, env } = given.data;
const store: S3Store = { client: s3Client(env), location };
let seq = 0;

serveSyncCalls(given, async (request) => {
  const r = request as JournalRequest;
  if (r.op === 'open') {
    seq = await nextSegment(store, runId);
    await writeLatest(store, runId);
    return seq;
  }
  if (!(await writeSegment(store, runId, seq, r.lines))) {
    throw new JournalStoreError(
      `segment ${seq} of run ${runId}'s journal was written by another worker: this one no longer owns the run`,
      'LEASE_LOST',
    );
  }
  seq++;
  return seq;
});
