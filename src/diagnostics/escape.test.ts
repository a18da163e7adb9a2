import { describe, expect, test } from 'vitest';
import { escapeControls } from './escape.ts';

describe('escapeControls', () => {
  test('ESC, OSC and CSI sequences are shown, not sent: nothing of them stays a control character', () => {
    const hostile = 'A->B: \u001b]0;pwned\u0007\u001b[2J\u009b31m done';
    expect(escapeControls(hostile)).toBe('A->B: \\e]0;pwned\\a\\e[2J\\x9b31m done');
    // Escaped text has no control character left to escape.
    expect(escapeControls(escapeControls(hostile), { singleLine: true })).toBe(escapeControls(hostile));
  });

  test('CR, backspace, NUL, DEL and the other C0 and C1 controls', () => {
    expect(escapeControls('ok\rfake\b\u0000\u007f\u0001\u0085\u009f')).toBe('ok\\rfake\\b\\0\\x7f\\x01\\x85\\x9f');
  });

  test('line breaks and tabs are kept, or escaped for one-line output', () => {
    expect(escapeControls('a\tb\nc')).toBe('a\tb\nc');
    expect(escapeControls('a\tb\nc', { singleLine: true })).toBe('a\\tb\\nc');
  });

  test('printable text, including non-ASCII and backslashes, is unchanged', () => {
    for (const text of ['Push #build-candidate (x86) to ECR', 'Zürich → 東京 ✓ 🚀', 'a\\nb', '\u00a0\u00ff\ufffd']) {
      expect(escapeControls(text)).toBe(text);
    }
  });
});
