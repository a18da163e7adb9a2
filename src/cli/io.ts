// The only window onto the process that commands get: tests pass their own.
import type { Argv } from 'yargs';

export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stdout is a terminal (live progress, colours unless NO_COLOR). */
  readonly isTTY: boolean;
  readonly verbose: boolean;
}

/** What every command module exports. Heavy imports happen inside `run`, never at module load. */
export interface CommandSpec<Args = Record<string, unknown>> {
  readonly command: string | readonly string[];
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  /** Returns the exit code: 0 ok, 1 failure found, 2 usage/config/parse errors, 130 interrupted. */
  readonly run: (args: Args, io: Io) => Promise<number>;
}

export function processIo(verbose: boolean): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY) && process.env['CI'] !== 'true',
    verbose,
  };
}
