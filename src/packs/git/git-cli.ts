// Runs the git CLI from argument arrays. Credentials travel in the environment (GIT_CONFIG_*),
// never in argv, and every secret is scrubbed from what git prints before it reaches a log or error.
import { spawn } from 'node:child_process';
import { SeqrunError } from '../../errors.ts';

export interface GitRunOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface GitOutput {
  readonly stdout: string;
  readonly stderr: string;
}

export class GitError extends SeqrunError {
  override readonly name = 'GitError';
  readonly args: readonly string[];
  readonly stderr: string;
  constructor(message: string, args: readonly string[], stderr: string, options?: ErrorOptions) {
    super(message, 'GIT_FAILED', options);
    this.args = args;
    this.stderr = stderr;
  }
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('***');
  return out;
}

export async function git(args: readonly string[], options: GitRunOptions): Promise<GitOutput> {
  options.signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let stopped: string | null = null;
    const stop = (why: string): void => {
      stopped = why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer =
      options.timeoutMs === undefined ? undefined : setTimeout(() => stop(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    const onAbort = (): void => stop('was cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new GitError(`could not run git: ${error.message}; install git (apt-get install git)`, args, ''));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const stdout = redact(Buffer.concat(out).toString('utf8'), options.secrets);
      const stderr = redact(Buffer.concat(err).toString('utf8'), options.secrets).trim();
      const shown = redact(args.join(' '), options.secrets);
      if (stopped !== null) return reject(new GitError(`git ${shown} ${stopped}`, args, stderr));
      if (code !== 0) return reject(new GitError(`git ${shown} failed (exit ${code}): ${stderr || 'no output'}`, args, stderr));
      resolve({ stdout, stderr });
    });
  });
}
