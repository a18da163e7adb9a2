// The worker thread behind SharedJournal's synchronous append: writes a batch of journal lines as the
// next free segment of a run that several writers append to (another writer's number taken: the next).
import { workerData, type MessagePort } from 'node:worker_threads';
import type { S3Location } from './location.ts';
import { appendSegment } from './s3-journal.ts';
import { s3Client, type S3Store } from './s3-objects.ts';
import { serveSyncCalls } from './sync-call.ts';

export interface AppendRequest {
  readonly runId: string;
  readonly lines: string;
}

const given = workerData as {
  data: { location: S3Location; env: Record<string, string | undefined> };
  port: MessagePort;
  flag: Int32Array;
};
const store: S3Store = { client: s3Client(given.data.env), location: given.data.location };

serveSyncCalls(given, async (request) => {
  const { runId, lines } = request as AppendRequest;
  return appendSegment(store, runId, lines);
});
