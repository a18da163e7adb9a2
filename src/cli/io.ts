// The only window onto the process that commands get (the application layer's Io, made here from
// `process`): tests pass their own.
import type { Io } from '../app/io.ts';
import type { Argv } from './args.ts';

export type { Io } from '../app/io.ts';

/** What every command module exports. Heavy imports happen inside `run`, never at module load. */
export interface CommandSpec<Args = Record<string, unknown>> {
  readonly command: string | readonly string[];
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  /** Returns the exit code: 0 ok, 1 failure found, 2 usage/config/parse errors, 130 interrupted. */
  readonly run: (args: Args, io: Io) => Promise<number>;
  /** More for `--help`, from where it runs (the project's declared inputs for `run` and `resume`). */
  readonly helpMore?: (args: Args, io: Io) => Promise<string>;
}

/**
 * Writes to a standard stream. When its reader goes away (`seqrun run FILE | head`), later output is
 * dropped instead of crashing with EPIPE: a run goes on to its end and its journal stays complete.
 */
function writer(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

export function processIo(verbose: boolean): Io {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: writer(process.stdout),
    stderr: writer(process.stderr),
    isTTY: Boolean(process.stdout.isTTY) && process.env['CI'] !== 'true',
    verbose,
  };
}
