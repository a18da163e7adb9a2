// Every character JavaScript's \s matches is whitespace to the reference lexer; the lexer's
// first-character table must agree for each of them (and for keywords' case folding).
import { expect, test } from 'vitest';
import { parseSource, parseResultJson } from '../../src/syntax/index.ts';
import { oracleParse } from './oracle.ts';

const SPACES = [
  '\t',
  '\v',
  '\f',
  ' ',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2005',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u180e',
  '\u200b',
];

function same(text: string): void {
  const reference = oracleParse(text);
  const result = parseSource(text, { file: 'in.seq' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.length === 0, `accepts ${JSON.stringify(text)}`).toBe(reference.ok);
  if (reference.ok) {
    const diagram = parseResultJson(result).diagrams[0];
    expect(diagram?.participants).toEqual(reference.participants);
    expect(diagram?.steps.map(({ loc: _loc, ...s }) => s)).toEqual(reference.steps);
    expect(diagram?.title).toEqual(reference.title);
  }
}

test.each(SPACES.map((c) => [c.charCodeAt(0).toString(16), c]))('U+%s reads as the reference reads it', (_code, c) => {
  for (const text of [
    `${c}A->B: x`,
    `A->${c}B: x`,
    `A->B:${c}x${c}`,
    `participant${c}A`,
    `participant ${c}\nA`,
    `Note${c}over A: x`,
    `title${c}x`,
    `A${c}\nB->C: x`,
    `"${c}"->B: x`,
  ])
    same(text);
});

test.each(['ı', 'İ', 'ſ', 'K', 'ǅ', 'ß'])('keywords do not fold %s', (c) => {
  for (const text of [`par${c}icipant A`, `no${c}e over A: x`, `${c}itle x`, `${c}->B: x`, `Note over${c}A: x`]) same(text);
});
