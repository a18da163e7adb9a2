// The syntax layer's public API: text in, immutable AST and diagnostics out. Never throws on input.
export { parseSource } from './parse.ts';
export { parseMermaidSource } from './mermaid/parse.ts';
export type { ParseResult } from './parse.ts';
export {
  isMermaidFile,
  parseFile,
  parseText,
  parseMarkdown,
  selectDiagram,
  loadDiagrams,
  readPath,
  splitSelector,
  unreadable,
} from './files.ts';
export type { FileRead } from './files.ts';
export { decodeSource, readSource, sourceForFrames } from './source-file.ts';
export type { SourceFile, SourceRead } from './source-file.ts';
export { diagnostic } from './diagnose.ts';
export { formatDiagram, formatSource } from './printer.ts';
export { parseResultJson, diagramJson, diagnosticJson } from './json.ts';
export type { JsonFile, JsonDiagram, JsonStep, JsonDiagnostic, JsonBlock, JsonActivation } from './json.ts';
export { slugify } from './markdown.ts';
