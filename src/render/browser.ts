// Mermaid in a real headless browser: the system Chromium driven by playwright-core. One browser and
// one page render a whole batch; mermaid's bundle is loaded once per page.
import { access, constants, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** Chromium is started with exactly these flags (plus the pipe playwright talks over and a fresh profile). */
export const LAUNCH_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface BrowserOptions {
  /** Chromium executable; else `SEQRUN_CHROMIUM` from `env`, else /usr/bin/chromium. */
  readonly chromiumPath?: string | null;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type ChromiumLookup = { readonly found: true; readonly path: string } | { readonly found: false; readonly message: string };

export async function findChromium(options: BrowserOptions = {}): Promise<ChromiumLookup> {
  const fromEnv = options.env?.['SEQRUN_CHROMIUM'];
  const path = options.chromiumPath || fromEnv || DEFAULT_CHROMIUM;
  try {
    await access(path, constants.X_OK);
    return { found: true, path };
  } catch {
    const source = options.chromiumPath ? '--chromium' : fromEnv ? 'SEQRUN_CHROMIUM' : 'the default path';
    return {
      found: false,
      message:
        `No Chromium found at ${path} (${source}). SVG and PNG need a headless browser: install one with ` +
        '`sudo apt-get install chromium` (Debian/Ubuntu), or point SEQRUN_CHROMIUM or --chromium at a Chromium executable. ' +
        'The mermaid, sequence, markdown and html formats work without it.',
    };
  }
}

export function mermaidBundlePath(): string {
  return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
}

/** The outcome of one diagram in a batch: SVG text, or mermaid's error message. */
export type SvgResult = { readonly ok: true; readonly svg: string } | { readonly ok: false; readonly error: string };

export interface DiagramBrowser {
  renderSvg(sources: readonly string[]): Promise<SvgResult[]>;
  /** PNG screenshots of SVGs rendered by `renderSvg`. */
  renderPng(svgs: readonly string[]): Promise<Buffer[]>;
  close(): Promise<void>;
}

async function renderInPage(page: Page, sources: readonly string[]): Promise<SvgResult[]> {
  return page.evaluate(async (batch) => {
    type Mermaid = { initialize(c: object): void; render(id: string, text: string): Promise<{ svg: string }> };
    const mermaid = (globalThis as unknown as { mermaid: Mermaid }).mermaid;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
    const results: ({ ok: true; svg: string } | { ok: false; error: string })[] = [];
    for (const [i, text] of batch.entries()) {
      try {
        results.push({ ok: true, svg: (await mermaid.render(`seqrun-diagram-${i + 1}`, text)).svg });
      } catch (error) {
        results.push({ ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  }, sources);
}

async function screenshot(page: Page, svg: string): Promise<Buffer> {
  await page.evaluate((markup) => {
    const holder = document.getElementById('seqrun-png') ?? document.body.appendChild(document.createElement('div'));
    holder.id = 'seqrun-png';
    holder.style.display = 'inline-block';
    holder.style.background = 'white';
    // The SVG came from mermaid (strict) in this page; it is parsed, not executed (no scripts in SVG).
    holder.innerHTML = markup;
    const drawn = holder.querySelector('svg');
    const box = drawn?.viewBox.baseVal;
    if (drawn && box) drawn.setAttribute('width', String(box.width));
  }, svg);
  return page.locator('#seqrun-png').screenshot({ type: 'png' });
}

export interface LaunchedChromium {
  readonly browser: Browser;
  /** Closes the browser and removes its temporary profile. */
  close(): Promise<void>;
}

/** Starts Chromium with exactly LAUNCH_ARGS, a fresh temporary profile, and the pipe playwright talks over. */
export async function launchChromium(executablePath: string): Promise<LaunchedChromium> {
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'seqrun-chromium-'));
  const removeProfile = (): Promise<void> => rm(profile, { recursive: true, force: true });
  try {
    const browser = await chromium.launch({
      executablePath,
      ignoreDefaultArgs: true,
      args: [...LAUNCH_ARGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`],
    });
    return {
      browser,
      close: async () => {
        await browser.close();
        await removeProfile();
      },
    };
  } catch (error) {
    await removeProfile();
    throw error;
  }
}

/** Starts Chromium and opens a page with mermaid's bundle loaded once for the whole batch. */
export async function openDiagramBrowser(executablePath: string): Promise<DiagramBrowser> {
  const launched = await launchChromium(executablePath);
  try {
    const page = await launched.browser.newPage({ deviceScaleFactor: 2 });
    await page.addScriptTag({ path: mermaidBundlePath() });
    return {
      renderSvg: (sources) => renderInPage(page, sources),
      renderPng: async (svgs) => {
        const out: Buffer[] = [];
        for (const svg of svgs) out.push(await screenshot(page, svg));
        return out;
      },
      close: () => launched.close(),
    };
  } catch (error) {
    await launched.close().catch(() => undefined);
    throw error;
  }
}
