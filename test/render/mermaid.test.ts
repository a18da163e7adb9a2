// Mermaid output for hand-built diagrams: arrows by meaning, safe ids, escaping, run drawing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toMermaid } from '../../src/render/mermaid.ts';
import { foldRun } from '../../src/render/run-view.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { parseSource } from '../../src/syntax/index.ts';
import { buildDiagram } from './build-diagram.ts';
import { expectMermaidParses } from './support.ts';

/** The statements of the mermaid text for `diagram` (after `sequenceDiagram`), once mermaid's parser accepts it. */
async function parsedBody(...args: Parameters<typeof toMermaid>): Promise<string[]> {
  const text = toMermaid(...args);
  await expectMermaidParses(text);
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
}

describe('toMermaid', () => {
  it('maps arrows by meaning, headless like headed, and gives participants safe ids with labels', async () => {
    const diagram = buildDiagram([
      { kind: 'participant', name: 'Pay CI', alias: 'CI' },
      { kind: 'message', from: 'CI', to: 'end', text: 'solid filled' },
      { kind: 'message', from: 'end', to: 'CI', text: 'dashed filled', line: 'dashed' },
      { kind: 'message', from: 'CI', to: 'end', text: 'solid open', arrow: 'open' },
      { kind: 'message', from: 'end', to: 'CI', text: 'dashed open', line: 'dashed', arrow: 'open' },
      { kind: 'message', from: 'CI', to: 'end', text: 'headless', headless: true },
      { kind: 'message', from: 'end', to: 'CI', text: 'dashed headless', line: 'dashed', headless: true },
      { kind: 'note', position: 'over', participants: ['CI', 'end'], text: 'both' },
      { kind: 'title', text: 'Release; #1' },
    ]);
    expect(await parsedBody(diagram)).toEqual([
      'title Release#59; #35;1',
      'participant P1 as Pay CI',
      'participant P2 as end',
      'P1->>P2: solid filled',
      'P2-->>P1: dashed filled',
      'P1-)P2: solid open',
      'P2--)P1: dashed open',
      'P1->>P2: headless',
      'P2-->>P1: dashed headless',
      'Note over P1,P2: both',
    ]);
  });

  it('escapes ; # < > and line breaks so the text survives', async () => {
    const diagram = buildDiagram([
      { kind: 'message', from: 'A;1', to: 'B#2', text: 'Push #build-candidate; then <b>tag</b>\nnext line' },
      { kind: 'note', position: 'left', participants: ['A;1'], text: 'wrap: not a directive %% {x}' },
    ]);
    expect(await parsedBody(diagram)).toEqual([
      'participant P1 as A#59;1',
      'participant P2 as B#35;2',
      'P1->>P2: Push #35;build-candidate#59; then #60;b#62;tag#60;/b#62;<br/>next line',
      'Note left of P1: #119;rap: not a directive #37;#37; #123;x#125;',
    ]);
  });

  it('leaves out an empty title (`Title: ` with nothing after it), which mermaid rejects as a bare `title` line', async () => {
    for (const source of ['Title: \nA->B: x\n', 'Title:\t \nA->B: x\n']) {
      const diagram = parseSource(source, { file: 'empty-title.seq' }).diagrams[0];
      if (!diagram) throw new Error('no diagram');
      expect(await parsedBody(diagram)).toEqual(['participant P1 as A', 'participant P2 as B', 'P1->>P2: x']);
    }
  });

  it('never produces text mermaid rejects, whatever the step text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 12 }), async (text, name) => {
        const from = name.trim() === '' ? 'A' : name;
        const diagram = buildDiagram([
          { kind: 'message', from, to: 'B', text },
          { kind: 'note', position: 'over', participants: [from, 'B'], text },
        ]);
        await expectMermaidParses(toMermaid(diagram));
      }),
      { numRuns: 300 },
    );
  });

  it('draws statuses as rects, a failed call with a cross, and a job as an activation until its reply', async () => {
    const diagram = buildDiagram([
      { kind: 'message', from: 'CI', to: 'AWS', text: 'Start build' },
      { kind: 'message', from: 'CI', to: 'CI', text: 'Build locally' },
      { kind: 'message', from: 'AWS', to: 'CI', text: 'Success', line: 'dashed' },
      { kind: 'message', from: 'CI', to: 'Hub', text: 'Push' },
      { kind: 'message', from: 'Hub', to: 'CI', text: 'Success', line: 'dashed' },
    ]);
    const at = '2026-01-01T00:00:00.000Z';
    const base = { at, runId: 'r1' };
    const events: RunEvent[] = [
      { ...base, type: 'run-started', diagram: 'test.seq', diagramHash: 'x', title: null, vars: {}, trigger: 't', steps: [] },
      { ...base, type: 'step-started', stepId: 's0', attempt: 1 },
      { ...base, type: 'job-started', stepId: 's0', handle: { id: 'b-1' } },
      { ...base, type: 'step-finished', stepId: 's1', status: 'passed', attempt: 2, durationMs: 1500 },
      { ...base, type: 'step-finished', stepId: 's0', status: 'passed', attempt: 1, durationMs: 65000 },
      { ...base, type: 'step-finished', stepId: 's2', status: 'passed', attempt: 1, durationMs: 1 },
      { ...base, type: 'step-finished', stepId: 's3', status: 'failed', attempt: 1, durationMs: 20, error: { message: 'denied' } },
    ];
    expect((await parsedBody(diagram, { run: foldRun(events) })).slice(3)).toEqual([
      'rect rgb(200, 240, 200)',
      'P1->>P2: Start build (✔ passed, 1 min 05 s)',
      'activate P2',
      'end',
      'rect rgb(200, 240, 200)',
      'P1->>P1: Build locally (✔ passed, 1.5 s, 2 attempts)',
      'end',
      'rect rgb(200, 240, 200)',
      'P2-->>P1: Success (✔ passed, 1 ms)',
      'deactivate P2',
      'end',
      'rect rgb(255, 205, 205)',
      'P1-xP3: Push (✘ failed, 20 ms)',
      'end',
      'rect rgb(243, 243, 243)',
      'P3-->>P1: Success (○ not run)',
      'end',
    ]);
  });
});
