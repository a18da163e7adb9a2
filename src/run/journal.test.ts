import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJournal } from './journal-file.ts';
import { journalPath, JournalWriter, latestRunId } from './journal.ts';
import { diagramHash, newRunId } from './run-id.ts';
import type { RunEvent } from './events.ts';

const event = (n: number): RunEvent => ({ type: 'log', at: 'now', runId: 'r', stepId: `s${n}`, level: 'info', message: `m${n}` });

describe('JournalWriter', () => {
  it('appends one line per event, points latest at the run, and cuts a torn tail before appending again', () => {
    const root = mkdtempSync(join(tmpdir(), 'seqrun-journal-'));
    const w = JournalWriter.open(root, 'run-1');
    w.write(event(0));
    w.close();
    w.write(event(9)); // after close: ignored, never a throw
    expect(latestRunId(root)).toBe('run-1');
    appendFileSync(journalPath(root, 'run-1'), '{"type":"lo');
    const again = JournalWriter.open(root, 'run-1');
    again.write({ ...event(1), fields: { big: 10n } } as unknown as RunEvent);
    again.close();
    const read = parseJournal(readFileSync(journalPath(root, 'run-1'), 'utf8'));
    expect(read).toMatchObject({ tornTail: false, badLines: [] });
    expect(read.events.map((e) => (e as { message: string }).message)).toEqual(['m0', 'm1']);
    expect(read.events[1]).toMatchObject({ fields: { big: '10' } });
  });
  it('has no latest run in a fresh folder', () => {
    expect(latestRunId(mkdtempSync(join(tmpdir(), 'seqrun-journal-')))).toBeNull();
  });
});

describe('run ids and diagram hashes', () => {
  it('sorts run ids by time', () => {
    const a = newRunId(new Date('2026-01-02T03:04:05.006Z'));
    const b = newRunId(new Date('2026-01-02T03:04:05.007Z'));
    expect(a).toMatch(/^20260102T030405006Z-[0-9a-f]{6}$/);
    expect([b, a].sort()).toEqual([a, b]);
  });
});

describe('diagramHash', () => {
  it('ignores comments and blank lines but not a reworded step', async () => {
    const { parseSource } = await import('../syntax/index.ts');
    const hash = (text: string) => {
      const [diagram] = parseSource(text, { file: 'x.seq' }).diagrams;
      if (!diagram) throw new Error('no diagram');
      return diagramHash(diagram);
    };
    const base = hash('A->B: Build\nB-->A: Success\n');
    expect(hash('# why\n\nA->B: Build\n\nB-->A: Success\n')).toBe(base);
    expect(hash('A->B: Build it\nB-->A: Success\n')).not.toBe(base);
    expect(hash('B-->A: Success\nA->B: Build\n')).not.toBe(base);
  });
});
