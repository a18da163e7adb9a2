// The CLI: finds the command, parses its arguments, runs it. Each command lives in src/cli/commands/
// and is loaded only when it runs (all of them only for `seqrun --help`); its `run` imports its stage.
import { readFileSync } from 'node:fs';
import { commandHelp, commandShape, Declarations, GLOBAL_OPTIONS, parseCommand, table, UsageError } from './args.ts';
import type { CommandSpec } from './io.ts';
import { processIo } from './io.ts';
import { suggest } from '../diagnostics/suggest.ts';

type Loader = () => Promise<{ default: CommandSpec<never> }>;

const COMMANDS: Readonly<Record<string, Loader>> = {
  init: () => import('./commands/init.ts'),
  parse: () => import('./commands/parse.ts'),
  fmt: () => import('./commands/fmt.ts'),
  run: () => import('./commands/run.ts'),
  resume: () => import('./commands/resume.ts'),
  check: () => import('./commands/check.ts'),
  plan: () => import('./commands/plan.ts'),
  export: () => import('./commands/export.ts'),
  deploy: () => import('./commands/deploy.ts'),
  worker: () => import('./commands/worker.ts'),
  logs: () => import('./commands/logs.ts'),
  diff: () => import('./commands/diff.ts'),
  render: () => import('./commands/render.ts'),
  sandbox: () => import('./commands/sandbox.ts'),
  lsp: () => import('./commands/lsp.ts'),
};

/** seqrun's own version, from its package.json (two folders up from src/cli/ and from dist/cli/ alike). */
function ownVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const templates = (spec: CommandSpec<never>): string[] => (typeof spec.command === 'string' ? [spec.command] : [...spec.command]);

async function globalHelp(): Promise<string> {
  const specs = await Promise.all(Object.values(COMMANDS).map(async (load) => (await load()).default));
  const rows = specs.map((spec) => [`seqrun ${templates(spec)[0] ?? ''}`, spec.describe] as const);
  return `seqrun <command> [options]\n\nRun the release process you drew.\n\nCommands:\n${table(rows)}\n\nOptions:\n${table(GLOBAL_OPTIONS)}\n`;
}

/** The command a command line names: its word, or `run` for `seqrun FILE`; a near-miss of a word is an error. */
function commandOf(argv: readonly string[]): { name: string; rest: string[] } {
  const index = argv.findIndex((a) => !a.startsWith('-'));
  const word = argv[index];
  if (word === undefined) throw new UsageError('Give a command, or a diagram to run.');
  if (word in COMMANDS) return { name: word, rest: argv.filter((_a, i) => i !== index) };
  const guess = suggest(word, Object.keys(COMMANDS));
  if (guess && !/[./#\\]/.test(word)) throw new UsageError(`Unknown command '${word}'. Did you mean 'seqrun ${guess}'?`);
  return { name: 'run', rest: [...argv] };
}

async function dispatch(argv: readonly string[], io: ReturnType<typeof processIo>): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout(`${ownVersion()}\n`);
    return 0;
  }
  if (argv.every((a) => a === '--help' || a === '--verbose') && argv.includes('--help')) {
    io.stdout(await globalHelp());
    return 0;
  }
  const { name, rest } = commandOf(argv);
  const spec = (await (COMMANDS[name] as Loader)()).default as CommandSpec;
  const declared = new Declarations();
  spec.builder(declared);
  const template = templates(spec)[0] ?? name;
  const args = parseCommand(commandShape(template), declared, rest);
  if (args['help'] === true) {
    io.stdout(commandHelp(template, spec.describe, declared) + ((await spec.helpMore?.(args, io)) ?? ''));
    return 0;
  }
  return spec.run(args, io);
}

export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const io = processIo(verbose);
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`seqrun: ${error.message}\nRun 'seqrun --help' for usage.\n`);
      return 2;
    }
    // An error from anywhere may quote a secret of the environment or a credential: masked like a run's output.
    const { runRedactor } = await import('../run/redact.ts');
    const redactor = runRedactor({}, io.env);
    io.stderr(redactor.text(`seqrun: internal error: ${error instanceof Error ? error.message : String(error)}\n`));
    if (verbose && error instanceof Error && error.stack) io.stderr(redactor.text(`${error.stack}\n`));
    else io.stderr('Run again with --verbose to see the stack trace, and report it.\n');
    return 2;
  }
}
