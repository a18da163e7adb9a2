// One entry point for every format: pure text formats directly, SVG/PNG/HTML through one browser batch.
import { basename, extname } from 'node:path';
import type { Diagram } from '../ast/types.ts';
import type { BrowserOptions, DiagramBrowser } from './browser.ts';
import { findChromium, openDiagramBrowser } from './browser.ts';
import { toHtmlReport } from './html.ts';
import { toMarkdownReport } from './markdown.ts';
import { toMermaid } from './mermaid.ts';
import type { RunView } from './run-view.ts';
import { toSequence } from './sequence.ts';

export const FORMATS = ['mermaid', 'sequence', 'markdown', 'html', 'svg', 'png'] as const;
export type RenderFormat = (typeof FORMATS)[number];

export const EXTENSIONS: Readonly<Record<RenderFormat, string>> = {
  mermaid: '.mmd',
  sequence: '.seq',
  markdown: '.md',
  html: '.html',
  svg: '.svg',
  png: '.png',
};

export interface RenderTarget {
  readonly diagram: Diagram;
  readonly run: RunView | null;
  /** The diagram file's text, for code frames in reports. */
  readonly source: string | null;
}

export interface RenderedOutput {
  /** A file name without extension, unique in the batch: `interim`, `deploy-to-test-final-candidate-release-process`. */
  readonly name: string;
  readonly content: string | Uint8Array;
}

export interface RenderResult {
  readonly outputs: readonly RenderedOutput[];
  /** Diagrams that could not be drawn, or why no browser was used; each a sentence for the user. */
  readonly problems: readonly string[];
}

export function outputNames(diagrams: readonly Diagram[]): string[] {
  const seen = new Map<string, number>();
  return diagrams.map((d) => {
    const base = basename(d.file, extname(d.file));
    const name = d.slug ? `${base}-${d.slug}` : base;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}-${count}`;
  });
}

async function withBrowser<T>(options: BrowserOptions, use: (browser: DiagramBrowser) => Promise<T>): Promise<T | { missing: string }> {
  const chromium = await findChromium(options);
  if (!chromium.found) return { missing: chromium.message };
  let browser: DiagramBrowser;
  try {
    browser = await openDiagramBrowser(chromium.path);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { missing: `Chromium at ${chromium.path} did not start (${reason}); check it runs with \`${chromium.path} --headless --no-sandbox\`, or set SEQRUN_CHROMIUM.` };
  }
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

function textOutputs(targets: readonly RenderTarget[], format: 'mermaid' | 'sequence' | 'markdown'): RenderedOutput[] {
  const names = outputNames(targets.map((t) => t.diagram));
  return targets.map((t, i) => {
    const content =
      format === 'mermaid' ? toMermaid(t.diagram, { run: t.run }) : format === 'sequence' ? toSequence(t.diagram, { run: t.run }) : toMarkdownReport(t);
    return { name: names[i] ?? `diagram-${i + 1}`, content };
  });
}

/** Renders every target in `format`; SVG, PNG and HTML share one browser for the whole batch. */
export async function render(targets: readonly RenderTarget[], format: RenderFormat, options: BrowserOptions = {}): Promise<RenderResult> {
  if (format === 'mermaid' || format === 'sequence' || format === 'markdown') return { outputs: textOutputs(targets, format), problems: [] };
  const names = outputNames(targets.map((t) => t.diagram));
  const sources = targets.map((t) => toMermaid(t.diagram, { run: t.run }));
  const drawn = await withBrowser(options, async (browser) => {
    const svgs = await browser.renderSvg(sources);
    const pngs = format === 'png' ? await browser.renderPng(svgs.map((s) => (s.ok ? s.svg : ''))) : [];
    return { svgs, pngs };
  });
  const problems: string[] = [];
  if ('missing' in drawn) {
    if (format !== 'html') return { outputs: [], problems: [drawn.missing] };
    problems.push(`${drawn.missing} The HTML report shows the mermaid source instead of a drawing.`);
  }
  const outputs: RenderedOutput[] = [];
  targets.forEach((t, i) => {
    const name = names[i] ?? `diagram-${i + 1}`;
    const result = 'missing' in drawn ? null : drawn.svgs[i];
    if (result && !result.ok) problems.push(`${t.diagram.file}${t.diagram.slug ? `#${t.diagram.slug}` : ''}: mermaid could not draw it: ${result.error}`);
    const svg = result?.ok ? result.svg : null;
    if (format === 'html') {
      const reason = 'missing' in drawn ? drawn.missing : result && !result.ok ? `mermaid could not draw it: ${result.error}` : null;
      outputs.push({ name, content: toHtmlReport({ ...t, svg, svgMissingReason: reason }) });
    } else if (svg !== null) {
      outputs.push({ name, content: format === 'svg' ? svg : ('missing' in drawn ? new Uint8Array() : (drawn.pngs[i] ?? new Uint8Array())) });
    }
  });
  return { outputs, problems };
}
