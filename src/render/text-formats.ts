// The formats that are text computed from each target alone: no browser, no I/O.
import type { RenderTarget, Renderer } from './formats.ts';
import { toMarkdownReport } from './markdown.ts';
import { toMermaid } from './mermaid.ts';
import { outputNames } from './output-names.ts';
import { toSequence } from './sequence.ts';

function textFormat(write: (target: RenderTarget) => string): Renderer {
  return (targets) => {
    const names = outputNames(targets.map((t) => t.diagram));
    const outputs = targets.map((t, i) => ({ name: names[i] ?? `diagram-${i + 1}`, content: write(t) }));
    return Promise.resolve({ outputs, problems: [] });
  };
}

export const renderMermaid = textFormat((t) => toMermaid(t.diagram, { run: t.run }));
export const renderSequence = textFormat((t) => toSequence(t.diagram, { run: t.run }));
export const renderMarkdown = textFormat((t) => toMarkdownReport(t));
