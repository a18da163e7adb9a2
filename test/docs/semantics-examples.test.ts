// docs/semantics.md explains every mermaid block and arrow with a diagram and its run; this keeps
// each example's diagram, bindings, printed run and drawn run what examples/semantics does today.
// After a deliberate change: UPDATE_GOLDEN=1 vitest run -c .config/vitest.config.ts test/docs/semantics-examples.test.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectMermaidParses } from '../render/support.ts';
import { documentedExamples, EXAMPLES_DIR, regeneratedPage, runExample, SEMANTICS_PAGE } from './semantics-examples.ts';

const page = readFileSync(SEMANTICS_PAGE, 'utf8');

describe('docs/semantics.md, each block and arrow with its run', () => {
  it('has a region for every diagram of examples/semantics, and they say every block and arrow mermaid runs', () => {
    const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.mmd'));
    expect(documentedExamples(page).toSorted()).toEqual(files.toSorted());
    const said = files.map((f) => readFileSync(join(EXAMPLES_DIR, f), 'utf8')).join('\n');
    for (const written of ['par ', 'and ', 'loop ', 'alt ', 'else', 'opt ', 'critical ', 'option ', 'break ', '->>+', '-->>-'])
      expect(said).toContain(written);
    for (const written of ['activate AWS', 'deactivate AWS', '-)', 'CI-x', '--x', '<<->>']) expect(said).toContain(written);
  });

  it('shows each example as it runs now', async () => {
    const regenerated = await regeneratedPage(page);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(SEMANTICS_PAGE, regenerated);
    else expect(page).toBe(regenerated);
  });

  it("every example's diagram is one mermaid itself reads", async () => {
    for (const file of documentedExamples(page)) await expectMermaidParses(readFileSync(join(EXAMPLES_DIR, file), 'utf8'));
  });

  it('journals what the page says of the blocks: iteration ids, decisions, compensation, a break ending the run', async () => {
    const loop = await runExample('break-loop.mmd');
    const finished = loop.events.flatMap((e) => (e.type === 'step-finished' ? [`${e.stepId} ${e.status}`] : []));
    expect(finished).toEqual(['s0#1 passed', 's0#2 passed', 's1#2 passed', 's2 passed']);
    const top = await runExample('break-top.mmd');
    expect(top.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed', failedStepId: 'b0', reason: 'break: the release is frozen' });
    const critical = await runExample('critical.mmd');
    expect(critical.events.filter((e) => e.type === 'block')).toMatchObject([
      { blockId: 'b0', what: 'compensation', branch: 0, error: { message: '3 E2E tests failed' } },
      { blockId: 'b0', what: 'ended', status: 'compensated', branch: 0 },
    ]);
    expect(critical.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
  });
});
