// Mermaid input drawn in the real browser (needs the system Chromium, as browser.needs-chromium.test.ts):
// a diagram with nested blocks and a run, and the seed's mermaid twin with its journal.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../src/render/render.ts';
import { STATUS_RGB } from '../../src/render/text.ts';
import { parseText } from '../../src/syntax/index.ts';
import { ROOT, SEED_JOURNALS, journalRun } from './support.ts';

const env = { SEQRUN_CHROMIUM: process.env['SEQRUN_CHROMIUM'] };

const BLOCKS = [
  'sequenceDiagram',
  '    participant A as Pay CI',
  '    A->>+B: Trigger build',
  '    loop every build',
  '        alt tests pass',
  '            B-->>-A: Success',
  '        else',
  '            Note over A,B: retry',
  '        end',
  '    end',
  '',
].join('\n');

async function mermaidTarget(text: string, file: string, journal: string) {
  const diagram = parseText(text, { file }).diagrams[0];
  if (!diagram) throw new Error(`${file} does not read`);
  return { diagram, source: text, run: await journalRun(journal) };
}

describe('mermaid input in the real browser (needs Chromium)', () => {
  it('draws blocks with a run inside them, and the seed twin with its failed step crossed', async () => {
    const interim = await readFile(join(ROOT, 'specs/interim.mmd'), 'utf8');
    const targets = [
      await mermaidTarget(BLOCKS, 'blocks.mmd', SEED_JOURNALS.current),
      await mermaidTarget(interim, 'specs/interim.mmd', SEED_JOURNALS.interim),
    ];
    const { outputs, problems } = await render(targets, 'svg', { env });
    expect(problems).toEqual([]);
    const [blocks, seed] = outputs.map((o) => String(o.content));
    expect(blocks?.startsWith('<svg')).toBe(true);
    for (const label of ['loop', 'every build', 'alt', 'tests pass', 'Trigger build (✔ passed', 'retry (✔ passed'])
      expect(blocks).toContain(label);
    expect(blocks).toContain(`fill="rgb(${STATUS_RGB.passed.join(', ')})"`);
    expect(seed).toContain(`fill="rgb(${STATUS_RGB.failed.join(', ')})"`);
    expect(seed).toMatch(/marker-end="url\([^)]*crosshead\)"/);
  });
});
