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

/** One target as drawn by the browser: its SVG (and PNG), or mermaid's error. */
interface Drawing {
  readonly svg: string | null;
  readonly png: Uint8Array | null;
  readonly error: string | null;
}

async function draw(sources: readonly string[], withPng: boolean, options: BrowserOptions): Promise<Drawing[] | { missing: string }> {
  return withBrowser(options, async (browser) => {
    const svgs = await browser.renderSvg(sources);
    const drawn = svgs.flatMap((s) => (s.ok ? [s.svg] : []));
    const shots = withPng ? await browser.renderPng(drawn) : [];
    let next = 0;
    return svgs.map((s): Drawing => (s.ok ? { svg: s.svg, png: shots[next++] ?? null, error: null } : { svg: null, png: null, error: s.error }));
  });
}

/** Renders every target in `format`; SVG, PNG and HTML share one browser for the whole batch. */
export async function render(targets: readonly RenderTarget[], format: RenderFormat, options: BrowserOptions = {}): Promise<RenderResult> {
  if (format === 'mermaid' || format === 'sequence' || format === 'markdown') return { outputs: textOutputs(targets, format), problems: [] };
  if (targets.length === 0) return { outputs: [], problems: [] };
  const names = outputNames(targets.map((t) => t.diagram));
  const drawings = await draw(targets.map((t) => toMermaid(t.diagram, { run: t.run })), format === 'png', options);
  if ('missing' in drawings && format !== 'html') return { outputs: [], problems: [drawings.missing] };
  const problems = 'missing' in drawings ? [`${drawings.missing} The HTML report shows the mermaid source instead of a drawing.`] : [];
  const outputs: RenderedOutput[] = [];
  targets.forEach((t, i) => {
    const name = names[i] ?? `diagram-${i + 1}`;
    const drawing = 'missing' in drawings ? null : drawings[i];
    const failure = drawing?.error ? `mermaid could not draw it: ${drawing.error}` : null;
    if (failure) problems.push(`${t.diagram.file}${t.diagram.slug ? `#${t.diagram.slug}` : ''}: ${failure}`);
    if (format === 'html') {
      const reason = 'missing' in drawings ? drawings.missing : failure;
      outputs.push({ name, content: toHtmlReport({ ...t, svg: drawing?.svg ?? null, svgMissingReason: reason }) });
      return;
    }
    const content = format === 'svg' ? drawing?.svg : drawing?.png;
    if (content) outputs.push({ name, content });
  });
  return { outputs, problems };
}
