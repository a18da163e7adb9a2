// Real-browser tests: they need the system Chromium (/usr/bin/chromium or SEQRUN_CHROMIUM);
// `.ci/run` installs it. They draw with mermaid in the browser and load reports into it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchedChromium } from '../../src/render/browser.ts';
import { findChromium, launchChromium } from '../../src/render/browser.ts';
import { foldRun } from '../../src/render/run-view.ts';
import { render } from '../../src/render/render.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { STATUS_RGB } from '../../src/render/text.ts';
import { buildDiagram } from './build-diagram.ts';
import { toMermaid } from '../../src/render/mermaid.ts';
import { SEEDS, SEED_JOURNALS, expectMermaidParses, journalRun, seed } from './support.ts';

const env = { SEQRUN_CHROMIUM: process.env['SEQRUN_CHROMIUM'] };

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe('svg and png in the real browser (needs Chromium)', () => {
  it('draws all three seeds with their runs in one batch: every step text and the status colours are in the SVG', async () => {
    const targets = await Promise.all(SEEDS.map(async (name) => ({ ...(await seed(name)), run: await journalRun(SEED_JOURNALS[name]) })));
    const { outputs, problems } = await render(targets, 'svg', { env });
    expect(problems).toEqual([]);
    expect(outputs.map((o) => o.name)).toEqual(['current', 'interim', 'final']);
    outputs.forEach((output, i) => {
      const svg = decodeXml(String(output.content));
      const target = targets[i];
      if (!target) throw new Error('missing target');
      expect(svg.startsWith('<svg')).toBe(true);
      for (const step of target.diagram.steps) expect(svg).toContain(step.text);
    });
    const interim = String(outputs[1]?.content);
    for (const status of ['passed', 'failed', 'skipped'] as const)
      expect(interim).toContain(`fill="rgb(${STATUS_RGB[status].join(', ')})"`);
    expect(String(outputs[2]?.content)).toContain(`fill="rgb(${STATUS_RGB['not-run'].join(', ')})"`);
    expect(interim).toMatch(/marker-end="url\([^)]*crosshead\)"/);
    expect(interim).toContain('class="activation0"');
  });

  it('draws PNGs of the batch: real images with the diagram size', async () => {
    const targets = await Promise.all(SEEDS.map(async (name) => ({ ...(await seed(name)), run: null })));
    const { outputs, problems } = await render(targets, 'png', { env });
    expect(problems).toEqual([]);
    expect(outputs).toHaveLength(3);
    for (const output of outputs) {
      const png = output.content as Uint8Array;
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const { width, height } = pngSize(png);
      expect(width).toBeGreaterThan(400);
      expect(height).toBeGreaterThan(400);
    }
  });
});

const XSS = '<img src=x onerror=alert(1)>';

function hostileTarget() {
  const diagram = buildDiagram([
    { kind: 'participant', name: `CI ${XSS}`, alias: 'CI' },
    { kind: 'title', text: `Release ${XSS}` },
    { kind: 'message', from: 'CI', to: 'AWS', text: XSS },
    { kind: 'note', position: 'right', participants: ['AWS'], text: `<script>alert(2)</script>` },
  ]);
  const at = '2026-01-01T00:00:00.000Z';
  const base = { at, runId: `r-${XSS}` };
  const events: RunEvent[] = [
    { ...base, type: 'run-started', diagram: 'test.seq', diagramHash: 'x', title: null, vars: { NAME: XSS }, trigger: XSS, steps: [] },
    {
      ...base,
      type: 'step-finished',
      stepId: 's0',
      status: 'failed',
      attempt: 1,
      durationMs: 5,
      output: { link: `javascript:alert(3)`, note: XSS },
      error: { message: XSS },
    },
  ];
  return { diagram, run: foldRun(events), source: `participant ${XSS} as CI\n${XSS}\n` };
}

describe('html report against hostile text (needs Chromium)', () => {
  let chromium: LaunchedChromium;
  beforeAll(async () => {
    const found = await findChromium({ env });
    if (!found.found) throw new Error(found.message);
    chromium = await launchChromium(found.path);
  });
  afterAll(async () => chromium?.close());

  async function loadReport(html: string) {
    const page = await chromium.browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.setContent(html, { waitUntil: 'load' });
    const found = await page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('script').length,
      handlers: Array.from(document.querySelectorAll('*')).filter((el) => Array.from(el.attributes).some((a) => a.name.startsWith('on')))
        .length,
      javascriptLinks: Array.from(document.querySelectorAll('a')).filter((a) => a.href.startsWith('javascript:')).length,
      text: document.body.textContent ?? '',
      svgs: document.querySelectorAll('svg').length,
    }));
    await page.close();
    return { ...found, dialogs };
  }

  it.each([
    ['with the inline SVG from the browser', {}],
    ['with the mermaid source when no browser is found', { chromiumPath: '/nonexistent/chromium' }],
  ])('renders <img src=x onerror=alert(1)> as text, %s', async (_, options) => {
    const target = hostileTarget();
    await expectMermaidParses(toMermaid(target.diagram, { run: target.run }));
    const { outputs } = await render([target], 'html', { env, ...options });
    const html = String(outputs[0]?.content);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/href="javascript:/);
    const dom = await loadReport(html);
    expect(dom).toMatchObject({ images: 0, scripts: 0, handlers: 0, javascriptLinks: 0, dialogs: [] });
    expect(dom.svgs).toBe('chromiumPath' in options ? 0 : 1);
    expect(dom.text).toContain(XSS);
    expect(dom.text).toContain('<script>alert(2)</script>');
  });
});
