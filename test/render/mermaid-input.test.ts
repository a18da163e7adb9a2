// Rendering mermaid input: to mermaid (itself, and with a run's status), to js-sequence where it has no
// blocks (a clear error naming the first block where it has), to Markdown, and `render --in-place` on
// ```mermaid fences. The seeds' .mmd twins must draw as their .seq originals do.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Diagram } from '../../src/ast/types.ts';
import type { Io } from '../../src/cli/io.ts';
import spec from '../../src/cli/commands/render.ts';
import { toMarkdownReport } from '../../src/render/markdown.ts';
import { toMermaid } from '../../src/render/mermaid.ts';
import { toSequence } from '../../src/render/sequence.ts';
import { parseText } from '../../src/syntax/index.ts';
import { ROOT, SEEDS, SEED_JOURNALS, expectGolden, expectMermaidParses, journalRun, mermaidBlocks } from './support.ts';

async function mermaidSeed(name: string): Promise<{ diagram: Diagram; source: string }> {
  const file = `specs/${name}.mmd`;
  const source = await readFile(join(ROOT, file), 'utf8');
  const result = parseText(source, { file });
  const diagram = result.diagrams[0];
  if (!diagram || result.diagnostics.length > 0) throw new Error(`${file} does not read clean`);
  return { diagram, source };
}

const BLOCKS = [
  'sequenceDiagram',
  '    participant A as Pay CI',
  '    A->>+B: Trigger build #59; then wait',
  '    loop every build',
  '        alt tests pass',
  '            B-->>-A: Success',
  '        else',
  '            Note over A,B: retry',
  '        end',
  '    end',
  '',
].join('\n');

function blocksDiagram(): Diagram {
  const diagram = parseText(BLOCKS, { file: 'blocks.mmd' }).diagrams[0];
  if (!diagram) throw new Error('blocks.mmd does not read');
  return diagram;
}

describe.each(SEEDS)('mermaid seed %s', (name) => {
  it('renders to mermaid as its own canonical text', async () => {
    const { diagram, source } = await mermaidSeed(name);
    expect(toMermaid(diagram)).toBe(source);
  });

  it('with its journal: a status rect, mark and cross per step, matching its golden file; mermaid parses it', async () => {
    const { diagram } = await mermaidSeed(name);
    const text = toMermaid(diagram, { run: await journalRun(SEED_JOURNALS[name]) });
    await expectMermaidParses(text);
    expect(text.match(/^ {4}rect rgb/gm)).toHaveLength(diagram.steps.length);
    await expectGolden(`${name}.mermaid-input.run.mmd`, text);
  });

  it('renders to js-sequence as the .seq it was converted from, with and without its journal', async () => {
    const { diagram } = await mermaidSeed(name);
    expect(toSequence(diagram)).toBe(await readFile(join(ROOT, `specs/${name}.seq`), 'utf8'));
    const run = await journalRun(SEED_JOURNALS[name]);
    expect(toSequence(diagram, { run })).toBe(await readFile(join(ROOT, `test/fixtures/render/golden/${name}.run.seq`), 'utf8'));
  });
});

describe('a mermaid diagram with blocks', () => {
  it('renders to mermaid with its blocks, activations and escapes kept', async () => {
    const text = toMermaid(blocksDiagram());
    expect(text).toBe(BLOCKS);
    await expectMermaidParses(text);
  });

  it('draws a run inside its blocks', async () => {
    const text = toMermaid(blocksDiagram(), { run: await journalRun(SEED_JOURNALS.current) });
    await expectMermaidParses(text);
    await expectGolden('blocks.mermaid-input.run.mmd', text);
  });

  it('a Markdown report holds the mermaid diagram with its blocks', async () => {
    const blocks = mermaidBlocks(toMarkdownReport({ diagram: blocksDiagram(), source: BLOCKS }));
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toContain('    loop every build\n        alt tests pass\n');
    for (const block of blocks) await expectMermaidParses(block);
  });
});

describe('seqrun render on mermaid input (command)', () => {
  let dir: string;
  let out = '';
  let err = '';
  const io = (): Io => ({
    cwd: dir,
    env: {},
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    isTTY: false,
    verbose: false,
  });
  const DOC = `# Release\n\n\`\`\`mermaid\n${BLOCKS}\`\`\`\n\n\`\`\`mermaid\nflowchart LR\n  a-->b\n\`\`\`\n`;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seqrun-render-mermaid-'));
    out = '';
    err = '';
    await writeFile(join(dir, 'doc.md'), DOC);
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('refuses js-sequence for a diagram with blocks, naming the first block and what to do', async () => {
    expect(await spec.run({ input: 'doc.md', inPlace: false, format: 'sequence' }, io())).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(
      "seqrun render: doc.md:7:5: this mermaid diagram (doc.md#release) has a 'loop' block, and js-sequence has no blocks; " +
        'render it as mermaid, markdown, html, svg or png instead',
    );
  });

  it('renders the fence to mermaid; the flowchart fence is not a diagram of seqrun', async () => {
    expect(await spec.run({ input: 'doc.md', inPlace: false, format: 'mermaid' }, io())).toBe(0);
    expect(out).toBe(BLOCKS);
  });

  it('renders an HTML report of the fence; without a browser it shows the mermaid source with its blocks, escaped', async () => {
    const code = await spec.run({ input: 'doc.md', inPlace: false, format: 'html', chromium: join(dir, 'no-chromium') }, io());
    expect(code).toBe(0);
    expect(out).toContain('<pre class="mermaid-source">sequenceDiagram\n    participant A as Pay CI\n');
    expect(out).toContain('    A-&#62;&#62;+B: Trigger build #59; then wait\n    loop every build\n');
  });

  it('--in-place adds the status section under the mermaid fence only', async () => {
    expect(await spec.run({ input: 'doc.md', inPlace: true, chromium: join(dir, 'no-chromium') }, io())).toBe(0);
    const updated = await readFile(join(dir, 'doc.md'), 'utf8');
    expect(updated).toBe(
      DOC.replace(
        '    end\n```\n',
        '    end\n```\n<!-- seqrun:status begin (generated by `seqrun render --in-place`; edits here are overwritten) -->\n' +
          '**Last run:** none recorded yet (`seqrun run doc.md#release`).\n<!-- seqrun:status end -->\n',
      ),
    );
  });
});
