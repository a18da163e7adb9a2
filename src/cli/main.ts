// The CLI: yargs wiring only. Each command lives in src/cli/commands/ and imports its stage lazily.
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import type { CommandSpec } from './io.ts';
import { processIo } from './io.ts';

/** Command modules, loaded when yargs needs their descriptions; their `run` imports the heavy parts. */
const COMMANDS: readonly (() => Promise<{ default: CommandSpec<never> }>)[] = [
  () => import('./commands/parse.ts'),
  () => import('./commands/fmt.ts'),
  () => import('./commands/run.ts'),
  () => import('./commands/resume.ts'),
  () => import('./commands/check.ts'),
  () => import('./commands/plan.ts'),
  () => import('./commands/render.ts'),
  () => import('./commands/sandbox.ts'),
];

/** seqrun's own version (yargs would print the version of the package.json nearest the working folder). */
function ownVersion(): string {
  // Two folders up from src/cli/ and from dist/cli/ alike.
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

/** A command line yargs rejects (unknown option or command, missing argument): exit 2, run nothing. */
class UsageError extends Error {}

export async function main(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  const io = processIo(verbose);
  let exitCode = 0;
  const specs = await Promise.all(COMMANDS.map(async (load) => (await load()).default as CommandSpec));
  let cli = yargs([...argv])
    .scriptName('seqrun')
    .usage('$0 <command> [options]\n\nRun the release process you drew.')
    .option('verbose', { type: 'boolean', default: false, describe: 'Show stack traces for internal errors' })
    .strict()
    .demandCommand(1, 'Give a command, or a diagram to run.')
    .recommendCommands()
    .help()
    .version(ownVersion())
    .fail((message, error) => {
      if (error) throw error;
      // Thrown, not just reported: yargs would otherwise still run the command (a mistyped `--dryrun` ran the release).
      throw new UsageError(message);
    });
  for (const spec of specs) {
    cli = cli.command(spec.command as string | string[], spec.describe, spec.builder, async (args) => {
      exitCode = await spec.run(args as never, io);
    });
  }
  try {
    await cli.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`seqrun: ${error.message}\nRun 'seqrun --help' for usage.\n`);
      return 2;
    }
    io.stderr(`seqrun: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (verbose && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    else io.stderr('Run again with --verbose to see the stack trace, and report it.\n');
    return 2;
  }
  return exitCode;
}
