// How many diagnostics of one file are shown unless `--max-errors` says otherwise: a broken or hostile
// file prints a bounded amount, then a count of the rest.
export const DEFAULT_MAX_ERRORS = 100;

/** The per-file limit `--max-errors` asks for: 0 (or a negative number) shows all; unset is the default. */
export function errorLimit(maxErrors: number | undefined): number {
  if (maxErrors === undefined || Number.isNaN(maxErrors)) return DEFAULT_MAX_ERRORS;
  return Math.max(0, Math.floor(maxErrors));
}
