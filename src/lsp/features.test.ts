// The pure pieces behind completion, fixes and hover: reading the line being typed, expressions as
// snippets, where a registration is inserted, and diagram text made safe for Markdown.
import { describe, expect, test } from 'vitest';
import { insertionEdit, textRange } from './actions.ts';
import { expressionSnippet, stepContext } from './completion.ts';
import { toLspDiagnostic } from './convert.ts';
import { fillParameters } from './expression-text.ts';
import { code } from './hover.ts';

describe('stepContext', () => {
  test('an arrow says the kind and the participants; a note says its participants', () => {
    expect(stepContext('Pay CI->AWS: Pu')).toEqual({ kinds: ['call'], from: 'Pay CI', to: 'AWS', textStart: 13 });
    expect(stepContext('AWS-->>Pay CI:')).toEqual({ kinds: ['reply'], from: 'AWS', to: 'Pay CI', textStart: 14 });
    expect(stepContext('A->>+B: x')).toEqual({ kinds: ['call'], from: 'A', to: 'B', textStart: 8 });
    expect(stepContext('Note over A,"B C": ')).toEqual({ kinds: ['note', 'expect'], over: ['A', 'B C'], textStart: 19 });
    expect(stepContext('participant A')).toBeNull();
  });

  test("in mermaid, a loop's text and a condition bind like steps", () => {
    expect(stepContext('    loop each ar', true)).toEqual({ kinds: ['loop'], textStart: 9 });
    expect(stepContext('  else the build', true)).toEqual({ kinds: ['condition'], textStart: 7 });
    expect(stepContext('  loop each ar')).toBeNull();
  });
});

describe('expressionSnippet', () => {
  test('parameters become numbered placeholders; optional text goes, the first alternative stays', () => {
    expect(expressionSnippet('Push {tags} to ECR {arch}')).toBe('Push ${1:tags} to ECR ${2:arch}');
    expect(expressionSnippet('Build image(s) for x86/arm')).toBe('Build image for x86');
    expect(expressionSnippet('Pay $5 {}')).toBe('Pay \\$5 ${1:value}');
  });
});

describe('insertionEdit', () => {
  test('a registration goes before the `});` that closes defineSteps, indented', () => {
    const text = "export default defineSteps((s) => {\n  s.note('A', () => undefined);\n});\n";
    expect(insertionEdit(text, "s.note('B', () => {\n});")).toEqual({
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
      newText: "  s.note('B', () => {\n  });\n",
    });
  });
});

describe('textRange', () => {
  test("the step's text after the colon; none for a quoted text", () => {
    expect(textRange('Note right of AWS:  Fetch  ', 4)).toEqual({ start: { line: 4, character: 20 }, end: { line: 4, character: 25 } });
    expect(textRange('A->B: "x"', 0)).toBeNull();
  });
});

describe('code', () => {
  test('diagram text is a code span no backtick can close, with control characters escaped', () => {
    expect(code('Push #tag')).toBe('`Push #tag`');
    expect(code('a ``b`` c')).toBe('```a ``b`` c```');
    expect(code('`x')).toBe('`` `x ``');
    expect(code('\u001b]0;owned\u0007')).toBe('`\\e]0;owned\\a`');
  });
});

describe('toLspDiagnostic', () => {
  test("check's code and message, the hint after it, control characters escaped, 0-based range", () => {
    const span = { start: { line: 3, column: 1, offset: 0 }, end: { line: 3, column: 9, offset: 8 } };
    const d = toLspDiagnostic({
      code: 'SEQ301',
      severity: 'error',
      message: 'Undefined call: x\u001b[2J.',
      hint: 'Register it.',
      file: 'a.seq',
      span,
    });
    expect(d).toEqual({
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } },
      severity: 1,
      code: 'SEQ301',
      source: 'seqrun',
      message: 'Undefined call: x\\e[2J.\nRegister it.',
    });
  });
});

describe('fillParameters', () => {
  test("a near miss takes the expression's words and keeps the step's values", () => {
    expect(fillParameters('Trigger CodeBuild {arch}', 'Trigger CodeBuil (ARM)')).toBe('Trigger CodeBuild (ARM)');
    expect(fillParameters('Push {tags} to ECR', 'Push #build-candidate-arm to EC')).toBe('Push #build-candidate-arm to ECR');
    expect(fillParameters('Push {tags} to ECR {arch}', 'Pushh #build-candidate to ECR (x86)')).toBe('Push #build-candidate to ECR (x86)');
    expect(fillParameters('Fetch source(s) from S3/GCS', 'Fetch sources from S3')).toBe('Fetch source from S3');
  });
});
