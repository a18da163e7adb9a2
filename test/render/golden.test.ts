// Golden files for the three seed diagrams, drawn without a run and with a journal fixture.
import { describe, expect, it } from 'vitest';
import { toMarkdownReport } from '../../src/render/markdown.ts';
import { toMermaid } from '../../src/render/mermaid.ts';
import { toSequence } from '../../src/render/sequence.ts';
import { SEEDS, SEED_JOURNALS, expectGolden, expectMermaidParses, journalRun, mermaidBlocks, seed } from './support.ts';

describe.each(SEEDS)('seed %s', (name) => {
  it('mermaid without a run matches its golden file and mermaid parses it', async () => {
    const { diagram } = await seed(name);
    const text = toMermaid(diagram);
    await expectMermaidParses(text);
    await expectGolden(`${name}.mmd`, text);
  });

  it('mermaid with its journal matches its golden file and mermaid parses it', async () => {
    const { diagram } = await seed(name);
    const text = toMermaid(diagram, { run: await journalRun(SEED_JOURNALS[name]) });
    await expectMermaidParses(text);
    await expectGolden(`${name}.run.mmd`, text);
  });

  it('sequence without a run is the seed file itself', async () => {
    const { diagram, source } = await seed(name);
    const text = toSequence(diagram);
    expect(text).toBe(source);
    await expectGolden(`${name}.seq`, text);
  });

  it('sequence with its journal marks every step and matches its golden file', async () => {
    const { diagram } = await seed(name);
    const text = toSequence(diagram, { run: await journalRun(SEED_JOURNALS[name]) });
    const stepLines = text.split('\n').filter((l) => l.includes(':'));
    expect(stepLines).toHaveLength(diagram.steps.length);
    for (const line of stepLines) expect(line).toMatch(/\((✔ passed|✘ failed|↷ skipped|○ not run|… running)[^)]*\)$/);
    await expectGolden(`${name}.run.seq`, text);
  });

  it('markdown without a run matches its golden file; its mermaid block parses', async () => {
    const { diagram, source } = await seed(name);
    const text = toMarkdownReport({ diagram, source });
    const blocks = mermaidBlocks(text);
    expect(blocks).toHaveLength(1);
    for (const block of blocks) await expectMermaidParses(block);
    await expectGolden(`${name}.md`, text);
  });

  it('markdown with its journal matches its golden file; its mermaid block parses', async () => {
    const { diagram, source } = await seed(name);
    const text = toMarkdownReport({ diagram, source, run: await journalRun(SEED_JOURNALS[name]) });
    const blocks = mermaidBlocks(text);
    expect(blocks).toHaveLength(1);
    for (const block of blocks) await expectMermaidParses(block);
    await expectGolden(`${name}.run.md`, text);
  });
});
