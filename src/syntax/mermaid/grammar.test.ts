// The mermaid grammar's own checks: Chevrotain's validations (skipped at start-up), and the one-go
// reading of a whole diagram held to the statement-by-statement reading it stands in for.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { LineIndex } from '../../diagnostics/lines.ts';
import { MermaidParser } from './grammar.ts';
import { readMermaidDiagram } from './parse.ts';
import { createMermaidLexer } from './tokens.ts';

test('the lexer definition passes validation and keeps the first-character optimisation', () => {
  const lexer = createMermaidLexer({ validate: true });
  expect(lexer.lexerDefinitionErrors).toEqual([]);
  expect(lexer.tokenize('sequenceDiagram\nA->>B: hello\n').errors).toEqual([]);
});

test('the parser grammar passes validation (no ambiguity, left recursion or unresolved rule)', () => {
  expect(() => new MermaidParser({ validate: true })).not.toThrow();
});

const FRAGMENTS = [
  'participant ',
  'actor ',
  'create ',
  'destroy ',
  ' as ',
  'Note ',
  'left of ',
  'over ',
  ',',
  ':',
  ';',
  '#',
  '%%',
  '\n',
  '\n',
  ' ',
  'A',
  'B',
  'Pay CI',
  'é',
  '+',
  '-',
  '()',
  'loop ',
  'alt ',
  'else ',
  'par ',
  'and ',
  'critical ',
  'option ',
  'end',
  'box ',
  'rect ',
  'activate ',
  'deactivate ',
  'autonumber',
  ' 10',
  'title ',
  'accDescr {',
  '}',
  '#59;',
  '<br/>',
  '@{ "type": "actor" }',
  ')',
  '->>',
  '-->>',
  '->',
  '-x',
  '--)',
  '<<->>',
  '-|\\',
  'A->>B: x\n',
  'B-->>-A: y\n',
];

function reading(text: string, statementByStatement: boolean): unknown {
  const lines = new LineIndex(text);
  return readMermaidDiagram({ file: 'x.mmd', lines, base: 0 }, text.length, { name: null, slug: null }, { statementByStatement });
}

test('reading a whole diagram in one go gives exactly what reading it statement by statement gives', () => {
  const diagrams = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => `sequenceDiagram\n${parts.join('')}\n`);
  fc.assert(
    fc.property(diagrams, (text) => {
      expect(reading(text, false)).toEqual(reading(text, true));
    }),
    { numRuns: 2000 },
  );
});
