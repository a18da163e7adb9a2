// One entry point for every format: the format's row in the table loads its renderer.
import type { BrowserOptions } from './browser.ts';
import type { RenderFormat, RenderResult, RenderTarget } from './formats.ts';
import { RENDER_FORMATS } from './formats.ts';

/** Renders every target in `format`; SVG, PNG and HTML share one browser for the whole batch. */
export async function render(targets: readonly RenderTarget[], format: RenderFormat, options: BrowserOptions = {}): Promise<RenderResult> {
  const renderer = await RENDER_FORMATS[format].load();
  return renderer(targets, options);
}
