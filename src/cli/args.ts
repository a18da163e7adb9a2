// The command line: commands declare their positionals and options through a small builder shaped like
// yargs' (`y.positional(...).option(...)`), parsed with Node's own util.parseArgs. yargs did this
// before; loading it (string-width, cliui and 40 modules) cost ~60 ms of every start, twice a bare
// `node -e 0`, for a CLI of eight commands (docs/benchmarks.md, start-up).
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { suggest } from '../diagnostics/suggest.ts';
import { SeqrunError } from '../errors.ts';

export interface OptionSpec {
  readonly type?: 'string' | 'boolean' | 'number';
  readonly array?: boolean;
  readonly choices?: readonly string[];
  readonly default?: unknown;
  readonly alias?: string;
  readonly describe?: string;
  readonly demandOption?: boolean;
}

interface Declared extends OptionSpec {
  readonly name: string;
}

/** What a command's builder gets: declarations only, recorded for parsing and for --help. */
export interface Argv {
  option(name: string, spec: OptionSpec): Argv;
  positional(name: string, spec: OptionSpec): Argv;
}

export class Declarations implements Argv {
  readonly options: Declared[] = [];
  readonly positionals: Declared[] = [];
  option(name: string, spec: OptionSpec): Argv {
    this.options.push({ name, ...spec });
    return this;
  }
  positional(name: string, spec: OptionSpec): Argv {
    this.positionals.push({ name, ...spec });
    return this;
  }
}

/** A command line that cannot be run as written: exit 2, run nothing. */
export class UsageError extends SeqrunError {
  override readonly name = 'UsageError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'USAGE', options);
  }
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** `run <diagram>` / `check [paths..]`: the command word and its positional slots. */
export interface CommandShape {
  readonly word: string;
  readonly slots: readonly { name: string; required: boolean; variadic: boolean }[];
}

export function commandShape(template: string): CommandShape {
  const [word = '', ...rest] = template.split(/\s+/);
  const slots = rest.map((slot) => {
    const name = slot.slice(1, -1).replace(/\.\.$/, '');
    return { name, required: slot.startsWith('<'), variadic: slot.endsWith('..>') || slot.endsWith('..]') };
  });
  return { word, slots };
}

function parseConfig(declared: Declarations): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = { help: { type: 'boolean' }, verbose: { type: 'boolean' } };
  for (const o of declared.options) {
    config[o.name] = {
      type: o.type === 'boolean' ? 'boolean' : 'string',
      multiple: Boolean(o.array),
      ...(o.alias ? { short: o.alias } : {}),
    };
  }
  return config;
}

function coerce(option: Declared, value: unknown): unknown {
  const values = Array.isArray(value) ? value : [value];
  for (const v of values) {
    if (option.choices && !option.choices.includes(String(v))) {
      throw new UsageError(
        `Invalid value for --${option.name}: '${String(v)}' (choose from ${option.choices.map((c) => `'${c}'`).join(', ')})`,
      );
    }
  }
  if (option.type !== 'number') return value;
  const numbers = values.map((v) => Number(v));
  const bad = values.find((_v, i) => !Number.isFinite(numbers[i]));
  if (bad !== undefined) throw new UsageError(`--${option.name} needs a number, not '${String(bad)}'`);
  return option.array ? numbers : numbers[0];
}

function assignPositionals(shape: CommandShape, declared: Declarations, given: readonly string[], args: Record<string, unknown>): void {
  let index = 0;
  for (const slot of shape.slots) {
    const spec = declared.positionals.find((p) => p.name === slot.name) ?? { name: slot.name };
    const taken = slot.variadic ? given.slice(index) : given.slice(index, index + 1);
    index += taken.length;
    if (taken.length === 0 && slot.required)
      throw new UsageError(`Not enough arguments: give ${slot.variadic ? `one or more ${slot.name}` : `the ${slot.name}`}`);
    const value = taken.length === 0 ? spec.default : slot.variadic ? taken : taken[0];
    if (value !== undefined) args[slot.name] = args[camel(slot.name)] = coerce(spec, value);
  }
  if (index < given.length) {
    const last = shape.slots.at(-1);
    if (last === undefined) throw new UsageError(`Unknown argument: ${given.slice(index).join(' ')}`);
    // `seqrun run a.seq b.seq`: say what the command takes, not "Unknown argument".
    const taken = given.slice(index - 1);
    throw new UsageError(`seqrun ${shape.word} takes one ${last.name}, not ${taken.length} (${taken.join(', ')}): give them one at a time`);
  }
}

/** Parses a command's own arguments (after the command word) into yargs-shaped args (kebab and camel keys). */
export function parseCommand(shape: CommandShape, declared: Declarations, argv: readonly string[]): Record<string, unknown> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: parseConfig(declared), allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = /Unknown option '-{1,2}([^']+)'/.exec((error as Error).message);
    const guess = unknown?.[1]
      ? suggest(
          unknown[1],
          declared.options.map((o) => o.name),
        )
      : undefined;
    const message = unknown?.[1]
      ? `Unknown argument: ${unknown[1]}${guess ? ` (did you mean --${guess}?)` : ''}`
      : (error as Error).message;
    throw new UsageError(message);
  }
  const args: Record<string, unknown> = {};
  // `seqrun render --help`: help whatever else the command line lacks.
  if (parsed.values['help'] === true) return { help: true, verbose: Boolean(parsed.values['verbose']) };
  for (const o of declared.options) {
    const value = parsed.values[o.name];
    if (value === undefined && o.demandOption) throw new UsageError(`Missing required option --${o.name}`);
    const final = value === undefined ? o.default : coerce(o, value);
    if (final !== undefined) args[o.name] = args[camel(o.name)] = final;
  }
  args['verbose'] = Boolean(parsed.values['verbose']);
  args['help'] = Boolean(parsed.values['help']);
  assignPositionals(shape, declared, parsed.positionals, args);
  return args;
}

const quote = (v: unknown): string => JSON.stringify(v);

function optionLine(o: Declared, positional: boolean): [string, string] {
  const flag = positional ? o.name : `--${o.name}${o.alias ? `, -${o.alias}` : ''}`;
  const facts = [
    o.choices ? `[choices: ${o.choices.map(quote).join(', ')}]` : o.type ? `[${o.type}${o.array ? ' list' : ''}]` : '',
    o.default !== undefined && !(Array.isArray(o.default) && o.default.length === 0) ? `[default: ${quote(o.default)}]` : '',
  ].filter(Boolean);
  return [flag, [o.describe ?? '', ...facts].filter(Boolean).join('  ')];
}

/** Two aligned columns, as help pages print them. */
export function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`.trimEnd()).join('\n');
}

export const GLOBAL_OPTIONS: readonly (readonly [string, string])[] = [
  ['--verbose', 'Show stack traces for internal errors'],
  ['--help', 'Show help'],
  ['--version', 'Show the version of seqrun'],
];

/** `seqrun COMMAND --help`. */
export function commandHelp(template: string, describe: string, declared: Declarations): string {
  const sections = [`seqrun ${template}`, describe];
  if (declared.positionals.length > 0) sections.push(`Positionals:\n${table(declared.positionals.map((p) => optionLine(p, true)))}`);
  sections.push(`Options:\n${table([...declared.options.map((o) => optionLine(o, false)), ...GLOBAL_OPTIONS.slice(0, 2)])}`);
  return `${sections.join('\n\n')}\n`;
}
