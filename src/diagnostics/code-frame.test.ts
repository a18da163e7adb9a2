import { describe, expect, it } from 'vitest';
import { codeFrame } from './code-frame.ts';
import { escapeControls } from './escape.ts';

const around = { before: 2, after: 2 };

describe('codeFrame', () => {
  it('shows lines of context and a caret under the column', () => {
    expect(codeFrame('a\nb\nc\nd\ne\nf\n', { line: 3, column: 2 }, around)).toEqual([
      '  1 | a',
      '  2 | b',
      '> 3 | c',
      '    |  ^',
      '  4 | d',
      '  5 | e',
    ]);
  });

  it('leaves out blank lines at the edges, such as the empty line after a final line break', () => {
    expect(codeFrame('a\r\nb\r\nc\r\n', { line: 3, column: 1 }, around)).toEqual(['  1 | a', '  2 | b', '> 3 | c', '    | ^']);
    expect(codeFrame('a\nb', { line: 2, column: 1 }, around)).toEqual(['  1 | a', '> 2 | b', '    | ^']);
    expect(codeFrame('\n\nc\n\n', { line: 3, column: 1 }, around)).toEqual(['> 3 | c', '    | ^']);
  });

  it('nothing for a line that is not in the text', () => {
    expect(codeFrame('one line', { line: 9, column: 1 }, around)).toEqual([]);
  });

  it('a caret as wide as the span; tabs as two spaces', () => {
    expect(codeFrame('\tA->B hello', { line: 1, column: 6, width: 7 }, { before: 1, after: 0 })).toEqual([
      '> 1 |   A->B hello',
      '    |       ^^^^^^',
    ]);
  });

  it('control characters are escaped and the caret still lines up', () => {
    const frame = codeFrame('\u001b]0;x\u0007A->B hello', { line: 1, column: 12 }, { before: 0, after: 0 });
    // `hello` starts at the 12th character, shown as the 14th: \e and \a take two each.
    expect(frame).toEqual(['> 1 | \\e]0;x\\aA->B hello', `    | ${' '.repeat(13)}^`]);
    expect(frame.map((line) => escapeControls(line, { singleLine: true }))).toEqual(frame);
  });

  it('a long line shows a window around the column, cut with an ellipsis', () => {
    const line = `${'x'.repeat(10_000)}!${'y'.repeat(10_000)}`;
    const [shown, caret] = codeFrame(line, { line: 1, column: 10_001 }, { before: 0, after: 0 });
    expect(shown).toBe(`> 1 | …${'x'.repeat(40)}!${'y'.repeat(119)}…`);
    expect(caret).toBe(`    | ${' '.repeat(41)}^`);
    expect(codeFrame(`${'a'.repeat(200)}\nb`, { line: 2, column: 1 }, around)[0]).toBe(`  1 | ${'a'.repeat(160)}…`);
  });
});
