// The diagram `seqrun diff --format markdown` draws for a pull-request comment, read back by mermaid 11's
// own parser (the oracle of test/syntax/): accepted, with every step's text as written, its blocks kept,
// and one `rect` per marked step.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { markedMermaid } from '../../src/review/mermaid.ts';
import { parseText } from '../../src/syntax/index.ts';
import { mermaidRead } from '../syntax/mermaid-oracle.ts';
import { mermaidDrawnText } from '../syntax/mermaid-model.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SEED = ['specs/interim.seq', 'specs/final.seq', 'specs/release.mmd', 'specs/final.mmd'];
const HOSTILE =
  'A->B: end\nB-->A: %%{init: {"theme":"dark"}}%% #59; ; <b>x</b> "q"\nNote over A,B: loop\\nrect rgb(0,0,0)\nA->B: wrap: click A call alert()\n';

async function diagramOf(file: string, text?: string) {
  const result = parseText(text ?? (await readFile(`${repo}/${file}`, 'utf8')), { file });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const [diagram] = result.diagrams;
  if (!diagram) throw new Error(`no diagram in ${file}`);
  return diagram;
}

describe('the drawing of seqrun diff --format markdown, read by mermaid', () => {
  test.each([...SEED, 'hostile.seq'])('%s: accepted, texts as written, a rect around each marked step, blocks kept', async (file) => {
    const diagram = await diagramOf(file, file === 'hostile.seq' ? HOSTILE : undefined);
    const marks = new Map<number, 'added' | 'changed'>();
    diagram.steps.forEach((_, i) => {
      if (i % 3 < 2) marks.set(i, i % 3 === 0 ? 'added' : 'changed');
    });
    const drawing = markedMermaid(diagram, marks);
    const read = await mermaidRead(drawing);
    if (!read.ok) throw new Error(`mermaid rejects the drawing of ${file}: ${read.error}\n${drawing}`);
    const events = read.model.events;
    const texts = events.flatMap((e) => (e.kind === 'message' || e.kind === 'note' ? [mermaidDrawnText(e.text)] : []));
    expect(texts).toEqual(diagram.steps.map((s) => s.text.replace(/\\n/g, '\n')));
    const rects = events.filter((e) => e.kind === 'block' && e.block === 'rect').length;
    const authorsRects = (await readFile(`${repo}/${file}`, 'utf8').catch(() => HOSTILE)).match(/^\s*rect\b/gm)?.length ?? 0;
    expect(rects).toBe(marks.size + (file.endsWith('.mmd') ? authorsRects : 0));
    const blocks = (kind: string) => events.filter((e) => e.kind === 'block' && e.block === kind).length;
    if (file === 'specs/release.mmd') expect([blocks('loop'), blocks('par'), blocks('critical'), blocks('break')]).toEqual([1, 1, 1, 1]);
  });
});
