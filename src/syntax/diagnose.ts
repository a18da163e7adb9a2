// Diagnostic values for the syntax layer, built from the catalogue.
import type { Span } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { CATALOGUE } from '../diagnostics/catalogue.ts';
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';

export function diagnostic(code: DiagnosticCode, message: string, file: string, span: Span | null, hint?: string): Diagnostic {
  const entry = CATALOGUE[code];
  return { code, severity: entry.severity, message, hint: hint ?? entry.hint, file, span };
}
