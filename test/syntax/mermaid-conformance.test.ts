// The mermaid dialect against mermaid itself on real diagrams (test/fixtures/mermaid-corpus, sources in
// its SOURCES.md): the same accept/reject as mermaid.parse and, for accepted diagrams, the same
// participants, messages, notes, activations, blocks, boxes and autonumbering (mermaid-model.ts). Also
// holds the oracle to mermaid: its line-type table, its arrow names and its direct path.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ARROWS, HALF_ARROW_SPELLINGS, mermaidDiagram } from './mermaid-generators.ts';
import { HALF_ARROWS, seqrunRead } from './mermaid-model.ts';
import type { MermaidModel } from './mermaid-model.ts';
import { LINETYPES, MERMAID_LINETYPE, mermaidRead, mermaidReadDirect } from './mermaid-oracle.ts';

const CORPUS = join(import.meta.dirname, '../fixtures/mermaid-corpus');
const DISAGREEMENTS = join(CORPUS, 'disagreements');
const SETTLED = join(CORPUS, 'settled');
const files = readdirSync(CORPUS)
  .filter((f) => f.endsWith('.mmd'))
  .sort();
const read = (file: string): string => readFileSync(join(CORPUS, file), 'utf8');

/** SOURCES.md's table: file -> mermaid's recorded verdict. */
function recordedVerdicts(): Map<string, string> {
  const rows = readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8')
    .split('\n')
    .filter((line) => /^\| [^|]+\.mmd \|/.test(line));
  return new Map(rows.map((row) => row.split('|').map((cell) => cell.trim())).map((cells) => [cells[1] ?? '', cells[2] ?? '']));
}

async function mermaidModel(text: string): Promise<MermaidModel> {
  const reading = await mermaidRead(text);
  if (!reading.ok) throw new Error(`mermaid rejects: ${reading.error}`);
  return reading.model;
}

describe('the real-diagram corpus', () => {
  const verdicts = recordedVerdicts();

  test('every diagram is listed in SOURCES.md and every listed diagram exists; at least 60 real ones', () => {
    expect([...verdicts.keys()].sort()).toEqual(files);
    expect(files.filter((f) => !f.startsWith('written-')).length).toBeGreaterThanOrEqual(60);
    expect([...verdicts.values()].filter((v) => v === 'rejects').length).toBeGreaterThanOrEqual(3);
  });

  test.each(files)('%s: mermaid gives the recorded verdict, and the direct path reads it as mermaid.parse does', async (file) => {
    const text = read(file);
    const reading = await mermaidRead(text);
    expect(reading.ok ? 'accepts' : 'rejects').toBe(verdicts.get(file));
    const direct = mermaidReadDirect(text);
    if (direct !== undefined) expect(direct).toEqual(reading);
  });

  test.each(files)('%s: seqrun reads it as mermaid does', async (file) => {
    const text = read(file);
    const expected = await mermaidRead(text);
    const actual = seqrunRead(text);
    if (!expected.ok) expect(actual.ok, `mermaid rejects (${expected.error})`).toBe(false);
    else expect(actual).toEqual({ ok: true, model: expected.model });
  });
});

/** `.mmd` files of a folder of the corpus, none when it does not exist. */
function caseFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.mmd')) : [];
}

/** mermaid's reading of a minimal case holds what its `%% expected:` line says ('reject', or a piece of the model's JSON). */
async function expectMermaidReading(text: string): Promise<void> {
  const expected = /^\s*%% expected: (.*)$/m.exec(text)?.[1];
  expect(expected, 'a `%% expected:` line').toBeDefined();
  const reading = await mermaidRead(text);
  if (expected?.startsWith('reject')) expect(reading.ok).toBe(false);
  else expect(JSON.stringify(reading.ok ? reading.model : null)).toContain(expected ?? '');
}

/** Minimal cases where seqrun's reader and mermaid disagree, open (disagreements/) or since followed by the reader (settled/). */
const open = caseFiles(DISAGREEMENTS);
const settled = caseFiles(SETTLED);
describe('disagreements found by the differential tests', () => {
  if (open.length > 0)
    test.each(open)('open: %s: mermaid reads it as its `%% expected:` line says', async (file) => {
      await expectMermaidReading(readFileSync(join(DISAGREEMENTS, file), 'utf8'));
    });

  test.each(settled)('settled: %s: mermaid reads it as its `%% expected:` line says, and seqrun as mermaid', async (file) => {
    const text = readFileSync(join(SETTLED, file), 'utf8');
    await expectMermaidReading(text);
    const expected = await mermaidRead(text);
    expect(seqrunRead(text)).toEqual(expected.ok ? { ok: true, model: expected.model } : { ok: false, errors: expect.any(Array) });
  });
});

