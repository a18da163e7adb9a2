// `seqrun/api`: seqrun as a library for programs: parse, bind/check, run, render and the sandbox, plus
// everything `seqrun` (the handler-facing API, ./index.ts) offers. Binding modules import `seqrun`,
// which loads in ~2 ms; this module loads the whole of seqrun.
export * from './index.ts';
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
