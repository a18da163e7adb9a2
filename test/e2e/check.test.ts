// The CI gate on the seed's diagrams: `seqrun check specs` binds every step of current, interim and
// final to exactly one handler of specs/steps/ with none unused; a message edited in a diagram
// without touching the bindings fails the check, naming the line.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');

async function seqrun(args: readonly string[]): Promise<{ code: number; out: string }> {
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], NO_COLOR: '1' };
  return exec(process.execPath, [bin, ...args], { cwd: repo, env }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

let copy: string;
beforeAll(async () => {
  copy = await mkdtemp(join(tmpdir(), 'seqrun-drift-'));
});
afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
});

describe('seqrun check on the seed (child process)', () => {
  it('binds every step of specs/ with no unused handler', { timeout: 60_000 }, async () => {
    const result = await seqrun(['check', 'specs']);
    // Each process twice: specs/*.seq and their mermaid twins specs/*.mmd; and specs/release.mmd.
    expect(result.out).toContain('7 diagrams, 157 steps: 157 bound');
    expect(result.code).toBe(0);
  });

  it("checks the config's specs when given no paths", { timeout: 60_000 }, async () => {
    const result = await seqrun(['check', '--format', 'json']);
    const report = JSON.parse(result.out) as { summary: { diagrams: number; steps: number; bound: number; unusedHandlers: number } };
    expect(report.summary).toMatchObject({ diagrams: 4, steps: 92, bound: 92, unusedHandlers: 0 });
    expect(result.code).toBe(0);
  });

  it('fails naming the line when a message of final.seq is edited without its bindings', { timeout: 60_000 }, async () => {
    for (const name of ['current.seq', 'interim.seq']) await copyFile(join(repo, 'specs', name), join(copy, name));
    const final = await readFile(join(repo, 'specs/final.seq'), 'utf8');
    const edited = final.replace(
      'Pay CI->Dockerhub: Push latest-master to Dockerhub',
      'Pay CI->Dockerhub: Push latest-master to Docker Hub',
    );
    expect(edited).not.toBe(final);
    await writeFile(join(copy, 'final.seq'), edited);
    const line = edited.split('\n').findIndex((l) => l.endsWith('to Docker Hub')) + 1;

    const result = await seqrun(['check', copy, '--config', join(repo, 'seqrun.config.ts'), '--format', 'github']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(
      new RegExp(`::error file=[^,]*final\\.seq,line=${line},col=1,[^:]*::Undefined call: "Push latest-master to Docker Hub"`),
    );
    expect(result.out).toContain('1 undefined');
  });
});
