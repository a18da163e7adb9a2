// The journal in S3 (docs/semantics.md, "The journal in S3"): a run's events are segments
// `runs/<run-id>/journal/00000001.ndjson`, `00000002.ndjson`, ... each written once, with
// If-None-Match, so a segment is never overwritten and two writers cannot both add segment N.
// Read back, segments must be whole (an S3 PUT is atomic, so a torn segment is damage, not a crash)
// and numbered without a gap; anything else is refused with its key, never read past.
import { foldJournal } from '../run/fold.ts';
import { parseJournal, type JournalRead } from '../run/journal-file.ts';
import type { RunEvent } from '../run/events.ts';
import type { RunMissing, RunRead } from '../run/run-folder.ts';
import { JournalStoreError } from './errors.ts';
import { locationUrl, s3Keys } from './location.ts';
import { getText, listKeys, putIfAbsent, putObject, type S3Store } from './s3-objects.ts';

/** The sequence number of a segment key, or null for a key that is not one. */
function segmentNumber(key: string): number | null {
  const match = /\/(\d{8})\.ndjson$/.exec(key);
  return match ? Number(match[1]) : null;
}

/** The number the next segment of `runId` gets: one past the highest written. */
export async function nextSegment(store: S3Store, runId: string): Promise<number> {
  const numbers = (await listKeys(store, s3Keys.segments(store.location, runId))).map(segmentNumber);
  return Math.max(0, ...numbers.filter((n): n is number => n !== null)) + 1;
}

/** Writes segment `seq`; false when it exists already (another writer added it: this one must stop). */
export async function writeSegment(store: S3Store, runId: string, seq: number, lines: string): Promise<boolean> {
  return (await putIfAbsent(store, s3Keys.segment(store.location, runId, seq), lines)) !== null;
}

/** How many times an append is tried when other writers keep taking the next segment number. */
export const MOST_APPEND_TRIES = 50;

/** The error of an append that lost the next segment number to other writers every time. */
export function appendLost(runId: string): JournalStoreError {
  return new JournalStoreError(
    `could not append to run ${runId}'s journal: other writers took the next segment number ${MOST_APPEND_TRIES} times in a row`,
    'UNREACHABLE',
  );
}

/**
 * Appends `lines` as the next segment of a journal several writers share (the Step Functions workers'
 * `ctx.progress`), without reading it: a number another writer took is tried again with the next, never
 * overwritten. Its number. (SharedJournal.append is the reading writer's: it builds its events again on
 * what the other wrote.)
 */
export async function appendSegment(store: S3Store, runId: string, lines: string): Promise<number> {
  for (let tries = 0; tries < MOST_APPEND_TRIES; tries++) {
    const seq = await nextSegment(store, runId);
    if (await writeSegment(store, runId, seq, lines)) return seq;
  }
  throw appendLost(runId);
}

export async function writeLatest(store: S3Store, runId: string): Promise<void> {
  await putObject(store, s3Keys.latest(store.location), `${runId}\n`);
}

/** Where a run's journal is, for messages: `s3://bucket/prefix/runs/<id>/journal/`. */
export function journalUrl(store: S3Store, runId: string): string {
  return `${locationUrl({ bucket: store.location.bucket, prefix: '' })}/${s3Keys.segments(store.location, runId)}`;
}

function corrupt(store: S3Store, key: string, why: string): JournalStoreError {
  return new JournalStoreError(
    `the journal segment s3://${store.location.bucket}/${key} ${why}; seqrun does not read past a damaged journal. ` +
      'Restore the object from a backup or version, or start a new run.',
    'CORRUPT',
  );
}

/** Reads segments in parallel, a few at a time, keeping their order. */
async function readSegments(store: S3Store, keys: readonly string[]): Promise<string[]> {
  const texts: string[] = new Array<string>(keys.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < keys.length; i = next++) {
      const got = await getText(store, keys[i] as string);
      if (got === null) throw corrupt(store, keys[i] as string, 'was listed but is gone');
      texts[i] = got.text;
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, keys.length) }, worker));
  return texts;
}

/** The events of `runId`'s journal, every segment checked whole and in sequence; null when it has none. */
export async function readS3Journal(store: S3Store, runId: string): Promise<JournalRead | null> {
  const read = await readS3JournalAfter(store, runId, 0);
  return read.segments === 0 ? null : { events: read.events, tornTail: false, badLines: [] };
}

/**
 * The events of the segments after the first `known` (which a reader has already): only the keys after
 * segment `known` are listed (StartAfter), so a step of a long run costs one short listing, not one of
 * every segment; the new ones must go on from `known + 1` without a gap, and are read and checked whole.
 * `segments`: how many the journal has now. (A reader from the start, `known` 0, checks every segment.)
 */
export async function readS3JournalAfter(
  store: S3Store,
  runId: string,
  known: number,
): Promise<{ readonly segments: number; readonly events: RunEvent[] }> {
  const after = known > 0 ? s3Keys.segment(store.location, runId, known) : undefined;
  const fresh = (await listKeys(store, s3Keys.segments(store.location, runId), false, after)).filter((k) => segmentNumber(k) !== null);
  fresh.forEach((key, i) => {
    if (segmentNumber(key) !== known + i + 1)
      throw corrupt(store, key, `is numbered ${segmentNumber(key)} where ${known + i + 1} was expected (a segment is missing)`);
  });
  const texts = await readSegments(store, fresh);
  const events: RunEvent[] = [];
  texts.forEach((text, i) => {
    const key = fresh[i] as string;
    const read = parseJournal(text);
    if (!text.endsWith('\n') || read.tornTail) throw corrupt(store, key, 'is truncated (it does not end with a whole line)');
    if (read.badLines.length > 0) throw corrupt(store, key, `has lines that are not events (line ${read.badLines.join(', ')})`);
    events.push(...read.events);
  });
  return { segments: known + fresh.length, events };
}

/** Run `runId` (or the one `runs/latest` names) as the file store gives it: read and folded. */
export async function readS3Run(store: S3Store, runId: string | null): Promise<RunRead | RunMissing> {
  const id = runId === null || runId === 'latest' ? ((await getText(store, s3Keys.latest(store.location)))?.text.trim() ?? null) : runId;
  if (id === null || id === '') return { kind: 'no-latest', runs: `${locationUrl(store.location)}/runs` };
  const read = await readS3Journal(store, id);
  if (read === null) return { kind: 'no-journal', runId: id, journal: journalUrl(store, id), cause: 'no segments' };
  return { runId: id, journal: journalUrl(store, id), read, fold: foldJournal(read.events) };
}

/** Every run with a journal under the location, in run-id order (ids sort by start time). */
export async function readS3Runs(store: S3Store): Promise<RunRead[]> {
  const folders = await listKeys(store, s3Keys.runs(store.location), true);
  const found: RunRead[] = [];
  for (const folder of folders) {
    const id = folder.slice(s3Keys.runs(store.location).length).replace(/\/$/, '');
    const run = await readS3Run(store, id);
    if (!('kind' in run)) found.push(run);
  }
  return found;
}
