// `npm run bench -- render`: 30 diagrams to SVG in one browser session (one Chromium, one page, mermaid's
// bundle loaded once) against the named baseline of one browser launch per diagram, which is how
// mermaid's CLI is used in a loop. Both are timed end to end, browser start included, in one process.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import type { Diagram } from '../../src/ast/types.ts';
import { findChromium } from '../../src/render/browser.ts';
import type { RenderTarget } from '../../src/render/formats.ts';
import { render } from '../../src/render/render.ts';
import { foldRun } from '../../src/render/run-view.ts';
import { parseJournal } from '../../src/run/journal-file.ts';
import { parseFile } from '../../src/syntax/index.ts';

const COUNT = 30;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SEEDS = [
  ['current', 'current-passed'],
  ['interim', 'interim-failed'],
  ['final', 'final-interrupted'],
] as const;

/** The three seeds with their journal fixtures, each step's text numbered so that all 30 differ. */
async function targets(): Promise<RenderTarget[]> {
  const seeds = await Promise.all(
    SEEDS.map(async ([name, journal]) => {
      const diagram = (await parseFile(`${ROOT}specs/${name}.seq`)).diagrams[0];
      if (!diagram) throw new Error(`specs/${name}.seq does not parse`);
      const run = foldRun(parseJournal(await readFile(`${ROOT}test/fixtures/render/${journal}.journal.ndjson`, 'utf8')).events);
      return { diagram, run };
    }),
  );
  return Array.from({ length: COUNT }, (_, i) => {
    const seed = seeds[i % seeds.length];
    if (!seed) throw new Error('no seed');
    const steps = seed.diagram.steps.map((s) => ({ ...s, text: `${s.text} [${i + 1}]` }));
    const diagram: Diagram = { ...seed.diagram, steps, statements: steps, file: `bench-${i + 1}.seq` };
    return { diagram, run: seed.run, source: null };
  });
}

async function timed(work: () => Promise<number>): Promise<{ ms: number; drawn: number }> {
  const t0 = performance.now();
  const drawn = await work();
  return { ms: performance.now() - t0, drawn };
}

export default async function bench(): Promise<void> {
  const chromium = await findChromium({ env: process.env });
  if (!chromium.found) {
    console.log(chromium.message);
    return;
  }
  const batch = await targets();
  const options = { chromiumPath: chromium.path };
  const drawnIn = async (list: readonly RenderTarget[]): Promise<number> => {
    const result = await render(list, 'svg', options);
    if (result.problems.length > 0) throw new Error(result.problems.join('\n'));
    return result.outputs.length;
  };
  await drawnIn(batch.slice(0, 1)); // warm the disk cache for Chromium and the mermaid bundle
  const session = await timed(() => drawnIn(batch));
  const perLaunch = await timed(async () => {
    let drawn = 0;
    for (const target of batch) drawn += await drawnIn([target]);
    return drawn;
  });
  if (session.drawn !== COUNT || perLaunch.drawn !== COUNT) throw new Error(`drew ${session.drawn} and ${perLaunch.drawn} of ${COUNT}`);
  console.log(`Chromium: ${chromium.path}`);
  console.log('| mode | diagrams | total ms | ms per diagram |');
  console.log('|---|---:|---:|---:|');
  console.log(`| one browser session (seqrun) | ${COUNT} | ${session.ms.toFixed(0)} | ${(session.ms / COUNT).toFixed(0)} |`);
  console.log(
    `| one browser launch per diagram (baseline) | ${COUNT} | ${perLaunch.ms.toFixed(0)} | ${(perLaunch.ms / COUNT).toFixed(0)} |`,
  );
  const ratio = perLaunch.ms / session.ms;
  console.log(`\nratio: ${ratio.toFixed(1)}x faster in one session (goal >= 5x: ${ratio >= 5 ? 'met' : 'NOT met'})`);
}
