// The report model and the Markdown report against awkward and hostile text.
import { describe, expect, it } from 'vitest';
import { toHtmlReport } from '../../src/render/html.ts';
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

describe('a run with hooks, resumed', () => {
  const diagram = buildDiagram([
    { kind: 'message', from: 'CI', to: 'AWS', text: 'Trigger build' },
    { kind: 'message', from: 'AWS', to: 'CI', text: 'Success', line: 'dashed' },
  ]);
  const base = { at: '2026-01-01T00:00:00.000Z', runId: 'r' };
  const hook = { ...base, hookRun: 'h0', hookId: 'h0', hook: 'after-run', name: `Clean ${XSS}` } as const;
  const steps = [
    { id: 's0', kind: 'call', text: 'Trigger build', line: 1, column: 1, mode: 'sync' },
    { id: 's1', kind: 'reply', text: 'Success', line: 2, column: 1 },
  ] as const;
  const events: RunEvent[] = [
    { ...base, type: 'run-started', diagram: 'test.seq', diagramHash: 'x', title: null, vars: {}, trigger: 't', steps },
    { ...base, type: 'run-finished', status: 'interrupted', durationMs: 5 },
    { ...base, type: 'run-resumed', pid: 2 },
    { ...base, type: 'step-finished', stepId: 's0', status: 'passed', attempt: 1, durationMs: 1500 },
    { ...base, type: 'step-finished', stepId: 's1', status: 'passed', attempt: 1, durationMs: 1 },
    { ...base, type: 'hook-started', ...hook },
    { ...base, type: 'hook-finished', ...hook, status: 'failed', durationMs: 40, error: { message: `gone ${XSS}` } },
    { ...base, type: 'run-finished', status: 'failed', durationMs: 50, failedStepId: 'h0' },
  ];

  it('markdown: the run says it was resumed, hooks are listed apart from the steps, Success has no time, steps are numbered s0, s1', async () => {
    const text = toMarkdownReport({ diagram, run: foldRun(events), source: null });
    expect(text).toContain('| Resumed | yes: continued by seqrun resume after it stopped |');
    expect(text).toContain('| s0 | 1 | `CI->AWS: Trigger build` | ✔ passed | 1.5 s | 1 |  |');
    expect(text).toContain('| s1 | 2 | `AWS-->CI: Success` | ✔ passed |  | 1 |  |');
    expect(text).toContain('P2-->>P1: Success (✔ passed)\n');
    expect(text).toContain(
      '## Hooks\n\n| Hook | When | Status | Duration | Error |\n|---|---|---|---|---|\n| h0 | after run: Clean &#60;img src=x onerror=alert(1)&#62; | ✘ failed | 40 ms | gone &#60;img src=x onerror=alert(1)&#62; |',
    );
    for (const block of mermaidBlocks(text)) await expectMermaidParses(block);
  });

  it('html: the same facts, hooks in their own table, every text escaped', () => {
    const html = toHtmlReport({ diagram, run: foldRun(events), source: null });
    expect(html).toContain('<tr><th>Resumed</th><td>yes: continued by seqrun resume after it stopped</td></tr>');
    expect(html).toContain('<h2>Hooks</h2><table class="hooks">');
    expect(html).toContain('<td>h0</td><td>after run: Clean &#60;img src=x onerror=alert(1)&#62;</td><td>✘ failed</td><td>40 ms</td>');
    expect(html).toContain('<td>s0</td>');
    expect(html).not.toContain('<img');
  });
});
