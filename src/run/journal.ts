// The journal writer: one event per line, written before the runtime goes on, so a runner killed
// at any moment leaves a journal that ends at the last thing that really happened.
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { RunEvent } from './events.ts';
import { journalPath, LATEST, runsDir } from './run-folder.ts';

// Where runs live, and how `latest` is read, is the run folder's one rule (run-folder.ts).
export { journalPath, latestRunId, RUNS_DIR, runsDir } from './run-folder.ts';

/** JSON for a journal line: bigints as strings, so that no output can make a write throw. */
export function eventLine(event: RunEvent): string {
  return `${JSON.stringify(event, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}\n`;
}

/**
 * Events a resume depends on (job handles, step results, state, run boundaries) must be durable
 * before the run goes on; a step's start and its log lines ride along with the next such event.
 */
export function isDurable(event: RunEvent): boolean {
  return event.type !== 'step-started' && event.type !== 'log';
}

/** Where a run's events go: the file journal, or the S3 journal with its local copy (src/store). */
export interface JournalSink {
  /** The local journal file (reports name it; the S3 journal keeps one too). */
  readonly path: string;
  write(event: RunEvent): void;
  close(): void;
}

export class JournalWriter implements JournalSink {
  private fd: number | null;

  readonly path: string;
  private constructor(path: string, fd: number) {
    this.path = path;
    this.fd = fd;
  }

  /** Opens (appending) the journal of `runId` under `root` and points `latest` at it. */
  static open(root: string, runId: string): JournalWriter {
    const path = journalPath(root, runId);
    mkdirSync(join(runsDir(root), runId), { recursive: true });
    dropTornTail(path);
    const writer = new JournalWriter(path, openSync(path, 'a'));
    writeLatest(root, runId);
    return writer;
  }

  /**
   * Every event is written to the OS before the runtime goes on (it survives the runner being
   * killed). Events a resume depends on (job handles, step results, state, run boundaries) are
   * also fsynced, which carries every earlier line with them, so they survive a machine crash too.
   */
  write(event: RunEvent): void {
    if (this.fd === null) return;
    writeSync(this.fd, eventLine(event));
    if (isDurable(event)) fsyncSync(this.fd);
  }

  /** True when nothing has been written to the journal yet. */
  isEmpty(): boolean {
    return this.fd === null || fstatSync(this.fd).size === 0;
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/** A line torn by a crash was never a complete event; cut it so that appending stays well-formed. */
function dropTornTail(path: string): void {
  if (!existsSync(path)) return;
  const bytes = readFileSync(path);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
  truncateSync(path, bytes.lastIndexOf(0x0a) + 1);
}

function writeLatest(root: string, runId: string): void {
  const tmp = join(runsDir(root), `.${LATEST}.${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, `${runId}\n`);
  renameSync(tmp, join(runsDir(root), LATEST));
}
