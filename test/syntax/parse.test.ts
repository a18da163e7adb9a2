// The syntax layer on the seed and on hand-written cases: whole ASTs, Markdown locations,
// diagnostics with lines and columns, warnings that keep the reference reading.
import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { loadDiagrams, parseFile, parseSource, parseText, selectDiagram } from '../../src/syntax/index.ts';

const at = (line: number, column: number, offset: number) => ({ line, column, offset });

describe('parseSource', () => {
  test('reads a small diagram into the whole AST', () => {
    const result = parseSource('Title: Deploy\nparticipant Pay CI as P\nP->>AWS: Push #1\n# done\nAWS-->P:\nNote over P,AWS: ok\n', {
      file: 'x.seq',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.diagrams).toEqual([
      {
        dialect: 'sequence',
        name: null,
        slug: null,
        title: 'Deploy',
        file: 'x.seq',
        span: { start: at(1, 1, 0), end: at(7, 1, 91) },
        participants: [
          { id: 'P', label: 'Pay CI', span: { start: at(2, 13, 26), end: at(2, 24, 37) } },
          { id: 'AWS', label: 'AWS', span: { start: at(3, 5, 42), end: at(3, 8, 45) } },
        ],
        statements: [
          { kind: 'title', text: 'Deploy', span: { start: at(1, 1, 0), end: at(1, 14, 13) } },
          { kind: 'participant', name: 'Pay CI', alias: 'P', span: { start: at(2, 1, 14), end: at(2, 24, 37) } },
          {
            kind: 'message',
            from: 'P',
            to: 'AWS',
            line: 'solid',
            arrow: 'open',
            headless: false,
            text: 'Push #1',
            span: { start: at(3, 1, 38), end: at(3, 17, 54) },
          },
          { kind: 'comment', text: ' done', span: { start: at(4, 1, 55), end: at(4, 7, 61) } },
          {
            kind: 'message',
            from: 'AWS',
            to: 'P',
            line: 'dashed',
            arrow: 'filled',
            headless: false,
            text: '',
            span: { start: at(5, 1, 62), end: at(5, 9, 70) },
          },
          { kind: 'note', position: 'over', participants: ['P', 'AWS'], text: 'ok', span: { start: at(6, 1, 71), end: at(6, 20, 90) } },
        ],
        steps: expect.any(Array),
      },
    ]);
    expect(result.diagrams[0]?.steps.map((s) => s.kind)).toEqual(['message', 'message', 'note']);
  });

  test('the final seed: 4 participants and 24 steps, # kept in texts', async () => {
    const result = parseSource(await readFile('specs/final.seq', 'utf8'), { file: 'specs/final.seq' });
    const diagram = result.diagrams[0];
    expect(result.diagnostics).toEqual([]);
    expect(diagram?.participants.map((p) => [p.id, p.label])).toEqual([
      ['Pay CI', 'Pay CI'],
      ['GitHub', 'GitHub'],
      ['AWS', 'AWS'],
      ['Dockerhub', 'Dockerhub'],
    ]);
    expect(diagram?.steps).toHaveLength(24);
    expect(diagram?.steps[6]).toMatchObject({
      kind: 'note',
      position: 'right',
      participants: ['AWS'],
      text: 'Push #build-candidates to ECR',
    });
    expect(diagram?.steps[18]).toMatchObject({
      kind: 'message',
      from: 'Pay CI',
      to: 'AWS',
      line: 'solid',
      arrow: 'filled',
      text: 'Push #build-release, latest to ECR',
    });
  });

  test('three broken lines give three errors with their lines and columns', () => {
    const text = 'A->B: fine\nA->B hello\nloop x\nNote over A,B,C: x\nB-->A: fine\n';
    const result = parseSource(text, { file: 'broken.seq' });
    expect(result.diagnostics.map((d) => [d.severity, d.code, d.span?.start.line, d.span?.start.column])).toEqual([
      ['error', 'SEQ105', 2, 11],
      ['error', 'SEQ100', 3, 1],
      ['error', 'SEQ108', 4, 14],
    ]);
    expect(result.diagrams[0]?.steps.map((s) => s.text)).toEqual(['fine', 'fine']);
    for (const d of result.diagnostics) expect(d.hint).toBeTruthy();
  });

  test.each([
    ['A->: x', 'SEQ102', 1, 4],
    ['A->>>B: x', 'SEQ103', 1, 5],
    ['A->note: x', 'SEQ104', 1, 4],
    ['Note Taker->B: x', 'SEQ106', 1, 6],
    ['Note left of : x', 'SEQ107', 1, 14],
    ['Note left of A,B: x', 'SEQ108', 1, 15],
    ['title\n', 'SEQ109', 1, 6],
    ['participant\n', 'SEQ110', 1, 12],
    ['A: x', 'SEQ101', 1, 2],
    [': x', 'SEQ100', 1, 1],
  ])('%j is an error %s at %i:%i', (text, code, line, column) => {
    const [first] = parseSource(text, { file: 'x.seq' }).diagnostics;
    expect(first).toMatchObject({ severity: 'error', code, span: { start: { line, column } } });
  });

  test.each([
    ['Title->B: x', 'SEQ201', { title: '>B: x' }],
    ['A<-B: x', 'SEQ202', { participants: ['A<', 'B'] }],
    ['A->B"hi', 'SEQ203', { texts: ['hi'] }],
    ['participant A #1', 'SEQ204', { participants: ['A #1'] }],
    ['participant \nA', 'SEQ205', { participants: ['A'] }],
    ['participant "A" participant B', 'SEQ206', { participants: ['A', 'B'] }],
    ['"a\nb"->C: x', 'SEQ207', { participants: ['"a\nb"', 'C'] }],
    ['title a\ntitle b', 'SEQ208', { title: 'b' }],
    ['A->B: x\nparticipant Alice as A', 'SEQ209', { labels: ['A', 'B'] }],
    ['participant Alice as A\nAlice->A: x', 'SEQ210', { participants: ['A', 'Alice'] }],
    ['Note over A,A: x', 'SEQ211', { participants: ['A'] }],
  ])('%j warns %s and keeps the reference reading', (text, code, reading) => {
    const result = parseSource(text, { file: 'x.seq' });
    const diagram = result.diagrams[0];
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', code]]);
    if ('title' in reading) expect(diagram?.title).toBe(reading.title);
    if ('participants' in reading) expect(diagram?.participants.map((p) => p.id)).toEqual(reading.participants);
    if ('labels' in reading) expect(diagram?.participants.map((p) => p.label)).toEqual(reading.labels);
    if ('texts' in reading) expect(diagram?.steps.map((s) => s.text)).toEqual(reading.texts);
  });
});

describe('Markdown input', () => {
  test('the seed document: three named diagrams located in the Markdown file', async () => {
    const result = await parseFile('test/fixtures/syntax/deploy-to-test.md');
    expect(result.diagnostics).toEqual([]);
    expect(result.diagrams.map((d) => [d.name, d.slug, d.steps.length])).toEqual([
      ['Current candidate release process', 'current-candidate-release-process', 18],
      ['Interim candidate release process', 'interim-candidate-release-process', 23],
      ['Final candidate release process', 'final-candidate-release-process', 24],
    ]);
    expect(result.diagrams.map((d) => d.steps[0]?.span.start.line)).toEqual([6, 29, 57]);
    expect(result.diagrams[2]?.steps[23]?.span.start).toEqual({ line: 80, column: 1, offset: expect.any(Number) });
  });

  test('the living docs/deploy-to-test.md: each diagram starts on the line after its fence', async () => {
    const text = await readFile('docs/deploy-to-test.md', 'utf8');
    const fenceLines = text.split('\n').flatMap((line, index) => (line === '```sequence' ? [index + 2] : []));
    const result = parseText(text, { file: 'docs/deploy-to-test.md' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.diagrams.map((d) => d.slug)).toEqual([
      'current-candidate-release-process',
      'interim-candidate-release-process',
      'final-candidate-release-process',
    ]);
    expect(result.diagrams.map((d) => d.statements[0]?.span.start.line)).toEqual(fenceLines);
  });

  test('errors in a fence point at lines of the Markdown file; other code blocks and headings are ignored', () => {
    const text = '# Top\n\n```js\n# not a heading\n```\n\n## Deploy it!\n\n~~~sequence\nA->B: ok\nA->B oops\n~~~\n';
    const result = parseText(text, { file: 'doc.md' });
    expect(result.diagrams.map((d) => [d.name, d.slug])).toEqual([['Deploy it!', 'deploy-it']]);
    expect(result.diagnostics.map((d) => [d.code, d.span?.start.line, d.span?.start.column])).toEqual([['SEQ105', 11, 10]]);
  });

  test('selectors pick a diagram by slug; folders load every .seq and .md', async () => {
    const result = await parseFile('test/fixtures/syntax/deploy-to-test.md');
    expect(selectDiagram(result, 'test/fixtures/syntax/deploy-to-test.md#final-candidate-release-process')?.steps).toHaveLength(24);
    expect(selectDiagram(result, 'docs/deploy-to-test.md#nope')).toBeUndefined();
    const one = await loadDiagrams('docs/deploy-to-test.md#interim-candidate-release-process');
    expect(one.diagrams.map((d) => d.name)).toEqual(['Interim candidate release process']);
    const missing = await loadDiagrams('docs/deploy-to-test.md#nope');
    expect(missing.diagnostics.map((d) => d.code)).toEqual(['SEQ002']);
    const folder = await loadDiagrams('specs');
    expect(folder.diagrams.map((d) => d.file).filter((f) => /\/(current|interim|final)\./.test(f))).toEqual([
      'specs/current.mmd',
      'specs/current.seq',
      'specs/final.mmd',
      'specs/final.seq',
      'specs/interim.mmd',
      'specs/interim.seq',
    ]);
    expect((await loadDiagrams('no/such.seq')).diagnostics.map((d) => d.code)).toEqual(['SEQ001']);
  });
});

describe('Markdown slugs', () => {
  test('GitHub anchors over all headings; further fences under one heading are numbered', () => {
    const text = [
      '# Intro',
      '## Intro',
      '```sequence',
      'A->B: 1',
      '```',
      '### Build & test!',
      '```sequence',
      'A->B: 2',
      '```',
      '```sequence',
      'A->B: 3',
      '```',
      '## Intro',
      '~~~~sequence',
      'A->B: 4',
      '~~~~',
      '```',
      '## not a heading',
      '```',
    ].join('\n');
    const result = parseText(text, { file: 'doc.md' });
    expect(result.diagrams.map((d) => [d.name, d.slug])).toEqual([
      ['Intro', 'intro-1'],
      ['Build & test!', 'build--test'],
      ['Build & test!', 'build--test-diagram-2'],
      ['Intro', 'intro-2'],
    ]);
  });

  test('a fence before any heading has no name; an unclosed fence runs to the end with a warning', () => {
    const result = parseText('```sequence\nA->B: x\n', { file: 'doc.md' });
    expect(result.diagrams.map((d) => [d.name, d.slug, d.steps.length])).toEqual([[null, null, 1]]);
    expect(result.diagnostics.map((d) => [d.code, d.span?.start.line])).toEqual([['SEQ003', 1]]);
  });
});
