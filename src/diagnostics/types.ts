// Diagnostics are values. Only the CLI turns them into output and exit codes.
import type { Span } from '../ast/types.ts';
import type { DiagnosticCode } from './catalogue.ts';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Stable code from the catalogue, e.g. `SEQ101`. */
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** What to do about it, in one sentence. */
  readonly hint?: string;
  readonly file: string;
  /** Null only for problems that have no place in a file (e.g. a missing file). */
  readonly span: Span | null;
}
