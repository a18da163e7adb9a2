import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidFile, readPid, spawnDetached, stopDetached, isAlive } from './processes.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-processes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('detached services', () => {
  it('stops the whole process group a service started, and removes its pid file', async () => {
    const script =
      'const c = require("node:child_process").spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" }); console.log(c.pid); setInterval(() => {}, 1000);';
    const record = await spawnDetached(dir, { name: 'svc', command: process.execPath, args: ['-e', script], env: {}, cwd: dir });
    let child = 0;
    for (let i = 0; i < 100 && child === 0; i++) {
      child = Number((await readFile(join(dir, 'logs', 'svc.log'), 'utf8')).trim()) || 0;
      if (child === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(isAlive(record.pid) && isAlive(child)).toBe(true);
    expect(await stopDetached(dir, 'svc')).toBe('stopped');
    expect([isAlive(record.pid), isAlive(child)]).toEqual([false, false]);
    expect(await readPid(dir, 'svc')).toBeNull();
  });

  it('never signals a process that is not the one it started (pid reused)', async () => {
    await mkdir(join(dir, 'pids'), { recursive: true });
    await writeFile(pidFile(dir, 'stale'), JSON.stringify({ pid: process.pid, command: '/usr/bin/docker-registry' }));
    expect(await stopDetached(dir, 'stale')).toBe('not running');
    expect(isAlive(process.pid)).toBe(true);
    expect(await readPid(dir, 'stale')).toBeNull();
  });
});
