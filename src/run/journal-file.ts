// Reading a journal: one RunEvent per line. A torn last line (the writer died mid-write) is
// tolerated and reported, never an exception; a torn line anywhere else is a corrupt journal.
import { readFile } from 'node:fs/promises';
import type { RunEvent } from './events.ts';

export interface JournalRead {
  readonly events: readonly RunEvent[];
  /** True when the last line was incomplete and was ignored. */
  readonly tornTail: boolean;
  /** 1-based line numbers of lines that are not valid events (excluding a torn tail). */
  readonly badLines: readonly number[];
}

export function parseJournal(text: string): JournalRead {
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n') || text.length === 0;
  const events: RunEvent[] = [];
  const badLines: number[] = [];
  let tornTail = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const isLast = i === lines.length - 1;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') {
        events.push(value as RunEvent);
        return;
      }
    } catch {
      // fall through
    }
    if (isLast && !endsClean) tornTail = true;
    else badLines.push(i + 1);
  });
  return { events, tornTail, badLines };
}

export async function readJournal(path: string): Promise<JournalRead> {
  return parseJournal(await readFile(path, 'utf8'));
}
