// The render formats: one table, checked by the compiler (a new name needs its row, a row needs its name).
// Loading this module imports no renderer, so the CLI's `--help` stays light; a row loads its renderer
// when the format is used.
import type { Diagram } from '../ast/types.ts';
import type { BrowserOptions } from './browser.ts';
import type { RunView } from './run-view.ts';

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

/** Renders a batch of targets in one format. */
export type Renderer = (targets: readonly RenderTarget[], options: BrowserOptions) => Promise<RenderResult>;

export interface RenderFormatEntry {
  /** The file extension of an output written into a folder. */
  readonly extension: string;
  /** Bytes, not text: never printed to a terminal. */
  readonly binary: boolean;
  /** The comment line that names each of several diagrams printed one after another, or null. */
  readonly nameLine: ((name: string) => string) | null;
  readonly load: () => Promise<Renderer>;
}

export const FORMATS = ['mermaid', 'sequence', 'markdown', 'html', 'svg', 'png'] as const;
export type RenderFormat = (typeof FORMATS)[number];

export const RENDER_FORMATS: Readonly<Record<RenderFormat, RenderFormatEntry>> = {
  mermaid: {
    extension: '.mmd',
    binary: false,
    nameLine: (name) => `%% ${name}\n`,
    load: async () => (await import('./text-formats.ts')).renderMermaid,
  },
  sequence: {
    extension: '.seq',
    binary: false,
    nameLine: (name) => `# ${name}\n`,
    load: async () => (await import('./text-formats.ts')).renderSequence,
  },
  markdown: { extension: '.md', binary: false, nameLine: null, load: async () => (await import('./text-formats.ts')).renderMarkdown },
  html: { extension: '.html', binary: false, nameLine: null, load: async () => (await import('./drawings.ts')).renderHtml },
  svg: { extension: '.svg', binary: false, nameLine: null, load: async () => (await import('./drawings.ts')).renderSvg },
  png: { extension: '.png', binary: true, nameLine: null, load: async () => (await import('./drawings.ts')).renderPng },
};
