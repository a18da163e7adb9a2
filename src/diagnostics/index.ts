// Diagnostics: the value types, the code catalogue and the code-frame renderer.
export type { Diagnostic, Severity } from './types.ts';
export { CATALOGUE } from './catalogue.ts';
export type { CatalogueEntry, DiagnosticCode } from './catalogue.ts';
export { renderDiagnostic } from './frame.ts';
export type { RenderOptions } from './frame.ts';
