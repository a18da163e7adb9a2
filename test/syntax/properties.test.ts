// Properties of the syntax layer on random and mutated input: it never throws, every diagnostic
// points inside the input, and printing then parsing gives the same AST (spans aside).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Diagram } from '../../src/ast/types.ts';
import { formatDiagram, formatSource, parseSource, parseText } from '../../src/syntax/index.ts';
import { anyText, diagramText } from './generators.ts';
import { oracleParse } from './oracle.ts';

const RUNS = Number(process.env['SEQRUN_FUZZ_RUNS'] ?? 1000);

function withoutSpans(diagram: Diagram | undefined): unknown {
  return JSON.parse(JSON.stringify(diagram ?? null, (key, value: unknown) => (key === 'span' ? undefined : value)));
}

function lineCount(text: string): number {
  return text.split(/\r\n?|\n/).length;
}

function lineLength(text: string, line: number): number {
  return (text.split(/\r\n?|\n/)[line - 1] ?? '').length;
}

describe('parsing never throws', () => {
  test('every diagnostic has a location inside the input', () => {
    fc.assert(
      fc.property(anyText, fc.constantFrom('in.seq', 'in.md'), (text, file) => {
        const result = parseText(file === 'in.md' ? '# H\n```sequence\n' + text : text, { file });
        const source = file === 'in.md' ? '# H\n```sequence\n' + text : text;
        for (const d of result.diagnostics) {
          expect(d.span).not.toBeNull();
          const { line, column, offset } = d.span?.start ?? { line: 0, column: 0, offset: -1 };
          expect(offset).toBeGreaterThanOrEqual(0);
          expect(offset).toBeLessThanOrEqual(source.length);
          expect(line).toBeGreaterThanOrEqual(1);
          expect(line).toBeLessThanOrEqual(lineCount(source));
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual(lineLength(source, line) + 1);
          expect(d.message).not.toBe('');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the printer', () => {
  test('format then parse gives the same AST', () => {
    fc.assert(
      fc.property(diagramText, (text) => {
        const parsed = parseSource(text, { file: 'in.seq' });
        fc.pre(parsed.diagnostics.every((d) => d.severity !== 'error'));
        const printed = formatDiagram(parsed.diagrams[0] as Diagram, text);
        const reparsed = parseSource(printed, { file: 'in.seq' });
        expect(reparsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(withoutSpans(reparsed.diagrams[0])).toEqual(withoutSpans(parsed.diagrams[0]));
      }),
      { numRuns: RUNS },
    );
  });

  test('formatting is idempotent', () => {
    fc.assert(
      fc.property(diagramText, (text) => {
        const once = formatSource(text, 'in.seq');
        expect(formatSource(once, 'in.seq')).toBe(once);
      }),
      { numRuns: RUNS },
    );
  });

  test('in Markdown only fence bodies change', () => {
    fc.assert(
      fc.property(diagramText, diagramText, (a, b) => {
        const before = `# One\n\nSome  text  \n\n\`\`\`sequence\n${a}\`\`\`\n\n## Two\n\`\`\`js\nA  ->B\n\`\`\`\n\n\`\`\`sequence\n${b}\n\`\`\`\ntail  `;
        const after = formatSource(before, 'doc.md');
        expect(after.startsWith('# One\n\nSome  text  \n\n```sequence\n')).toBe(true);
        expect(after).toContain('\n## Two\n```js\nA  ->B\n```\n\n```sequence\n');
        expect(after.endsWith('```\ntail  ')).toBe(true);
      }),
      { numRuns: Math.min(RUNS, 300) },
    );
  });

  test('canonical spelling', () => {
    const text =
      '  title   Deploy  \nparticipant   Pay CI   as P\nP  -->>  AWS :  x  \n\n\n\nNote   Right of AWS:y\nnote over P, AWS :"  z  "\n#c   \nP-AWS:\n';
    expect(formatSource(text, 'x.seq')).toBe(
      'Title: Deploy\nparticipant Pay CI as P\nP-->>AWS: x\n\nNote right of AWS: y\nNote over P,AWS: "  z  "\n#c\nP-AWS:\n',
    );
  });

  test('CRLF files stay CRLF', () => {
    expect(formatSource('A  ->B:x\r\nB-->A:y\r\n', 'x.seq')).toBe('A->B: x\r\nB-->A: y\r\n');
    expect(formatSource('# T\r\n\r\n```sequence\r\nA  ->B:x\r\n```\r\n', 'x.md')).toBe('# T\r\n\r\n```sequence\r\nA->B: x\r\n```\r\n');
  });

  test('texts changed after parsing (as the renderer does) are printed so that they read back', () => {
    const diagram = parseSource('A->B: x\n', { file: 'x.seq' }).diagrams[0] as Diagram;
    const marked = { ...diagram, statements: diagram.statements.map((s) => (s.kind === 'message' ? { ...s, text: ' ✔ two\nlines ' } : s)) };
    const printed = formatDiagram(marked);
    expect(printed).toBe('A->B: " ✔ two\\nlines "\n');
    expect(parseSource(printed, { file: 'x.seq' }).diagrams[0]?.steps[0]?.text).toBe(' ✔ two\nlines ');
  });

  test('names and texts that need quotes keep their meaning', () => {
    const text = '"my-app"->"note": a\\nb\nparticipant " spaced "\n';
    expect(formatSource(text, 'x.seq')).toBe('"my-app"->"note": a\\nb\nparticipant " spaced "\n');
  });
});

describe('large and hostile inputs', () => {
  test('unclosed quotes on every line are read as the reference reads them (quoted names across lines)', () => {
    const text = 'A->B"x\n'.repeat(4000);
    const result = parseSource(text, { file: 'in.seq' });
    expect(result.diagnostics).toHaveLength(2000);
    expect(result.diagnostics.every((d) => d.severity === 'error')).toBe(true);
  });

  test('quotes that pair up across lines, then unclosed ones: the reference reading', () => {
    const text = 'A->B"x\n'.repeat(3) + 'A->B: "never closed\n'.repeat(4000);
    const result = parseSource(text, { file: 'in.seq' });
    const reference = oracleParse(text);
    expect(reference.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.span?.start.line)).toEqual([1, 3]);
    expect(result.diagrams[0]?.steps).toHaveLength(3999);
    expect(oracleParse(text.split('\n').slice(4).join('\n'))).toMatchObject({ ok: true, steps: expect.any(Array) });
  });

  test('a long diagram lexed in segments reads like the same statements one by one', () => {
    const lines = Array.from({ length: 6000 }, (_, i) =>
      i % 3 === 0 ? `Note over A,"B ${i}": n${i}` : i % 3 === 1 ? `# comment ${i}` : `A-->>"B ${i - 2}": m${i}`,
    );
    const result = parseSource(`${lines.join('\n')}\n`, { file: 'in.seq' });
    expect(result.diagnostics).toEqual([]);
    expect(result.diagrams[0]?.statements).toHaveLength(6000);
    expect(result.diagrams[0]?.statements[5999]?.span.start.line).toBe(6000);
    expect(result.diagrams[0]?.participants).toHaveLength(2001);
  });
});
