// The mermaid reader on small diagrams: whole ASTs, and every diagnostic with its line and column.
import { describe, expect, test } from 'vitest';
import type { Diagram, Position, Statement } from '../../ast/types.ts';
import { parseText } from '../files.ts';
import { parseMermaidSource } from './parse.ts';

const at = (line: number, column: number, offset: number): Position => ({ line, column, offset });

function read(text: string) {
  return parseMermaidSource(text, { file: 'x.mmd' });
}

/** The diagram without source spans, for tests about structure rather than positions. */
function shape(diagram: Diagram | Statement | undefined): unknown {
  return JSON.parse(
    JSON.stringify(diagram, (key, value: unknown) => (key === 'span' || key === 'endSpan' || key === 'file' ? undefined : value)),
  );
}

/** `line:column code` of every diagnostic. */
function located(text: string): string[] {
  return read(text).diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`);
}

describe('reading a mermaid sequenceDiagram', () => {
  test('reads a small diagram into the whole AST, spans included', () => {
    const text = 'sequenceDiagram\n  participant CI as Pay CI\n  CI->>+AWS: Build\n  AWS-->>-CI: Success\n';
    const result = read(text);
    expect(result.diagnostics).toEqual([]);
    const build = {
      kind: 'message',
      from: 'CI',
      to: 'AWS',
      line: 'solid',
      arrow: 'filled',
      headless: false,
      text: 'Build',
      mermaid: { arrow: 'solid', written: '->>', activation: 'activate-target' },
      span: { start: at(3, 3, 45), end: at(3, 19, 61) },
    };
    const success = {
      kind: 'message',
      from: 'AWS',
      to: 'CI',
      line: 'dashed',
      arrow: 'filled',
      headless: false,
      text: 'Success',
      mermaid: { arrow: 'dotted', written: '-->>', activation: 'deactivate-source' },
      span: { start: at(4, 3, 64), end: at(4, 22, 83) },
    };
    expect(result.diagrams).toEqual([
      {
        dialect: 'mermaid',
        name: null,
        slug: null,
        title: null,
        file: 'x.mmd',
        span: { start: at(1, 1, 0), end: at(5, 1, 84) },
        participants: [
          { id: 'CI', label: 'Pay CI', shape: 'participant', span: { start: at(2, 15, 30), end: at(2, 17, 32) } },
          { id: 'AWS', label: 'AWS', shape: 'participant', span: { start: at(3, 9, 51), end: at(3, 12, 54) } },
        ],
        statements: [
          { kind: 'participant', name: 'CI', alias: 'Pay CI', shape: 'participant', span: { start: at(2, 3, 18), end: at(2, 27, 42) } },
          build,
          success,
        ],
        steps: [build, success],
      },
    ]);
  });

  test('blocks nest, with their sections, and the steps inside them stay in document order', () => {
    const text = [
      'sequenceDiagram',
      'alt is green',
      '  loop every #59; item',
      '    A->>B: one',
      '  end',
      'else',
      '  Note over A,B: two',
      'end',
      'par first',
      '  A-)B: three',
      'and second',
      '  B--xA: four',
      'end',
      'critical deploy',
      '  A->>B: five',
      'option timeout',
      '  A->>B: six',
      'end',
    ].join('\n');
    const diagram = read(text).diagrams[0];
    const message = (from: string, to: string, text: string, arrow: string, written: string, dashed = false) => ({
      kind: 'message',
      from,
      to,
      line: dashed ? 'dashed' : 'solid',
      arrow: 'filled',
      headless: false,
      text,
      mermaid: { arrow, written, activation: null },
    });
    const one = message('A', 'B', 'one', 'solid', '->>');
    const two = { kind: 'note', position: 'over', participants: ['A', 'B'], text: 'two' };
    const three = message('A', 'B', 'three', 'solid-async', '-)');
    const four = message('B', 'A', 'four', 'dotted-cross', '--x', true);
    const five = message('A', 'B', 'five', 'solid', '->>');
    const six = message('A', 'B', 'six', 'solid', '->>');
    expect(shape(diagram)).toEqual({
      dialect: 'mermaid',
      name: null,
      slug: null,
      title: null,
      participants: [
        { id: 'A', label: 'A', shape: 'participant' },
        { id: 'B', label: 'B', shape: 'participant' },
      ],
      statements: [
        {
          kind: 'block',
          block: 'alt',
          sections: [
            {
              keyword: 'alt',
              label: 'is green',
              statements: [{ kind: 'block', block: 'loop', sections: [{ keyword: 'loop', label: 'every ; item', statements: [one] }] }],
            },
            { keyword: 'else', label: '', statements: [two] },
          ],
        },
        {
          kind: 'block',
          block: 'par',
          sections: [
            { keyword: 'par', label: 'first', statements: [three] },
            { keyword: 'and', label: 'second', statements: [four] },
          ],
        },
        {
          kind: 'block',
          block: 'critical',
          sections: [
            { keyword: 'critical', label: 'deploy', statements: [five] },
            { keyword: 'option', label: 'timeout', statements: [six] },
          ],
        },
      ],
      steps: [one, two, three, four, five, six],
    });
    const alt = diagram?.statements[0] as Extract<Statement, { kind: 'block' }>;
    expect([alt.span.start.line, alt.endSpan.start.line, alt.sections[1]?.span.start.line]).toEqual([2, 8, 6]);
  });

  test.each([
    ['->>', 'solid', 'solid', 'filled'],
    ['-->>', 'dotted', 'dashed', 'filled'],
    ['->', 'solid-open', 'solid', 'open'],
    ['-->', 'dotted-open', 'dashed', 'open'],
    ['-x', 'solid-cross', 'solid', 'filled'],
    ['--x', 'dotted-cross', 'dashed', 'filled'],
    ['-)', 'solid-async', 'solid', 'filled'],
    ['--)', 'dotted-async', 'dashed', 'filled'],
    ['<<->>', 'bidirectional-solid', 'solid', 'filled'],
    ['<<-->>', 'bidirectional-dotted', 'dashed', 'filled'],
    ['-|\\', 'half', 'solid', 'filled'],
    ['--//', 'half', 'dashed', 'filled'],
    ['\\\\--', 'half', 'dashed', 'filled'],
    ['()->>()', 'solid', 'solid', 'filled'],
  ])('the arrow %s is mermaid %s, a %s line with a %s head', (written, arrow, line, head) => {
    const result = read(`sequenceDiagram\nA${written}B: x\n`);
    expect(result.diagnostics).toEqual([]);
    expect(shape(result.diagrams[0]?.steps[0])).toEqual({
      kind: 'message',
      from: 'A',
      to: 'B',
      line,
      arrow: head,
      headless: false,
      text: 'x',
      mermaid: { arrow, written, activation: null },
    });
  });

  test('drawing statements, texts as mermaid draws them, front matter and directives', () => {
    const text = [
      '---',
      'title: From front matter',
      '---',
      '%%{init: {"theme": "dark"}}%%',
      'sequenceDiagram',
      '%% a comment',
      'autonumber 10 5',
      'actor U as User #quot;one#quot;',
      'participant DB@{ "type": "database" } as Store',
      'box Aqua Backend',
      '  participant S',
      'end',
      'U->>S: a<br/>b #amp; c #35;1',
      'activate S',
      'deactivate S',
      'link S: Docs @ https://example.com',
      'accTitle: Access',
      'accDescr {',
      '  long',
      '}',
      'create participant N',
      'S->>N: new',
      'destroy N',
      'N->>S: gone',
      'autonumber off',
    ].join('\n');
    const result = read(text);
    expect(result.diagnostics).toEqual([]);
    const diagram = shape(result.diagrams[0]) as Record<string, unknown>;
    expect(diagram['frontMatter']).toBe('title: From front matter');
    expect(diagram['title']).toBe('From front matter');
    expect(diagram['participants']).toEqual([
      { id: 'U', label: 'User "one"', shape: 'actor' },
      { id: 'DB', label: 'Store', shape: 'participant' },
      { id: 'S', label: 'S', shape: 'participant' },
      { id: 'N', label: 'N', shape: 'participant' },
    ]);
    expect(diagram['statements']).toEqual([
      { kind: 'drawing', keyword: 'directive', participant: null, text: '%%{init: {"theme": "dark"}}%%' },
      { kind: 'comment', text: 'a comment' },
      { kind: 'autonumber', off: false, start: 10, step: 5 },
      { kind: 'participant', name: 'U', alias: 'User "one"', shape: 'actor' },
      { kind: 'participant', name: 'DB', alias: 'Store', shape: 'participant', config: '"type": "database"' },
      { kind: 'box', label: 'Aqua Backend', statements: [{ kind: 'participant', name: 'S', alias: null, shape: 'participant' }] },
      {
        kind: 'message',
        from: 'U',
        to: 'S',
        line: 'solid',
        arrow: 'filled',
        headless: false,
        text: 'a\nb & c #1',
        mermaid: { arrow: 'solid', written: '->>', activation: null },
      },
      { kind: 'activation', action: 'activate', participant: 'S' },
      { kind: 'activation', action: 'deactivate', participant: 'S' },
      { kind: 'drawing', keyword: 'link', participant: 'S', text: 'Docs @ https://example.com' },
      { kind: 'drawing', keyword: 'accTitle', participant: null, text: 'Access' },
      { kind: 'drawing', keyword: 'accDescr', participant: null, text: 'long' },
      { kind: 'participant', name: 'N', alias: null, shape: 'participant', created: true },
      {
        kind: 'message',
        from: 'S',
        to: 'N',
        line: 'solid',
        arrow: 'filled',
        headless: false,
        text: 'new',
        mermaid: { arrow: 'solid', written: '->>', activation: null },
      },
      { kind: 'drawing', keyword: 'destroy', participant: 'N', text: '' },
      {
        kind: 'message',
        from: 'N',
        to: 'S',
        line: 'solid',
        arrow: 'filled',
        headless: false,
        text: 'gone',
        mermaid: { arrow: 'solid', written: '->>', activation: null },
      },
      { kind: 'autonumber', off: true, start: null, step: null },
    ]);
  });

  test("';' ends a statement and '#' starts a comment, even inside a text, as in mermaid (with a warning)", () => {
    const result = read('sequenceDiagram\nA->>B: one; B->>A: two # dropped\ntitle Release\n');
    expect(result.diagrams[0]?.steps.map((s) => s.text)).toEqual(['one', 'two']);
    expect(result.diagrams[0]?.title).toBe('Release');
    expect(result.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`)).toEqual(['2:24 SEQ220']);
  });

  test("'title' at the end of a line and '%%' inside a text read as mermaid reads them, with warnings", () => {
    const text = 'sequenceDiagram\ntitle\nRelease\nA->>B: one %% two\n';
    expect(read(text).diagrams[0]?.title).toBe('Release');
    expect(read(text).diagrams[0]?.steps[0]?.text).toBe('one %% two');
    expect(located(text)).toEqual(['2:1 SEQ226', '4:6 SEQ227']);
  });

  test('mermaid relabels a participant on a later declaration, and keeps the shape it first had (warnings)', () => {
    const result = read('sequenceDiagram\nparticipant A as One\nA->>B: x\nparticipant A as Two\nactor B\n');
    expect(result.diagrams[0]?.participants.map((p) => [p.id, p.label, p.shape])).toEqual([
      ['A', 'Two', 'participant'],
      ['B', 'B', 'participant'],
    ]);
    expect(located('sequenceDiagram\nparticipant A as One\nA->>B: x\nparticipant A as Two\nactor B\n')).toEqual([
      '4:1 SEQ222',
      '5:1 SEQ223',
    ]);
  });
});

