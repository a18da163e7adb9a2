import { describe, expect, test } from 'vitest';
import type { Diagram } from '../ast/types.ts';
import { parseText } from '../syntax/index.ts';
import { registrationText } from './handlers.ts';
import { COMMENT_MARKER, diffMarkdown, marksOf } from './markdown.ts';
import { markedMermaid } from './mermaid.ts';
import { diffText } from './text.ts';
import type { Change, DiffResult, StepRef } from './types.ts';

function diagram(text: string, file = 'release.seq'): Diagram {
  const [parsed] = parseText(text, { file }).diagrams;
  if (!parsed) throw new Error('no diagram');
  return parsed;
}

const ref = (id: string, line: number, label: string): StepRef => ({ id, line, kind: 'call', label, text: label });
const hostile = 'Deploy <img src=x onerror=alert(1)> | `rm` \x1b[2J; #evil %%{init}%%';

describe('registrationText', () => {
  test('is the call with its arguments, brackets inside strings, templates and comments ignored', () => {
    const source =
      "export default defineSteps((s) => {\n  s.call('Build (x86) {word}', { timeoutMs: 5 }, async (ctx, w) => {\n    // a ) in a comment\n    return `${w})`;\n  });\n  s.note('next', () => 1);\n});\n";
    const at = source.indexOf('call(');
    expect(registrationText(source, at)).toBe(
      "call('Build (x86) {word}', { timeoutMs: 5 }, async (ctx, w) => {\n    // a ) in a comment\n    return `${w})`;\n  })",
    );
  });
});

describe('the outputs escape diagram text', () => {
  const change: Change = { kind: 'step-added', before: null, after: ref('s0', 1, `A->B: ${hostile}`), now: `sync call ${hostile}` };
  const result: DiffResult = {
    base: { ref: 'main', commit: 'a'.repeat(40) },
    diagrams: [{ diagram: 'x.seq', status: 'changed', changes: [change] }],
  };

  test('text: control bytes shown as escapes, colour only when asked', () => {
    const plain = diffText(result, false);
    expect(plain).not.toContain('\x1b');
    expect(plain).toContain('\\e[2J');
    expect(plain).toContain('+ line 1  A->B: Deploy');
    expect(diffText(result, true)).toContain('\x1b[32m+ ');
  });

  test('markdown: the marker first, HTML and pipes escaped in the table, the diagram drawn with the added step green', () => {
    const plans = new Map([['x.seq', { diagram: diagram(`A->B: ${hostile}`), steps: [], diagnostics: [] }]]);
    const md = diffMarkdown(result, plans);
    expect(md.split('\n')[0]).toBe(COMMENT_MARKER);
    // Outside code spans (where HTML is text): no tag survives.
    expect(md.replace(/`[^`\n]*`/g, '')).not.toContain('<img');
    expect(md).toContain('&#60;img');
    expect(md).not.toContain('\x1b');
    const fence = md.slice(md.indexOf('```mermaid'));
    expect(fence).toContain('rect rgb(200, 240, 200)');
    expect(fence).toContain('#60;img');
    expect(fence).not.toContain('%%');
  });

  test('an unchanged diff says so', () => {
    const none: DiffResult = { ...result, diagrams: [{ diagram: 'x.seq', status: 'unchanged', changes: [] }] };
    expect(diffText(none, false)).toBe(`seqrun diff against main (${'a'.repeat(12)}): no pipeline changes in 1 diagram.\n`);
    expect(diffMarkdown(none, new Map())).toContain('No pipeline changes in 1 diagram.');
  });
});

describe('markedMermaid', () => {
  test('keeps what mermaid draws activations and numbers with', () => {
    const d = diagram('sequenceDiagram\nautonumber 10 5\nCI->>+AWS: Deploy\nactivate CI\nAWS-->>-CI: Success\ndeactivate CI\n', 'r.mmd');
    expect(markedMermaid(d, new Map())).toBe(
      [
        'sequenceDiagram',
        '  participant P1 as CI',
        '  participant P2 as AWS',
        '  autonumber 10 5',
        '  P1->>+P2: Deploy',
        '  activate P1',
        '  P2-->>-P1: Success',
        '  deactivate P1',
        '',
      ].join('\n'),
    );
  });

  test("draws a mermaid diagram's blocks, an added step green and a changed one amber", () => {
    const d = diagram('sequenceDiagram\nloop each app\n  CI->>AWS: Deploy\n  AWS-->>CI: Success\nend\nNote over CI: done\n', 'r.mmd');
    const marks = marksOf([
      { kind: 'step-added', before: null, after: ref('s1', 4, 'x') },
      { kind: 'rebound', before: ref('s2', 5, 'y'), after: ref('s2', 6, 'y') },
    ]);
    expect(markedMermaid(d, marks)).toBe(
      [
        'sequenceDiagram',
        '  participant P1 as CI',
        '  participant P2 as AWS',
        '  loop each app',
        '    P1->>P2: Deploy',
        '    rect rgb(200, 240, 200)',
        '      P2-->>P1: Success',
        '    end',
        '  end',
        '  rect rgb(255, 232, 190)',
        '    Note over P1: done',
        '  end',
        '',
      ].join('\n'),
    );
  });
});
