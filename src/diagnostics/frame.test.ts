import { describe, expect, test } from 'vitest';
import type { Diagnostic } from './types.ts';
import { escapeControls } from './escape.ts';
import { renderDiagnostic } from './frame.ts';

const at = (line: number, column: number, offset = 0) => ({ line, column, offset });

function error(span: Diagnostic['span'], extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    code: 'SEQ105',
    severity: 'error',
    message: "a message needs ':' before its text",
    hint: 'Write `A->B: text`.',
    file: 'x.seq',
    span,
    ...extra,
  };
}

describe('renderDiagnostic', () => {
  test('location, the previous line, the line with a caret under the span, the hint', () => {
    const text = 'A->B: ok\nA->B hello\n';
    expect(renderDiagnostic(error({ start: at(2, 4), end: at(2, 11) }), text)).toBe(
      "x.seq:2:4 error SEQ105 a message needs ':' before its text\n" +
        '  1 | A->B: ok\n' +
        '> 2 | A->B hello\n' +
        '    |    ^^^^^^^\n' +
        '  hint: Write `A->B: text`.\n',
    );
  });

  test('a zero-width span at the end of a line still gets one caret; tabs are shown as two spaces', () => {
    const text = '\tA->B';
    expect(renderDiagnostic(error({ start: at(1, 6), end: at(1, 6) }, { hint: undefined }), text)).toBe(
      "x.seq:1:6 error SEQ105 a message needs ':' before its text\n> 1 |   A->B\n    |       ^\n",
    );
  });

  test('wide gutters, warnings and colour', () => {
    const text = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join('\n');
    const rendered = renderDiagnostic(error({ start: at(10, 1), end: at(10, 5) }, { severity: 'warning', code: 'SEQ203' }), text, {
      color: true,
    });
    expect(rendered).toContain('\u001b[33mwarning\u001b[0m');
    expect(rendered).toContain('\u001b[2m 9 | \u001b[0mline 9');
    expect(rendered).toContain('\u001b[33m^^^^\u001b[0m');
  });

  test('without a location or with a location outside the text: no frame', () => {
    expect(renderDiagnostic(error(null, { code: 'SEQ001', message: 'cannot read x.seq' }), '')).toBe(
      'x.seq error SEQ001 cannot read x.seq\n  hint: Write `A->B: text`.\n',
    );
    expect(renderDiagnostic(error({ start: at(9, 1), end: at(9, 1) }, { hint: undefined }), 'one line')).toBe(
      "x.seq:9:1 error SEQ105 a message needs ':' before its text\n",
    );
  });

  test('control characters in the file name, the message, the hint and the frame are shown escaped', () => {
    const text = 'A->B: ok\n\u001b]0;owned\u0007\u001b[2JA->B hello\n';
    const hostile = error(
      { start: at(2, 1), end: at(2, 5) },
      { file: 'x\u001b[31m.seq', message: "'\u001b[2J' cannot start a statement", hint: 'see \u009b1m' },
    );
    const rendered = renderDiagnostic(hostile, text);
    expect(rendered).toBe(
      "x\\e[31m.seq:2:1 error SEQ105 '\\e[2J' cannot start a statement\n" +
        '  1 | A->B: ok\n' +
        '> 2 | \\e]0;owned\\a\\e[2JA->B hello\n' +
        '    | ^^^^^\n' +
        '  hint: see \\x9b1m\n',
    );
    expect(escapeControls(rendered)).toBe(rendered);
  });
});