describe('bad input: one located diagnostic each, and reading goes on', () => {
  test.each([
    ['an unclosed block, at its opening line', 'sequenceDiagram\nA->>B: x\nloop forever\n  A->>B: y\n', ['3:1 SEQ128']],
    ['unclosed blocks, each at its own line', 'sequenceDiagram\nalt a\n  par b\n', ['2:1 SEQ128', '3:3 SEQ128']],
    ['else outside alt', 'sequenceDiagram\nloop x\nelse y\nend\n', ['3:1 SEQ129']],
    ['and outside par', 'sequenceDiagram\nand y\n', ['2:1 SEQ129']],
    ['option outside critical', 'sequenceDiagram\nalt x\noption y\nend\n', ['3:1 SEQ129']],
    ['end without a block', 'sequenceDiagram\nA->>B: x\nend\n', ['3:1 SEQ130']],
    ['a left arrow', 'sequenceDiagram\nA<-B: x\n', ['2:2 SEQ122']],
    ['an arrow without its right side', 'sequenceDiagram\nA->>: x\n', ['2:5 SEQ123']],
    ['a message without text', 'sequenceDiagram\nA->>B\n', ['2:6 SEQ124']],
    ['a note without placement', 'sequenceDiagram\nNote A: x\n', ['2:6 SEQ125']],
    ['a participant without a name', 'sequenceDiagram\nparticipant\nA->>B: x\n', ['2:12 SEQ126']],
    ['a bad autonumber', 'sequenceDiagram\nautonumber x\n', ['2:12 SEQ127']],
    ['deactivating an inactive participant (-)', 'sequenceDiagram\nA->>B: x\nB-->>-A: y\n', ['3:1 SEQ131']],
    ['deactivating an inactive participant (deactivate)', 'sequenceDiagram\nactivate A\ndeactivate A\ndeactivate A\n', ['4:1 SEQ131']],
    ['create of an existing id', 'sequenceDiagram\nA->>B: x\ncreate participant B\nA->>B: y\n', ['3:1 SEQ132']],
    ['create without its message', 'sequenceDiagram\ncreate participant B\nA->>C: y\n', ['3:1 SEQ132']],
    ['destroy without its message', 'sequenceDiagram\nA->>B: x\ndestroy B\nA->>C: y\n', ['4:1 SEQ133']],
    ['a block inside a box', 'sequenceDiagram\nbox Aqua\nloop x\nend\nend\n', ['3:1 SEQ137']],
    ['a message inside a box', 'sequenceDiagram\nbox Aqua\nA->>B: x\nend\n', ['3:1 SEQ137']],
    ['an unclosed accDescr', 'sequenceDiagram\naccDescr {\nnever closed\n', ['2:1 SEQ138']],
    ['another kind of mermaid diagram', 'flowchart LR\nA-->B\n', ['1:1 SEQ007']],
    ['no header', 'A->>B: x\n', ['1:1 SEQ007']],
    ['an unclosed front matter', '---\ntitle: x\nsequenceDiagram\n', ['1:1 SEQ134']],
    ['a NUL character (a warning: mermaid reads it)', 'sequenceDiagram\nA->>B: x\u0000y\n', ['2:9 SEQ225']],
    ['a header word longer than sequenceDiagram', 'sequenceDiagramX\nA->>B: x\n', ['1:1 SEQ139']],
    ['invalid YAML in the front matter', '---\n- a\nb: c\n---\nsequenceDiagram\n', ['1:1 SEQ141']],
    ['invalid YAML in @{...}', 'sequenceDiagram\nparticipant A@{ "type": [ }\n', ['2:14 SEQ140']],
  ])('%s', (_, text, expected) => {
    expect(located(text)).toEqual(expected);
    expect(read(text).diagnostics.every((d) => d.message.length > 0 && (d.hint ?? '').length > 0)).toBe(true);
  });

  test('one run reports every broken line and reads the good ones between them', () => {
    const result = read('sequenceDiagram\nA->>B: ok\nA=>B: x\nB->>A: fine\nNote B: y\nend\nA->>B: last\n');
    expect(result.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`)).toEqual([
      '3:3 SEQ122',
      '5:6 SEQ125',
      '6:1 SEQ130',
    ]);
    expect(result.diagrams[0]?.steps.map((s) => s.text)).toEqual(['ok', 'fine', 'last']);
  });

  test('a character mermaid ignores at the start of a statement is a warning, and the statement is read', () => {
    const result = read('sequenceDiagram\n) A->>B: x\n');
    expect(located('sequenceDiagram\n) A->>B: x\n')).toEqual(['2:1 SEQ221']);
    expect(result.diagrams[0]?.steps.map((s) => s.text)).toEqual(['x']);
  });

  test('a 10 MB line of characters mermaid cannot read is one diagnostic, not millions', () => {
    expect(located(`sequenceDiagram\n${'<)'.repeat(5_000_000)}\nA->>B: x\n`)).toEqual(['2:1 SEQ221']);
    expect(located(`sequenceDiagram\nA${'-'.repeat(10_000_000)}B: x\n`)).toEqual(['2:2 SEQ122']);
    expect(read(`sequenceDiagram\nA${'-'.repeat(10_000_000)}B: x\n`).diagnostics[0]?.message.length).toBeLessThan(200);
  });

  test('100k statements and a 10 MB line are read without a throw', () => {
    const many = `sequenceDiagram\n${'A->>B: call\nloop each\nB-->>A: reply\nend\n'.repeat(25_000)}`;
    const result = read(many);
    expect(result.diagnostics).toEqual([]);
    expect(result.diagrams[0]?.steps.length).toBe(50_000);
    expect(result.diagrams[0]?.statements.length).toBe(50_000);
    const long = read(`sequenceDiagram\nA->>B: ${'x'.repeat(10_000_000)}\nA-B ${'y'.repeat(10_000_000)}\n`);
    expect(long.diagrams[0]?.steps[0]?.text.length).toBe(10_000_000);
    expect(long.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`)).toEqual(['3:1 SEQ120']);
  });
});

