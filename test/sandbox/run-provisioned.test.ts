// `seqrun run --sandbox specs/interim.seq --profile sandbox` on its own: up, the sandbox profile's
// sandbox.provision (specs/sandbox/provision.ts), the run, down. The project is a temporary folder
// whose config is the repository's with absolute paths, so the sandbox, the journal and the work
// folder stay out of the repository. Needs moto_server and docker-registry, as the other sandbox tests.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxStatus } from '../../src/sandbox/index.ts';
import { isAlive } from '../../src/sandbox/processes.ts';

const exec = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');
let project: string;

/** The repository's config, its bindings and provisioning named absolutely, and an override of it. */
function config(sandbox: string): string {
  return `import base from ${JSON.stringify(join(repo, 'seqrun.config.ts'))};
const profile = base.profiles?.['sandbox'] ?? {};
export default { ...base, bindings: [${JSON.stringify(join(repo, 'specs/steps/*.ts'))}], specs: [], profiles: { ...base.profiles, sandbox: { ...profile, sandbox: ${sandbox} } } };
`;
}

function seqrun(args: readonly string[]): Promise<{ code: number; out: string }> {
  const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], CI: 'true', NO_COLOR: '1' };
  return exec(process.execPath, [bin, ...args], { cwd: project, env, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'seqrun-run-provisioned-'));
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

describe('seqrun run --sandbox with the sandbox profile', () => {
  it('provisions the fresh sandbox, runs specs/interim.seq green and leaves no sandbox process', { timeout: 180_000 }, async () => {
    await writeFile(join(project, 'seqrun.config.ts'), config(JSON.stringify({ provision: join(repo, 'specs/sandbox/provision.ts') })));
    const result = await seqrun([
      'run',
      '--sandbox',
      join(repo, 'specs/interim.seq'),
      '--profile',
      'sandbox',
      '--format',
      'plain',
      '--var',
      'buildSeconds=0',
    ]);
    // A fresh sandbox: each fixture app in its own new remote, both as release 1.
    expect(result.out).toMatch(/sandbox: pushed pay-demo alpha_release-1 \([0-9a-f]{12}\) to its git remote/);
    expect(result.out).toMatch(/sandbox: pushed pay-cardid alpha_release-1 \([0-9a-f]{12}\) to its git remote/);
    expect(result.out).toMatch(/^passed \[s\d+\] Pay CI->AWS: Trigger E2E CodeBuild \(x86\)/m);
    expect(result.out).toMatch(/^run passed in .*: 23 passed, 0 failed/m);
    expect(result.code).toBe(0);
    const pids = [...result.out.matchAll(/answers on \S+ \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(6);
    // Each service was started in its own process group; neither it nor anything it started is left.
    expect(pids.filter((pid) => isAlive(pid) || isAlive(-pid))).toEqual([]);
    expect(await sandboxStatus({ dir: join(project, '.seqrun/sandbox') })).toBeNull();
    expect(await readdir(join(project, '.seqrun/sandbox/pids')).catch(() => [])).toEqual([]);
  });

  it('a provisioning module that is not there is named, and neither the sandbox nor the run starts', async () => {
    await writeFile(join(project, 'seqrun.config.ts'), config("{ provision: 'sandbox/missing.ts' }"));
    const result = await seqrun(['run', '--sandbox', join(repo, 'specs/interim.seq'), '--profile', 'sandbox', '--format', 'plain']);
    expect(result.out).toContain(
      'seqrun run --sandbox: sandbox.provision names sandbox/missing.ts, which does not exist; fix the path in seqrun.config.ts',
    );
    expect(result.out).not.toMatch(/run \S+ started/);
    expect(result.out).not.toContain('answers on');
    expect(result.code).toBe(2);
  });

  it('a provisioning module that fails stops the sandbox and starts no run', { timeout: 120_000 }, async () => {
    await writeFile(
      join(project, 'failing.mjs'),
      'export default async (sandbox) => { throw new Error(`no CodeBuild at ${sandbox.services.length} services`); };\n',
    );
    await writeFile(join(project, 'seqrun.config.ts'), config("{ provision: 'failing.mjs' }"));
    const result = await seqrun(['run', '--sandbox', join(repo, 'specs/interim.seq'), '--profile', 'sandbox', '--format', 'plain']);
    expect(result.out).toContain('seqrun run --sandbox: provisioning the sandbox with failing.mjs failed: no CodeBuild at 6 services');
    expect(result.out).not.toMatch(/run \S+ started/);
    expect(result.code).toBe(2);
    const pids = [...result.out.matchAll(/answers on \S+ \(pid (\d+)\)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(6);
    expect(pids.filter((pid) => isAlive(pid) || isAlive(-pid))).toEqual([]);
    expect(await sandboxStatus({ dir: join(project, '.seqrun/sandbox') })).toBeNull();
  });

  it('a bad sandbox.provision value is a config diagnostic and starts no sandbox', async () => {
    await writeFile(join(project, 'seqrun.config.ts'), config('{ provision: 42 }'));
    const result = await seqrun(['run', '--sandbox', join(repo, 'specs/interim.seq'), '--profile', 'sandbox', '--format', 'plain']);
    expect(result.out).toContain("'sandbox.provision' in profile 'sandbox' must be the path of a .ts, .mts, .js or .mjs module, not 42");
    expect(result.out).not.toContain('answers on');
    expect(result.code).toBe(2);
  });
});
