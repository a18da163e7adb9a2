import { describe, expect, it } from 'vitest';
import { parseJournal } from './journal-file.ts';

const started = { type: 'run-started', at: '2026-11-26T00:00:00Z', runId: 'r1' };

describe('parseJournal', () => {
  it('reads every complete line', () => {
    const r = parseJournal(`${JSON.stringify(started)}\n${JSON.stringify({ ...started, type: 'run-finished' })}\n`);
    expect(r).toEqual({ events: [started, { ...started, type: 'run-finished' }], tornTail: false, badLines: [] });
  });
  it('tolerates a torn last line', () => {
    const r = parseJournal(`${JSON.stringify(started)}\n{"type":"step-sta`);
    expect(r).toEqual({ events: [started], tornTail: true, badLines: [] });
  });
  it('reports a corrupt line in the middle', () => {
    const r = parseJournal(`{"type":\n${JSON.stringify(started)}\n`);
    expect(r).toEqual({ events: [started], tornTail: false, badLines: [1] });
  });
});
