import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from './events.ts';
import { JournalWriter } from './journal.ts';
import { readRun, readRuns, runsDir } from './run-folder.ts';

const started = (runId: string): RunEvent => ({
  type: 'run-started',
  at: '2026-11-26T00:00:00.000Z',
  runId,
  diagram: 'a.seq',
  diagramHash: 'h',
  title: null,
  vars: {},
  trigger: 't',
  steps: [],
});

function project(...runIds: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'seqrun-runs-'));
  for (const id of runIds) {
    const writer = JournalWriter.open(root, id);
    writer.write(started(id));
    writer.close();
  }
  return root;
}

describe('readRun', () => {
  it('reads the run the latest pointer names (no id, or `latest`) and a run by id, folded', async () => {
    const root = project('run-1', 'run-2');
    for (const id of [null, 'latest'])
      expect(await readRun(runsDir(root), id)).toMatchObject({
        runId: 'run-2',
        fold: { runId: 'run-2', status: 'running' },
        read: { tornTail: false },
      });
    expect(await readRun(runsDir(root), 'run-1')).toMatchObject({
      runId: 'run-1',
      journal: join(runsDir(root), 'run-1', 'journal.ndjson'),
    });
  });

  it('says what is missing: no latest run, or no journal for the run', async () => {
    const root = project();
    expect(await readRun(runsDir(root), null)).toEqual({ kind: 'no-latest', runs: runsDir(root) });
    expect(await readRun(runsDir(root), 'nope')).toEqual({
      kind: 'no-journal',
      runId: 'nope',
      journal: join(runsDir(root), 'nope', 'journal.ndjson'),
      cause: 'ENOENT',
    });
  });

  it('reads `latest` as the file the writer keeps, not as a folder holding a journal', async () => {
    const root = project();
    mkdirSync(join(runsDir(root), 'latest'), { recursive: true });
    writeFileSync(join(runsDir(root), 'latest', 'journal.ndjson'), `${JSON.stringify(started('stray'))}\n`);
    expect(await readRun(runsDir(root), 'latest')).toEqual({ kind: 'no-latest', runs: runsDir(root) });
  });
});

describe('readRuns', () => {
  it('lists every run folder with a journal', async () => {
    const root = project('run-1', 'run-2');
    mkdirSync(join(runsDir(root), 'empty'));
    expect((await readRuns(runsDir(root))).map((r) => r.runId).sort()).toEqual(['run-1', 'run-2']);
  });
});
