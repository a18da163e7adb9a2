// The mermaid printer and the js-sequence → mermaid conversion on hand-built ASTs.
import { describe, expect, it } from 'vitest';
import type { BlockStatement, Diagram, MessageStatement, Span, Statement } from '../../ast/types.ts';
import { toMermaidDiagram, toSequenceDiagram } from './convert.ts';
import { mermaidName, mermaidText } from './escape.ts';
import { printMermaid } from './printer.ts';

/** A span on `line` (offsets are line * 100, enough to order statements). */
function at(line: number, endLine = line): Span {
  return { start: { line, column: 1, offset: line * 100 }, end: { line: endLine, column: 2, offset: endLine * 100 + 1 } };
}

function message(
  line: number,
  from: string,
  to: string,
  text: string,
  written = '->>',
  activation: MessageStatement['mermaid'] = undefined,
) {
  const dashed = written.startsWith('--');
  return {
    kind: 'message',
    from,
    to,
    line: dashed ? 'dashed' : 'solid',
    arrow: 'filled',
    headless: false,
    text,
    mermaid: activation ?? { arrow: dashed ? 'dotted' : 'solid', written, activation: null },
    span: at(line),
  } satisfies MessageStatement;
}

function diagram(statements: Statement[], extra: Partial<Diagram> = {}): Diagram {
  return {
    dialect: 'mermaid',
    name: null,
    slug: null,
    title: null,
    participants: [],
    statements,
    steps: [],
    file: 'x.mmd',
    span: at(1, 99),
    ...extra,
  };
}

const alt: BlockStatement = {
  kind: 'block',
  block: 'alt',
  sections: [
    { keyword: 'alt', label: 'tests pass', span: at(9), statements: [message(10, 'B', 'A', 'ok', '-->>')] },
    {
      keyword: 'else',
      label: '',
      span: at(11),
      statements: [{ kind: 'note', position: 'over', participants: ['A', 'B'], text: 'retry', span: at(12) }],
    },
  ],
  endSpan: at(13),
  span: at(9, 13),
};

