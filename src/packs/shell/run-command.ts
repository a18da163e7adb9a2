// Runs a build command from an argument array in its own process group, streaming its output line by
// line to the step's log. Never a shell string: the command is exec'd directly.
import { spawn } from 'node:child_process';
import type { Logger } from '../../bind/types.ts';
import { SeqrunError } from '../../errors.ts';

export interface RunCommandOptions {
  /** Program and arguments, e.g. `['npm', 'run', 'build']`. */
  readonly command: readonly string[];
  readonly cwd?: string;
  /** Extra variables on top of `inheritEnv` (or replacing it when `inheritEnv` is false). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The environment the command starts from (default: none besides PATH and HOME). */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly log?: Logger;
  /** How many of the last output lines a failure shows (default 20). */
  readonly tailLines?: number;
  /** Time between SIGTERM and SIGKILL when stopping the process group (default 2000 ms). */
  readonly killGraceMs?: number;
}

export interface CommandResult {
  readonly exitCode: number;
  /** The last `tailLines` lines of stdout and stderr, interleaved as they arrived. */
  readonly tail: readonly string[];
}

/** `code`: COMMAND_EXIT, COMMAND_TIMEOUT, COMMAND_CANCELLED or COMMAND_SPAWN, after `reason`. */
export class CommandError extends SeqrunError {
  override readonly name = 'CommandError';
  readonly reason: 'exit' | 'timeout' | 'cancelled' | 'spawn';
  readonly exitCode: number | null;
  readonly tail: readonly string[];
  constructor(
    message: string,
    reason: 'exit' | 'timeout' | 'cancelled' | 'spawn',
    exitCode: number | null,
    tail: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, `COMMAND_${reason.toUpperCase()}`, options);
    this.reason = reason;
    this.exitCode = exitCode;
    this.tail = tail;
  }
}

/** Splits a byte stream into lines and hands each complete line to `onLine`. */
function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk.toString('utf8');
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    },
    end() {
      if (pending !== '') onLine(pending);
      pending = '';
    },
  };
}

function describe(command: readonly string[]): string {
  return command.map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}

function failureMessage(what: string, tail: readonly string[]): string {
  return tail.length === 0 ? `${what} (no output)` : `${what}; last output:\n${tail.map((l) => `  ${l}`).join('\n')}`;
}

export async function runCommand(options: RunCommandOptions): Promise<CommandResult> {
  const [program, ...args] = options.command;
  if (program === undefined || program === '')
    throw new CommandError('runCommand: the command is empty; give the program and its arguments as an array', 'spawn', null, []);
  const tailLimit = options.tailLines ?? 20;
  const tail: string[] = [];
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > tailLimit) tail.shift();
  };
  const base = options.baseEnv ?? { PATH: process.env['PATH'], HOME: process.env['HOME'] };
  const env = Object.fromEntries(Object.entries({ ...base, ...options.env }).filter((e): e is [string, string] => e[1] !== undefined));
  const label = describe(options.command);
  options.signal?.throwIfAborted();

  return new Promise<CommandResult>((resolve, reject) => {
    // detached: the child leads a new process group, so a timeout or cancel stops its children too.
    const child = spawn(program, args, { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stopReason: 'timeout' | 'cancelled' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (reason: 'timeout' | 'cancelled'): void => {
      if (stopReason !== null || child.pid === undefined) return;
      stopReason = reason;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid as number, 'SIGKILL'), options.killGraceMs ?? 2000);
    };
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const out = lineSplitter((line) => {
      remember(line);
      options.log?.info(line, { stream: 'stdout' });
    });
    const err = lineSplitter((line) => {
      remember(line);
      options.log?.warn(line, { stream: 'stderr' });
    });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));

    const cleanup = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      cleanup();
      clearTimeout(killTimer);
      reject(new CommandError(`could not start ${label}: ${error.message}; check the program exists and is on PATH`, 'spawn', null, []));
    });
    child.on('close', (code, signal) => {
      cleanup();
      // The leader exited; make sure nothing it started lingers in its group.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
      clearTimeout(killTimer);
      out.end();
      err.end();
      const lines = [...tail];
      if (stopReason === 'timeout')
        return reject(
          new CommandError(
            failureMessage(`${label} was killed after its timeout of ${options.timeoutMs} ms`, lines),
            'timeout',
            code,
            lines,
          ),
        );
      if (stopReason === 'cancelled')
        return reject(new CommandError(failureMessage(`${label} was cancelled`, lines), 'cancelled', code, lines));
      if (code === 0) return resolve({ exitCode: 0, tail: lines });
      const what = code === null ? `${label} was killed by ${signal ?? 'a signal'}` : `${label} exited with code ${code}`;
      reject(new CommandError(failureMessage(what, lines), 'exit', code, lines));
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
