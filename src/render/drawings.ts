// The formats mermaid draws in a headless browser: SVG, PNG and the HTML report, one browser per batch.
import type { BrowserOptions, DiagramBrowser } from './browser.ts';
import { findChromium, openDiagramBrowser } from './browser.ts';
import type { RenderTarget, RenderedOutput, RenderResult, Renderer } from './formats.ts';
import { toHtmlReport } from './html.ts';
import { toMermaid } from './mermaid.ts';
import { outputNames } from './output-names.ts';

async function withBrowser<T>(options: BrowserOptions, use: (browser: DiagramBrowser) => Promise<T>): Promise<T | { missing: string }> {
  const chromium = await findChromium(options);
  if (!chromium.found) return { missing: chromium.message };
  let browser: DiagramBrowser;
  try {
    browser = await openDiagramBrowser(chromium.path);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      missing: `Chromium at ${chromium.path} did not start (${reason}); check it runs with \`${chromium.path} --headless --no-sandbox\`, or set SEQRUN_CHROMIUM.`,
    };
  }
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
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
    return svgs.map((s): Drawing =>
      s.ok ? { svg: s.svg, png: shots[next++] ?? null, error: null } : { svg: null, png: null, error: s.error },
    );
  });
}

/** Draws every target in one browser; HTML reports without a browser show the mermaid source instead. */
async function drawnFormat(
  targets: readonly RenderTarget[],
  format: 'svg' | 'png' | 'html',
  options: BrowserOptions,
): Promise<RenderResult> {
  if (targets.length === 0) return { outputs: [], problems: [] };
  const names = outputNames(targets.map((t) => t.diagram));
  const drawings = await draw(
    targets.map((t) => toMermaid(t.diagram, { run: t.run })),
    format === 'png',
    options,
  );
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

export const renderSvg: Renderer = (targets, options) => drawnFormat(targets, 'svg', options);
export const renderPng: Renderer = (targets, options) => drawnFormat(targets, 'png', options);
export const renderHtml: Renderer = (targets, options) => drawnFormat(targets, 'html', options);
