// The `--max-errors` option, and the one way diagnostics are printed (src/app/show-diagnostics.ts),
// for the commands.
import { DEFAULT_MAX_ERRORS } from '../diagnostics/limits.ts';

export { showDiagnostics, type ShowOptions } from '../app/show-diagnostics.ts';

/** The `--max-errors` option every command that prints diagnostics takes. */
export const MAX_ERRORS_OPTION = {
  type: 'number',
  default: DEFAULT_MAX_ERRORS,
  describe: 'Diagnostics shown per file (then a count of the rest); 0 shows all',
} as const;
