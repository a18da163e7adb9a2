// A sandbox that lives only as long as this process: a keeper process (keeper.ts) holds the read end
// of a pipe whose write end only this process has. When this process exits, however it exits, the
// pipe closes and the keeper stops the sandbox; `release` closes it on purpose (after `down`).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { logFile } from './processes.ts';
import { nodeService } from './services.ts';

export interface Tie {
  /** Lets the keeper go (it finds nothing left to stop when `down` ran first). */
  release(): void;
}

export async function tieToThisProcess(dir: string): Promise<Tie> {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const log = openSync(logFile(dir, 'keeper'), 'a');
  try {
    const { command, args } = nodeService('./keeper');
    // Its own process group: a Ctrl-C at the terminal reaches the runner, which stops the sandbox itself.
    const child = spawn(command, [...args, dir], { cwd: dir, detached: true, stdio: ['pipe', log, log] });
    await new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => resolve());
    });
    // Neither the keeper nor the pipe keeps this process alive.
    child.unref();
    (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    return { release: () => child.stdin?.end() };
  } finally {
    closeSync(log);
  }
}
