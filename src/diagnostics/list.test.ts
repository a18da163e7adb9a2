import { afterEach, describe, expect, test, vi } from 'vitest';
import { renderDiagnostics } from './list.ts';
import type { Diagnostic } from './types.ts';

const at = (line: number, column: number) => ({ line, column, offset: 0 });

function broken(file: string, line: number, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { code: 'SEQ105', severity, message: "a message needs ':'", file, span: { start: at(line, 5), end: at(line, 6) } };
}

const manyBroken = (lines: number): string => Array.from({ length: lines }, (_, i) => `A->B hello ${i}`).join('\n');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('renderDiagnostics', () => {
  test('each file is read and line-indexed once, however many diagnostics it has (no split per frame)', () => {
    const text = manyBroken(20_000);
    const split = vi.spyOn(String.prototype, 'split');
    const reads: string[] = [];
    const diagnostics = Array.from({ length: 20_000 }, (_, i) => broken('big.seq', i + 1));
    const output = renderDiagnostics(diagnostics, (file) => (reads.push(file), text), { color: false, maxErrors: 0 });
    expect(reads).toEqual(['big.seq']);
    expect(split.mock.contexts.filter((self) => String(self).length === text.length)).toEqual([]);
    expect(output.match(/^> /gm)).toHaveLength(20_000);
    expect(output).toContain('> 20000 | A->B hello 19999\n');
  });

  test('at most maxErrors diagnostics per file, then one line counting the rest', () => {
    const text = manyBroken(20_000);
    const diagnostics = [
      ...Array.from({ length: 19_997 }, (_, i) => broken('big.seq', i + 1)),
      ...[1, 2, 3].map((line) => broken('big.seq', line, 'warning')),
      broken('small.seq', 1),
    ];
    const output = renderDiagnostics(diagnostics, () => text, { color: false, maxErrors: 100 });
    expect(output.match(/^big\.seq:\d+:5 error/gm)).toHaveLength(100);
    expect(output.match(/^small\.seq:1:5 error/gm)).toHaveLength(1);
    expect(
      output.endsWith('big.seq: 19897 more errors and 3 more warnings not shown; --max-errors N shows N per file, --max-errors 0 all\n'),
    ).toBe(true);
  });

  test('a file that cannot be read gets no frame; spaced output has a blank line after each', () => {
    const output = renderDiagnostics([broken('gone.seq', 1)], () => null, { color: false, maxErrors: 100, spaced: true });
    expect(output).toBe("gone.seq:1:5 error SEQ105 a message needs ':'\n\n");
  });
});
