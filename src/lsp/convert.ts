// Between seqrun's values and the protocol's: 1-based lines and columns become 0-based positions,
// a part's relative spans move to the document, diagnostics keep check's code and message.
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Span } from '../ast/types.ts';
import type { SourceRef } from '../bind/types.ts';
import { escapeControls } from '../diagnostics/escape.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type Location, type Range } from 'vscode-languageserver';
import type { Part } from './document.ts';

/** A span as a protocol range; relative to `part` when given, and the file's start when null. */
export function rangeOf(span: Span | null, part?: Part): Range {
  const base = part?.line ?? 0;
  if (span === null) return { start: { line: base, character: 0 }, end: { line: base, character: 0 } };
  return {
    start: { line: span.start.line - 1 + base, character: Math.max(span.start.column - 1, 0) },
    end: { line: span.end.line - 1 + base, character: Math.max(span.end.column - 1, 0) },
  };
}

/** `check`'s diagnostic as the editor shows it: the same code and message, the hint on the lines after it. */
export function toLspDiagnostic(diagnostic: Diagnostic, part?: Part): LspDiagnostic {
  return {
    range: rangeOf(diagnostic.span, part),
    severity: diagnostic.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: diagnostic.code,
    source: 'seqrun',
    // Terminal editors print messages as they come: diagram text's control characters are shown escaped, as check does.
    message: escapeControls(diagnostic.hint === undefined ? diagnostic.message : `${diagnostic.message}\n${diagnostic.hint}`),
  };
}

export function uriOf(file: string): string {
  return pathToFileURL(file).href;
}

/** The file a document URI names; other schemes (an unsaved buffer) keep the URI as their name. */
export function fileOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** Where a handler was registered, as a location (a zero-width range at its line and column). */
export function sourceLocation(source: SourceRef): Location {
  const at = { line: Math.max(source.line - 1, 0), character: Math.max(source.column - 1, 0) };
  return { uri: uriOf(source.file), range: { start: at, end: at } };
}
