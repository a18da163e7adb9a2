// Differential test against the reference parser (@hackmd/js-sequence-diagrams): same accepted
// inputs, and for those the same title, participants (in order) and steps.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseSource, parseResultJson } from '../../src/syntax/index.ts';
import { anyText, diagramText, fragmentText, mutatedText } from './generators.ts';
import { oracleParse } from './oracle.ts';
import { sequenceParser } from '../../src/syntax/grammar.ts';
import { sequenceLexer } from '../../src/syntax/tokens.ts';

/** `SEQRUN_FUZZ_RUNS=100000` for a long run; the default keeps `npm test` quick. */
const RUNS = Number(process.env['SEQRUN_FUZZ_RUNS'] ?? 2000);

function ours(text: string) {
  const result = parseSource(text, { file: 'input.seq' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false as const, errors };
  const diagram = parseResultJson(result).diagrams[0];
  if (!diagram) throw new Error('a .seq text must give one diagram');
  return {
    ok: true as const,
    title: diagram.title,
    participants: diagram.participants,
    steps: diagram.steps.map(({ loc: _loc, ...step }) => step),
  };
}

function agreesWithReference(text: string): void {
  const expected = oracleParse(text);
  const actual = ours(text);
  if (!expected.ok) {
    expect(actual.ok, `reference rejects (${expected.error}) but we accept ${JSON.stringify(text)}`).toBe(false);
    return;
  }
  expect(actual, `input ${JSON.stringify(text)}`).toEqual(expected);
}

describe('conformance with the reference parser', () => {
  test.each([
    ['Title->B: x'],
    ['A<-B: x'],
    ['participant \nA'],
    ['A->B"hi'],
    ['A->B'],
    ['A->B:'],
    ['Notebook->B: x'],
    ['Note Taker->B: x'],
    ['A->note: x'],
    ['title\nfoo'],
    ['title'],
    ['participant "A" as B'],
    ['participant "A as B"'],
    ['participant A AS B\nB->A: x'],
    ['participant " A "\nA->B: x'],
    ['Note over A,A: x'],
    ['Note over A, A: x'],
    ['Note over "A",A: x'],
    ['Note left  of A: x'],
    ['participant "A" participant B'],
    ['A->B: x #y\n#z\n  # q\nA-->>B: "q"'],
    ['"a\nb"->C: x'],
    ['A->B: a\\nb'],
    ['participant Alice as A\nAlice->A: hi'],
    ['A->B: x\nparticipant Alice as A'],
    ['\u00a0A->B: x'],
    ['A->B: x\u2028C->D: y'],
    ['participant_x'],
    ['participanté'],
    ['A->  \nB: x'],
    ['A->B:x\rC->D:y\r\n'],
    ['A,B->C: x'],
    ['A->B->C: x'],
    ['A--->B: x'],
    ['A->>>B: x'],
    ['A - B: x'],
    ['""->B: x'],
    ['" "->B: x'],
    ['#only a comment'],
    [''],
  ])('%j', (text) => {
    agreesWithReference(text);
  });

  test('plausible diagrams', () => {
    fc.assert(
      fc.property(diagramText, (text) => agreesWithReference(text)),
      { numRuns: RUNS },
    );
  });

  test('token soups', () => {
    fc.assert(
      fc.property(fragmentText, (text) => agreesWithReference(text)),
      { numRuns: RUNS },
    );
  });

  test('mutated diagrams', () => {
    fc.assert(
      fc.property(mutatedText, (text) => agreesWithReference(text)),
      { numRuns: RUNS },
    );
  });

  test('arbitrary strings', () => {
    fc.assert(
      fc.property(anyText, (text) => agreesWithReference(text)),
      { numRuns: RUNS },
    );
  });

  test('the whole-document rule (the railroad grammar) accepts exactly what the statement-by-statement reading accepts', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        sequenceParser.input = sequenceLexer.tokenize(text).tokens;
        sequenceParser.document();
        const documentAccepts = sequenceParser.errors.length === 0;
        expect(documentAccepts, JSON.stringify(text)).toBe(ours(text).ok);
      }),
      { numRuns: RUNS },
    );
  });
});
