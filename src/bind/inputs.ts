// Declared inputs: the run variables (`--var NAME=VALUE`) a project's processes take, with what each
// means, whether it is required, the shape of its value, a default, and whether it is secret. A run
// whose inputs do not hold refuses to start (exit 2) and records nothing.

export interface InputDeclaration {
  /** What the input is, for `seqrun plan` and for the error when it is missing. */
  readonly description?: string;
  /** A run without it (and without a default) refuses to start. */
  readonly required?: boolean;
  /** A regular expression the whole value must match (anchored: `\d+` means digits only). */
  readonly pattern?: string;
  /** The value when `--var` does not give one. */
  readonly default?: string;
  /** Masked wherever it appears, like the variables whose names look secret. */
  readonly secret?: boolean;
}

const KEYS: readonly (keyof InputDeclaration)[] = ['description', 'required', 'pattern', 'default', 'secret'];

export interface InputProblem {
  /** The key the problem is written at (for the line in the config file). */
  readonly key: string;
  readonly message: string;
  readonly hint: string;
}

const EXAMPLE = "Write vars: { release: { description: 'the release number', required: true, pattern: '\\\\d+' } }.";

function declarationProblems(name: string, value: unknown, where: string): InputProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ key: name, message: `vars.${name} in ${where} must be an object.`, hint: EXAMPLE }];
  }
  const problems: InputProblem[] = [];
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(KEYS as readonly string[]).includes(key))
      problems.push({ key, message: `Unknown key '${key}' in vars.${name} in ${where}.`, hint: `Known keys: ${KEYS.join(', ')}.` });
  }
  for (const key of ['description', 'pattern', 'default'] as const) {
    if (record[key] !== undefined && typeof record[key] !== 'string')
      problems.push({ key, message: `vars.${name}.${key} in ${where} must be a string.`, hint: EXAMPLE });
  }
  for (const key of ['required', 'secret'] as const) {
    if (record[key] !== undefined && typeof record[key] !== 'boolean')
      problems.push({ key, message: `vars.${name}.${key} in ${where} must be true or false.`, hint: EXAMPLE });
  }
  if (typeof record['pattern'] === 'string') {
    try {
      new RegExp(record['pattern']);
    } catch (error) {
      problems.push({
        key: 'pattern',
        message: `vars.${name}.pattern in ${where} is not a regular expression: ${(error as Error).message}.`,
        hint: EXAMPLE,
      });
    }
  }
  const fallback = record['default'];
  if (
    typeof fallback === 'string' &&
    typeof record['pattern'] === 'string' &&
    problems.length === 0 &&
    !matches(record['pattern'], fallback)
  ) {
    problems.push({
      key: 'default',
      message: `vars.${name}.default ${JSON.stringify(fallback)} in ${where} does not match its pattern /${record['pattern']}/.`,
      hint: 'Fix the default or the pattern.',
    });
  }
  return problems;
}

/** What is wrong with a config's `vars` section, if anything. */
export function inputsProblems(value: unknown, where: string): InputProblem[] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return [{ key: 'vars', message: `'vars' in ${where} must be an object.`, hint: EXAMPLE }];
  return Object.entries(value).flatMap(([name, declaration]) => declarationProblems(name, declaration, where));
}

const matches = (pattern: string, value: string): boolean => new RegExp(`^(?:${pattern})$`).test(value);

/**
 * A run's variables against the declared inputs: defaults filled in, and one sentence per input that
 * is missing or malformed (a secret input's value is never quoted).
 */
export function applyInputs(
  declared: Readonly<Record<string, InputDeclaration>>,
  given: Readonly<Record<string, string>>,
): { readonly vars: Record<string, string>; readonly problems: string[] } {
  const vars = { ...given };
  const problems: string[] = [];
  for (const [name, input] of Object.entries(declared)) {
    const value = vars[name] ?? input.default;
    const about = input.description ? ` (${input.description})` : '';
    if (value === undefined) {
      if (input.required) problems.push(`the input '${name}'${about} is required: give it with --var ${name}=...`);
      continue;
    }
    vars[name] = value;
    if (input.pattern !== undefined && !matches(input.pattern, value)) {
      const shown = input.secret ? 'its value' : JSON.stringify(value);
      problems.push(`the input '${name}'${about}: ${shown} does not match /${input.pattern}/`);
    }
  }
  return { vars, problems };
}

/** The names of the inputs declared secret, for redaction. */
export const secretInputs = (declared: Readonly<Record<string, InputDeclaration>>): string[] =>
  Object.entries(declared)
    .filter(([, input]) => input.secret === true)
    .map(([name]) => name);

/** What of a config says how a run takes its variables: the declared inputs, and the names declared secret. */
export interface VarsConfig {
  readonly secrets: readonly string[];
  readonly vars: Readonly<Record<string, InputDeclaration>>;
}

/** The names whose values a run masks by the config's word, whatever they look like: its `secrets` and its secret inputs. */
export const declaredSecrets = (config: VarsConfig): string[] => [...new Set([...config.secrets, ...secretInputs(config.vars)])];
