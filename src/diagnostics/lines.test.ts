// Offsets to lines and columns: \r\n, \r and \n each end a line.
import { expect, test } from 'vitest';
import { LineIndex } from './lines.ts';

test('positions after LF, CRLF and lone CR', () => {
  const lines = new LineIndex('ab\r\ncd\ref\ngh');
  expect(lines.lineCount).toBe(4);
  expect([0, 2, 3, 4, 6, 7, 9, 10, 12].map((o) => [lines.position(o).line, lines.position(o).column])).toEqual([
    [1, 1],
    [1, 3],
    [1, 4],
    [2, 1],
    [2, 3],
    [3, 1],
    [3, 3],
    [4, 1],
    [4, 3],
  ]);
  expect(lines.position(3)).toEqual({ line: 1, column: 4, offset: 3 });
  expect(lines.position(99)).toEqual({ line: 4, column: 3, offset: 12 });
  expect([1, 2, 3, 4].map((n) => lines.lineText(n))).toEqual(['ab', 'cd', 'ef', 'gh']);
  // Looked up out of order, then in order again (the recent-line shortcut must not go stale).
  expect(lines.position(10).line).toBe(4);
  expect(lines.position(0).line).toBe(1);
  expect(lines.position(5).line).toBe(2);
});
