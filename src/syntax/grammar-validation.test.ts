// Chevrotain's grammar and lexer validations are skipped at start-up (they only find mistakes in
// seqrun's own grammar); here they run on the same definitions.
import { expect, test } from 'vitest';
import { SequenceParser } from './grammar.ts';
import { createSequenceLexer } from './tokens.ts';

test('the lexer definition passes validation and keeps the first-character optimisation', () => {
  const lexer = createSequenceLexer({ validate: true });
  expect(lexer.lexerDefinitionErrors).toEqual([]);
  expect(lexer.tokenize('A->B: hello\n').errors).toEqual([]);
});

test('the parser grammar passes validation (no ambiguity, left recursion or unresolved rule)', () => {
  // performSelfAnalysis throws a list of the definition errors when there are any.
  expect(() => new SequenceParser({ validate: true })).not.toThrow();
});
