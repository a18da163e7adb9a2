// The report model and the Markdown report against awkward and hostile text.
import { describe, expect, it } from 'vitest';
import { toMarkdownReport } from '../../src/render/markdown.ts';
import { outputEntries, redactVars } from '../../src/render/report-model.ts';
import { foldRun } from '../../src/render/run-view.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { buildDiagram } from './build-diagram.ts';
import { expectMermaidParses, mermaidBlocks } from './support.ts';

const XSS = '<img src=x onerror=alert(1)>';

describe('report model', () => {
  it('masks variables whose names look secret even if the journal did not', () => {
    expect(redactVars({ APP: 'pay', GITHUB_TOKEN: 'ghp_x', db_password: 'p', AWS_SECRET_ACCESS_KEY: 's', REGION: 'eu' })).toEqual([
      ['APP', 'pay'],
      ['GITHUB_TOKEN', '***'],
      ['db_password', '***'],
      ['AWS_SECRET_ACCESS_KEY', '***'],
      ['REGION', 'eu'],
    ]);
  });

  it('turns outputs into entries, links only http(s) URLs, and adds a job handle not already shown', () => {
    expect(
      outputEntries({ buildId: 'b:1', logLink: 'https://logs.example/b1', bad: 'javascript:alert(1)', tags: ['a', 'b'] }, { id: 'b:1' }),
    ).toEqual([
      { key: 'buildId', value: 'b:1', href: null },
      { key: 'logLink', value: 'https://logs.example/b1', href: 'https://logs.example/b1' },
      { key: 'bad', value: 'javascript:alert(1)', href: null },
      { key: 'tags', value: 'a, b', href: null },
      { key: 'handle', value: '{"id":"b:1"}', href: null },
    ]);
    expect(outputEntries('b:1', 'b:1')).toEqual([{ key: 'output', value: 'b:1', href: null }]);
  });

  it('heads a report whose title is empty (`Title: ` and nothing after it) with the diagram file', async () => {
    const diagram = buildDiagram(
      [
        { kind: 'title', text: ' ' },
        { kind: 'message', from: 'A', to: 'B', text: 'x' },
      ],
      'empty-title.seq',
    );
    const text = toMarkdownReport({ diagram, run: null, source: null });
    expect(text.split('\n')[0]).toBe('# empty-title.seq');
    for (const block of mermaidBlocks(text)) await expectMermaidParses(block);
  });
});

describe('markdown report against hostile text', () => {
  it('keeps every piece of diagram and handler text as text', async () => {
    const diagram = buildDiagram([{ kind: 'message', from: 'CI', to: 'AWS', text: `${XSS} | pipe \`tick\`` }]);
    const base = { at: '2026-01-01T00:00:00.000Z', runId: 'r' };
    const events: RunEvent[] = [
      { ...base, type: 'run-started', diagram: 'test.seq', diagramHash: 'x', title: null, vars: { NAME: XSS }, trigger: XSS, steps: [] },
      {
        ...base,
        type: 'step-finished',
        stepId: 's0',
        status: 'failed',
        attempt: 1,
        durationMs: 5,
        output: { note: `${XSS}|x` },
        error: { message: XSS },
      },
    ];
    const text = toMarkdownReport({ diagram, run: foldRun(events), source: `CI->AWS: ${XSS}\n` });
    for (const block of mermaidBlocks(text)) await expectMermaidParses(block);
    const outsideCode = text.replace(/^(`{3,})[\s\S]*?^\1$/gm, '').replace(/`[^`\n]*`/g, '');
    expect(outsideCode).not.toContain('<img');
    expect(text).toContain("| `CI->AWS: <img src=x onerror=alert(1)> \\| pipe 'tick'` |");
    expect(text).toContain('note: `<img src=x onerror=alert(1)>\\|x`');
    expect(text).toContain('> &#60;img src=x onerror=alert(1)&#62;');
  });
});