describe('the oracle', () => {
  test("LINETYPES names every line type of mermaid's sequence database, and nothing else", () => {
    expect([...LINETYPES.keys()].sort((a, b) => a - b)).toEqual(Object.values(MERMAID_LINETYPE).sort((a, b) => a - b));
  });

  test.each([...ARROWS, ...HALF_ARROW_SPELLINGS])('the arrow %s reads as its name', async (written) => {
    const model = await mermaidModel(`sequenceDiagram\nA${written}B: x\n`);
    const names: Record<string, string> = {
      '->>': 'solid',
      '-->>': 'dotted',
      '->': 'solid-open',
      '-->': 'dotted-open',
      '-x': 'solid-cross',
      '--x': 'dotted-cross',
      '-)': 'solid-async',
      '--)': 'dotted-async',
      '<<->>': 'bidirectional-solid',
      '<<-->>': 'bidirectional-dotted',
      ...HALF_ARROWS,
    };
    expect(model.events).toEqual([
      { kind: 'message', from: 'A', to: 'B', arrow: names[written], text: 'x', activate: false, central: null },
    ]);
  });

  test('a diagram of every kind of statement, as a whole model', async () => {
    const text = [
      'sequenceDiagram',
      '  title Release #59; one',
      '  box Aqua Team',
      '  participant A as Alice<br/>Smith',
      '  actor B',
      '  end',
      '  autonumber 10 5',
      '  A->>+B: hello #9829;',
      '  B-->>-A: back',
      '  loop every minute',
      '    A-)B: ping',
      '  end',
      '  alt x',
      '    A-xB: no',
      '  else',
      '    A--xB: nope',
      '  end',
      '  Note over A,B: both',
      '  A->>()B: central',
      '  create participant C',
      '  A->>C: make',
      '  destroy C',
      '  C-->>A: bye',
    ].join('\n');
    expect(await mermaidModel(text)).toEqual({
      title: 'Release ; one',
      participants: [
        { id: 'A', label: 'Alice\nSmith', shape: 'participant' },
        { id: 'B', label: 'B', shape: 'actor' },
        { id: 'C', label: 'C', shape: 'participant' },
      ],
      boxes: [{ colour: 'Aqua', title: 'Team', participants: ['A', 'B'] }],
      created: ['C'],
      destroyed: ['C'],
      events: [
        { kind: 'autonumber', start: 10, step: 5, visible: true },
        { kind: 'message', from: 'A', to: 'B', arrow: 'solid', text: 'hello ♥', activate: true, central: null },
        { kind: 'activate', participant: 'B' },
        { kind: 'message', from: 'B', to: 'A', arrow: 'dotted', text: 'back', activate: false, central: null },
        { kind: 'deactivate', participant: 'B' },
        { kind: 'block', block: 'loop', label: 'every minute' },
        { kind: 'message', from: 'A', to: 'B', arrow: 'solid-async', text: 'ping', activate: false, central: null },
        { kind: 'end', block: 'loop' },
        { kind: 'block', block: 'alt', label: 'x' },
        { kind: 'message', from: 'A', to: 'B', arrow: 'solid-cross', text: 'no', activate: false, central: null },
        { kind: 'section', keyword: 'else', label: '' },
        { kind: 'message', from: 'A', to: 'B', arrow: 'dotted-cross', text: 'nope', activate: false, central: null },
        { kind: 'end', block: 'alt' },
        { kind: 'note', position: 'over', from: 'A', to: 'B', text: 'both' },
        { kind: 'message', from: 'A', to: 'B', arrow: 'solid', text: 'central', activate: false, central: 'target' },
        { kind: 'message', from: 'A', to: 'C', arrow: 'solid', text: 'make', activate: false, central: null },
        { kind: 'message', from: 'C', to: 'A', arrow: 'dotted', text: 'bye', activate: false, central: null },
      ],
    });
  });

  test('a text mermaid rejects, with its message', async () => {
    expect(await mermaidRead('sequenceDiagram\nA->>B\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Parse error on line 2'),
    });
    expect(await mermaidRead('sequenceDiagram\nA->>-B: x\n')).toMatchObject({
      ok: false,
      error: expect.stringContaining('inactive participant'),
    });
    expect(await mermaidRead('graph TD\nA-->B\n')).toMatchObject({ ok: false, error: expect.stringContaining('not a sequence diagram') });
  });

  test('the direct path reads generated diagrams as mermaid.parse does', async () => {
    await fc.assert(
      fc.asyncProperty(mermaidDiagram, async (text) => {
        const direct = mermaidReadDirect(text);
        if (direct !== undefined) expect(direct).toEqual(await mermaidRead(text));
      }),
      { numRuns: 300 },
    );
  });
});
