import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../test/support/logger.ts';
import { CommandError, runCommand } from './run-command.ts';
import { isAlive } from '../../sandbox/processes.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function waitForGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('runCommand', () => {
  it('streams stdout and stderr line by line into the log, in the given cwd and env', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'seqrun-shell-'));
    dirs.push(cwd);
    const log = memoryLogger();
    const result = await runCommand({
      command: ['node', '-e', 'console.log("one\\ntwo"); console.error(process.env.GREETING); console.log(process.cwd())'],
      cwd,
      env: { GREETING: 'hello there' },
      log,
    });
    expect(result.exitCode).toBe(0);
    expect(log.lines.filter((l) => l.level === 'info').map((l) => l.message)).toEqual(['one', 'two', cwd]);
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual(['hello there']);
  });

  it('passes arguments verbatim, never through a shell', async () => {
    const log = memoryLogger();
    await runCommand({ command: ['node', '-e', 'console.log(process.argv[1])', '$(echo pwned); `id`'], log });
    expect(log.lines.map((l) => l.message)).toEqual(['$(echo pwned); `id`']);
  });

  it('fails on a non-zero exit, showing the last lines', async () => {
    const script = 'for (let i = 1; i <= 30; i++) console.log("line " + i); process.exit(3)';
    const error = await runCommand({ command: ['node', '-e', script], tailLines: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const failure = error as CommandError;
    expect(failure.reason).toBe('exit');
    expect(failure.exitCode).toBe(3);
    expect(failure.tail).toEqual(['line 28', 'line 29', 'line 30']);
    expect(failure.message).toContain('exited with code 3');
    expect(failure.message).toContain('  line 30');
    expect(failure.message).not.toContain('line 27');
  });

  it('kills the whole process group when the timeout passes', async () => {
    // The command starts a grandchild that would outlive a kill of the leader alone.
    const script = [
      'const { spawn } = require("node:child_process");',
      'const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });',
      'console.log("grandchild " + c.pid);',
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const log = memoryLogger();
    const error = await runCommand({ command: ['node', '-e', script], timeoutMs: 1500, killGraceMs: 200, log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).reason).toBe('timeout');
    expect((error as CommandError).message).toContain('killed after its timeout of 1500 ms');
    const grandchild = Number(/grandchild (\d+)/.exec(log.lines[0]?.message ?? '')?.[1]);
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitForGone(grandchild)).toBe(true);
  });

  it('stops the process group when the signal aborts', async () => {
    const controller = new AbortController();
    const log = { info: () => controller.abort(), warn: () => {}, error: () => {} };
    const error = await runCommand({
      command: ['node', '-e', 'console.log("started"); setInterval(() => {}, 1000)'],
      signal: controller.signal,
      log,
    }).catch((e: unknown) => e);
    expect((error as CommandError).reason).toBe('cancelled');
  });

  it('says when the program does not exist', async () => {
    const error = await runCommand({ command: ['no-such-program-seqrun'] }).catch((e: unknown) => e);
    expect((error as CommandError).reason).toBe('spawn');
    expect((error as CommandError).message).toContain('could not start no-such-program-seqrun');
  });
});
