// Diagnostics: the value types, the code catalogue, code frames and the text renderers.
export type { Diagnostic, Severity } from './types.ts';
export { CATALOGUE } from './catalogue.ts';
export type { CatalogueEntry, DiagnosticCode } from './catalogue.ts';
export { renderDiagnostic } from './frame.ts';
export type { RenderOptions } from './frame.ts';
export { renderDiagnostics } from './list.ts';
export type { ListOptions } from './list.ts';
export { codeFrame } from './code-frame.ts';
export type { FrameAt, FrameOptions } from './code-frame.ts';
export { escapeControls } from './escape.ts';
export { LineIndex } from './lines.ts';