describe('the dialect comes from the extension or the fence, never from the content', () => {
  test('a mermaid body in a .seq file or a ```sequence fence is SEQ006; a js-sequence participant named sequenceDiagram is not', () => {
    const codes = (text: string, file: string) =>
      parseText(text, { file }).diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`);
    expect(codes('sequenceDiagram\n  A->>B: x\n', 'x.seq')).toEqual(['1:1 SEQ006']);
    expect(codes('# T\n\n```sequence\n%% c\nsequenceDiagram\nA->>B: x\n```\n', 'x.md')).toEqual(['3:1 SEQ006']);
    expect(codes('sequenceDiagram->B: x\n', 'x.seq')).toEqual([]);
    expect(codes('# T\n\n```mermaid\npie\n  "a": 1\n```\n', 'x.md')).toEqual([]);
    expect(parseText('# T\n\n```mermaid\npie\n  "a": 1\n```\n', { file: 'x.md' }).diagrams).toEqual([]);
  });

  test("a name starting with the keyword 'end' gets a hint saying so", () => {
    const [found] = read('sequenceDiagram\nEnd User->>B: x\n').diagnostics;
    expect([found?.code, found?.span?.start.line, found?.span?.start.column]).toEqual(['SEQ130', 2, 1]);
    expect(found?.hint).toContain("'End' is mermaid's keyword 'end'");
  });

  test('a box takes participant declarations only, even a character mermaid would skip elsewhere', () => {
    expect(located('sequenceDiagram\nbox Aqua\n( participant A\nend\n')).toEqual(['3:1 SEQ137']);
  });
});
