// The render stage's public API: pure renderers of a Diagram and a RunView, and the browser batch.
export { foldRun } from './run-view.ts';
export type { DrawnStatus, RunView, StepView } from './run-view.ts';
export { toMermaid } from './mermaid.ts';
export type { MermaidOptions } from './mermaid.ts';
export { toSequence } from './sequence.ts';
export { toMarkdownReport } from './markdown.ts';
export { toHtmlReport } from './html.ts';
export type { HtmlReportInput } from './html.ts';
export { render } from './render.ts';
export { FORMATS } from './formats.ts';
export type { RenderFormat, RenderResult, RenderTarget, RenderedOutput } from './formats.ts';
export { findChromium } from './browser.ts';
