// The formats that are text computed from each target alone: no browser, no I/O.
import type { RenderTarget, RenderedOutput, Renderer } from './formats.ts';
import { toMarkdownReport } from './markdown.ts';
import { toMermaid } from './mermaid.ts';
import { outputNames } from './output-names.ts';
import { sequenceProblem, toSequence } from './sequence.ts';

/** A text format: `write` gives the text, or a sentence saying why this target cannot be written in it. */
function textFormat(write: (target: RenderTarget) => string | { readonly problem: string }): Renderer {
  return (targets) => {
    const names = outputNames(targets.map((t) => t.diagram));
    const outputs: RenderedOutput[] = [];
    const problems: string[] = [];
    targets.forEach((t, i) => {
      const content = write(t);
      if (typeof content === 'string') outputs.push({ name: names[i] ?? `diagram-${i + 1}`, content });
      else problems.push(content.problem);
    });
    return Promise.resolve({ outputs, problems });
  };
}

export const renderMermaid = textFormat((t) => toMermaid(t.diagram, { run: t.run }));
export const renderSequence = textFormat((t) => sequenceProblem(t.diagram) ?? toSequence(t.diagram, { run: t.run }));
export const renderMarkdown = textFormat((t) => toMarkdownReport(t));