describe('printMermaid', () => {
  it('prints one statement per line, blocks indented four spaces per level, blank lines kept once', () => {
    const loop: BlockStatement = {
      kind: 'block',
      block: 'loop',
      sections: [{ keyword: 'loop', label: 'every build', span: at(8), statements: [alt] }],
      endSpan: at(14),
      span: at(8, 14),
    };
    const statements: Statement[] = [
      { kind: 'drawing', keyword: 'directive', participant: null, text: "%%{init: {'theme': 'dark'}}%%", span: at(2) },
      { kind: 'title', text: 'Release', span: at(4) },
      { kind: 'participant', name: 'A', alias: 'Pay CI', shape: 'actor', span: at(5) },
      {
        kind: 'box',
        label: 'Aqua Cloud',
        statements: [{ kind: 'participant', name: 'B', alias: null, shape: 'participant', span: at(6) }],
        span: at(6, 6),
      },
      { kind: 'comment', text: ' the loop', span: at(7) },
      loop,
      { kind: 'autonumber', off: false, start: 10, step: 5, span: at(16) },
      message(17, 'A', 'B', 'start', '->>', { arrow: 'solid', written: '->>', activation: 'activate-target' }),
      { kind: 'activation', action: 'deactivate', participant: 'B', span: at(18) },
      { kind: 'drawing', keyword: 'accDescr', participant: null, text: 'line one\nline two', span: at(19) },
    ];
    // The header sits between the directive (offset 200) and the title (offset 400).
    const source = `${' '.repeat(300)}\nsequenceDiagram\n`;
    const printed = printMermaid(diagram(statements, { frontMatter: 'title: x\n', span: at(0, 99) }), { source });
    expect(printed).toBe(
      [
        '---',
        'title: x',
        '---',
        "%%{init: {'theme': 'dark'}}%%",
        'sequenceDiagram',
        '    title Release',
        '    actor A as Pay CI',
        '    box Aqua Cloud',
        '        participant B',
        '    end',
        '    %% the loop',
        '    loop every build',
        '        alt tests pass',
        '            B-->>A: ok',
        '        else',
        '            Note over A,B: retry',
        '        end',
        '    end',
        '',
        '    autonumber 10 5',
        '    A->>+B: start',
        '    deactivate B',
        '    accDescr {',
        'line one',
        'line two',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('without a reader to ask, writes texts and names in their most encoded spelling', () => {
    const printed = printMermaid(diagram([message(2, 'Loop Service', 'B', 'Push #build; then <br> wrap: x\nnext')]));
    expect(printed).toBe('sequenceDiagram\n    #76;oop#32;Service->>B: Push #35;build#59; then #60;br#62; wrap: x<br/>next\n');
  });

  it('takes the plainest spelling the reader reads back as the same statement', () => {
    const plainEnough = (line: string) => !line.includes('#') || line.includes('#35;');
    const printed = printMermaid(diagram([message(2, 'A', 'B', 'Push #build-candidate to ECR'), message(3, 'A', 'B', 'plain')]), {
      readsAs: plainEnough,
    });
    expect(printed).toBe('sequenceDiagram\n    A->>B: Push #35;build-candidate to ECR\n    A->>B: plain\n');
  });
});

describe('escaping', () => {
  it('readable escaping encodes only what mermaid reads differently', () => {
    expect(mermaidText('a; b # c 50% <b>x</b> <br/>', 'readable')).toBe('a#59; b #35; c 50#37; <b>x</b> #60;br/>');
    expect(mermaidText('nowrap: x', 'readable')).toBe('#110;owrap: x');
    expect(mermaidText('style x:#y', 'readable')).toBe('#115;tyle x:#35;y');
  });

  it('names: keywords, numbers, arrows and separators encoded, plain names kept', () => {
    expect(mermaidName('Pay CI')).toBe('Pay CI');
    expect(mermaidName('end')).toBe('#101;nd');
    expect(mermaidName('Note taker')).toBe('#78;ote taker');
    expect(mermaidName('9 lives')).toBe('#57; lives');
    expect(mermaidName('a->b, c;d')).toBe('a#45;#62;b#44; c#59;d');
    expect(mermaidName('Bob as Alice')).toBe('Bob #97;s Alice');
  });
});

describe('toMermaidDiagram', () => {
  it('turns calls into ->>, replies into -->>, swaps alias and label, and keeps comments', () => {
    const js = diagram(
      [
        { kind: 'comment', text: ' the seed', span: at(1) },
        { kind: 'participant', name: 'Pay CI', alias: 'P', span: at(2) },
        { kind: 'message', from: 'P', to: 'B', line: 'solid', arrow: 'open', headless: false, text: 'Push #x; y', span: at(3) },
        { kind: 'message', from: 'B', to: 'P', line: 'dashed', arrow: 'filled', headless: true, text: 'Success', span: at(4) },
        { kind: 'note', position: 'right', participants: ['B'], text: 'Tests passed', span: at(5) },
        { kind: 'title', text: '', span: at(6) },
      ],
      { dialect: 'sequence' },
    );
    const converted = toMermaidDiagram(js);
    expect(converted.dialect).toBe('mermaid');
    expect(converted.steps.map((s) => s.kind)).toEqual(['message', 'message', 'note']);
    expect(printMermaid(converted)).toBe(
      [
        'sequenceDiagram',
        '    %% the seed',
        '    participant P as Pay CI',
        '    P->>B: Push #35;x#59; y',
        '    B-->>P: Success',
        '    Note right of B: Tests passed',
        '',
      ].join('\n'),
    );
  });
});

describe('toSequenceDiagram', () => {
  it('names the first block of a diagram that has blocks', () => {
    const result = toSequenceDiagram(diagram([message(2, 'A', 'B', 'x'), alt]));
    expect(result).toEqual({ ok: false, block: alt });
  });

  it('keeps steps, swaps label and alias back, hoists box declarations and drops drawing-only statements', () => {
    const statements: Statement[] = [
      {
        kind: 'box',
        label: 'Cloud',
        statements: [{ kind: 'participant', name: 'P', alias: 'Pay CI', shape: 'actor', span: at(2) }],
        span: at(1, 3),
      },
      { kind: 'autonumber', off: false, start: null, step: null, span: at(4) },
      message(5, 'P', 'B', 'go', '-)', { arrow: 'solid-async', written: '-)', activation: null }),
      { kind: 'activation', action: 'activate', participant: 'B', span: at(6) },
    ];
    const result = toSequenceDiagram(diagram(statements));
    expect(result.ok && result.diagram.dialect).toBe('sequence');
    expect(result.ok && result.diagram.statements).toEqual([
      { kind: 'participant', name: 'Pay CI', alias: 'P', span: at(2) },
      { kind: 'message', from: 'P', to: 'B', line: 'solid', arrow: 'open', headless: false, text: 'go', span: at(5) },
    ]);
  });
});
