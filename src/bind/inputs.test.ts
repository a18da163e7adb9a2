import { describe, expect, test } from 'vitest';
import { applyInputs, inputsProblems, secretInputs, type InputDeclaration } from './inputs.ts';

const declared: Record<string, InputDeclaration> = {
  release: { description: 'the release number', required: true, pattern: '\\d+' },
  channel: { default: '#releases' },
  dbPassword: { required: true, secret: true, pattern: '.{12,}' },
};

describe('applyInputs', () => {
  test('defaults fill in, given values pass through, nothing wrong', () => {
    expect(applyInputs(declared, { release: '42', dbPassword: 'correct-horse-battery', extra: 'x' })).toEqual({
      vars: { release: '42', channel: '#releases', dbPassword: 'correct-horse-battery', extra: 'x' },
      problems: [],
    });
  });

  test('missing and malformed inputs are named, with the fix; a secret value is never quoted', () => {
    expect(applyInputs(declared, { release: '4x2', dbPassword: 'short' }).problems).toEqual([
      'the input \'release\' (the release number): "4x2" does not match /\\d+/',
      "the input 'dbPassword': its value does not match /.{12,}/",
    ]);
    expect(applyInputs(declared, {}).problems).toEqual([
      "the input 'release' (the release number) is required: give it with --var release=...",
      "the input 'dbPassword' is required: give it with --var dbPassword=...",
    ]);
  });

  test('the pattern is anchored: a value that only contains a match does not pass', () => {
    expect(applyInputs({ n: { pattern: '\\d+' } }, { n: 'v12' }).problems).toHaveLength(1);
  });
});

test('inputsProblems: unknown keys, wrong types, a bad pattern and a default that breaks its pattern', () => {
  expect(
    inputsProblems(
      { a: { requried: true }, b: { required: 'yes' }, c: { pattern: '(' }, d: { pattern: '\\d+', default: 'x' }, e: 3 },
      'seqrun.config.ts',
    ).map((p) => p.message),
  ).toEqual([
    "Unknown key 'requried' in vars.a in seqrun.config.ts.",
    'vars.b.required in seqrun.config.ts must be true or false.',
    expect.stringMatching(/^vars\.c\.pattern in seqrun\.config\.ts is not a regular expression: /),
    'vars.d.default "x" in seqrun.config.ts does not match its pattern /\\d+/.',
    'vars.e in seqrun.config.ts must be an object.',
  ]);
  expect(inputsProblems(undefined, 'x')).toEqual([]);
  expect(secretInputs(declared)).toEqual(['dbPassword']);
});
