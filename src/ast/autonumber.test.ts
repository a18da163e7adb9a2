// mermaid's autonumber as its sequence renderer numbers messages: every message counts, notes never,
// `autonumber N` restarts at N with step 1, `autonumber N M` steps by M, `off` hides numbers but counts on.
import { describe, expect, it } from 'vitest';
import { parseMermaidSource } from '../syntax/mermaid/parse.ts';
import { parseSource } from '../syntax/parse.ts';
import { autonumbers, numbered } from './autonumber.ts';

function numbersOf(text: string): (number | null)[] {
  const [diagram] = parseMermaidSource(text, { file: 'a.mmd' }).diagrams;
  if (!diagram) throw new Error('no diagram');
  const numbers = autonumbers(diagram);
  return diagram.steps.map((step) => numbers.get(step) ?? null);
}

describe('autonumbers', () => {
  it('numbers nothing without autonumber, and nothing in a js-sequence diagram', () => {
    expect(numbersOf('sequenceDiagram\n  A->>B: one\n  B-->>A: two\n')).toEqual([null, null]);
    const [seq] = parseSource('A->B: one\nB-->A: two\n', { file: 'a.seq' }).diagrams;
    expect(seq && autonumbers(seq).size).toBe(0);
  });

  it('numbers every message from 1, inside blocks too, and never a note', () => {
    const text =
      'sequenceDiagram\n  autonumber\n  A->>B: one\n  Note over A: a note\n  loop every app\n    A-)B: two\n  end\n  B-->>A: three\n';
    expect(numbersOf(text)).toEqual([1, null, 2, 3]);
  });

  it('restarts at `autonumber N` with step 1, steps by M after `autonumber N M`, keeps counting while off', () => {
    const text = [
      'sequenceDiagram',
      '  autonumber 10 5',
      '  A->>B: 10',
      '  A->>B: 15',
      '  autonumber off',
      '  A->>B: hidden, counted',
      '  autonumber',
      '  A->>B: 25',
      '  autonumber 40',
      '  A->>B: 40',
      '  A->>B: 41',
      '',
    ].join('\n');
    expect(numbersOf(text)).toEqual([10, 15, null, 25, 40, 41]);
  });

  it('heads a text with its number as reports show it', () => {
    expect(numbered(3, 'CI->>AWS: Build')).toBe('(3) CI->>AWS: Build');
    expect(numbered(undefined, 'CI->>AWS: Build')).toBe('CI->>AWS: Build');
  });
});
