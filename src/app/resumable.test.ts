// Which runs `seqrun resume` without an id may take, and how it lists them.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../run/events.ts';
import { foldJournal } from '../run/fold.ts';
import type { RunRead } from '../run/run-folder.ts';
import { isResumable, runList } from './resumable.ts';

const at = '2026-12-03T10:20:30.123Z';

function runOf(runId: string, diagram: string, ending: RunEvent[]): RunRead {
  const events: RunEvent[] = [
    { type: 'run-started', at, runId, diagram, diagramHash: 'h', title: null, vars: {}, trigger: 't', steps: [] },
    ...ending,
  ];
  return { runId, journal: `${runId}/journal.ndjson`, read: { events, badLines: [], tornTail: false }, fold: foldJournal(events) };
}

const finished = (runId: string, status: 'passed' | 'failed' | 'interrupted'): RunEvent[] => [
  { type: 'run-finished', at, runId, status, durationMs: 5 },
];

describe('resumable runs', () => {
  it('are the runs that started and did not pass: failed, interrupted, or killed before they finished', () => {
    expect(isResumable(runOf('a', 'x.seq', finished('a', 'failed')))).toBe(true);
    expect(isResumable(runOf('b', 'x.seq', finished('b', 'interrupted')))).toBe(true);
    expect(isResumable(runOf('c', 'x.seq', []))).toBe(true);
    expect(isResumable(runOf('d', 'x.seq', finished('d', 'passed')))).toBe(false);
    const torn: RunRead = { ...runOf('e', 'x.seq', []), fold: foldJournal([]) };
    expect(isResumable(torn)).toBe(false);
  });

  it('are listed as a table: id, diagram, start time, status; control characters in names escaped', () => {
    const list = runList([
      runOf('20261203T102030123Z-aaaaaa', 'specs/final.seq', finished('x', 'interrupted')),
      runOf('20261203T112030123Z-bbbbbb', 'docs/r.md#\u001b[2Jrelease', []),
    ]);
    expect(list.split('\n')).toEqual([
      '  RUN                         DIAGRAM                 STARTED                  STATUS',
      '  20261203T102030123Z-aaaaaa  specs/final.seq         2026-12-03 10:20:30 UTC  interrupted',
      '  20261203T112030123Z-bbbbbb  docs/r.md#\\e[2Jrelease  2026-12-03 10:20:30 UTC  not finished (killed, or still running)',
      '',
    ]);
  });
});
