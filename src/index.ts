// The public API of seqrun: the handler-facing API (./authoring.ts) plus parse, check, run and render.
export * from './authoring.ts';
export type * from './ast/types.ts';
export type * from './diagnostics/types.ts';
export type * from './bind/types.ts';
export type * from './run/events.ts';
export { formatDiagram, formatSource, loadDiagrams, parseFile, parseSource, parseText, selectDiagram } from './syntax/index.ts';
export type { ParseResult } from './syntax/index.ts';
export { renderDiagnostic } from './diagnostics/index.ts';
export { bind, createRegistry, loadProject, unusedHandlers } from './bind/index.ts';
export type { Project, Registry, ResolvedConfig } from './bind/index.ts';
export { FORMATS, findChromium, foldRun, render, toHtmlReport, toMarkdownReport, toMermaid, toSequence } from './render/index.ts';
export type { DrawnStatus, RenderFormat, RenderResult, RenderTarget, RenderedOutput, RunView, StepView } from './render/index.ts';
export { runPlan } from './run/executor.ts';
export type { ResumePoint, RunOptions, RunOutcome } from './run/types.ts';
export { startSandbox, stopSandbox } from './sandbox/index.ts';
export type { SandboxOptions } from './sandbox/index.ts';
