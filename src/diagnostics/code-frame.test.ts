import { describe, expect, it } from 'vitest';
import { codeFrame } from '../../src/render/code-frame.ts';

describe('codeFrame', () => {
  it('shows two lines of context and a caret under the column', () => {
    expect(codeFrame('a\nb\nc\nd\ne\nf\n', 3, 2)).toBe(['  1 | a', '  2 | b', '> 3 | c', '    |  ^', '  4 | d', '  5 | e'].join('\n'));
  });

  it('shows no empty line after the last line of a file that ends in a line break', () => {
    expect(codeFrame('a\r\nb\r\nc\r\n', 3, 1)).toBe(['  1 | a', '  2 | b', '> 3 | c', '    | ^'].join('\n'));
    expect(codeFrame('a\nb', 2, 1)).toBe(['  1 | a', '> 2 | b', '    | ^'].join('\n'));
  });
});
