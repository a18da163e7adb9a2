// Lexing in segments must give exactly the tokens of lexing the whole text.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { forEachSegment } from '../../src/syntax/segments.ts';
import { sequenceLexer } from '../../src/syntax/tokens.ts';
import { anyText, diagramText } from './generators.ts';

const RUNS = Number(process.env['SEQRUN_FUZZ_RUNS'] ?? 1000);

function wholeText(text: string): string[] {
  const lexed = sequenceLexer.tokenize(text);
  return [...lexed.tokens, ...(lexed.groups['comments'] ?? [])].map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`).sort();
}

function bySegments(text: string, size: number): string[] {
  const found: string[] = [];
  forEachSegment(
    text,
    (segment) => {
      for (const t of [...segment.tokens, ...segment.comments])
        found.push(`${t.tokenType.name}@${segment.start + t.startOffset}:${t.image}`);
    },
    size,
  );
  return found.sort();
}

test('segment lexing equals whole-text lexing, wherever the segments are cut', () => {
  const text = fc.array(fc.oneof(diagramText, anyText), { maxLength: 4 }).map((parts) => parts.join('\n'));
  fc.assert(
    fc.property(text, fc.integer({ min: 1, max: 40 }), (input, size) => {
      expect(bySegments(input, size)).toEqual(wholeText(input));
    }),
    { numRuns: RUNS },
  );
});

test('a quote that closes in a later segment is read as one quoted name', () => {
  const input = 'A->B: x\n"Pay\nCI"->B: y\nC->D: z\n';
  expect(bySegments(input, 2)).toEqual(wholeText(input));
  expect(bySegments(input, 2).some((t) => t.startsWith('QuotedActor@8'))).toBe(true);
});
