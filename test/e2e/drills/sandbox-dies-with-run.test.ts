// `seqrun run --sandbox` killed with SIGKILL while its builds run: the six sandbox services and the
// builds die with it (a keeper holding a pipe from the runner stops them), and the run cannot be
// resumed against another sandbox: `resume` and `resume --sandbox` say why, instead of NoSuchBucket.
// The project is a temporary folder whose config is the repository's with absolute paths. Needs
// moto_server, docker-registry, git, tar and unzip.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/run/events.ts';
import { isAlive } from '../../../src/sandbox/processes.ts';
import { waitFor } from '../../run/support.ts';
import { repo } from '../sandbox-support.ts';

const exec = promisify(execFile);
const bin = join(repo, 'bin/seqrun.js');
const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], CI: 'true', NO_COLOR: '1' };
let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'seqrun-sandbox-dies-'));
  await writeFile(
    join(project, 'seqrun.config.ts'),
    `import base from ${JSON.stringify(join(repo, 'seqrun.config.ts'))};
const profile = base.profiles?.['sandbox'] ?? {};
const sandbox = { provision: ${JSON.stringify(join(repo, 'specs/sandbox/provision.ts'))} };
export default { ...base, bindings: [${JSON.stringify(join(repo, 'specs/steps/*.ts'))}], specs: [], profiles: { ...base.profiles, sandbox: { ...profile, sandbox } } };
`,
  );
});
afterAll(async () => {
  await rm(project, { recursive: true, force: true });
});

function seqrun(args: readonly string[]): Promise<{ code: number; out: string }> {
  return exec(process.execPath, [bin, ...args], { cwd: project, env, maxBuffer: 64 * 1024 * 1024 }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

/** Processes still running something from the project's sandbox folder (build phases, services). */
async function sandboxProcesses(): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(join(project, '.seqrun/sandbox'))) found.push(`${pid}: ${cmdline.replace(/\0/g, ' ')}`);
  }
  return found;
}

/** Starts `seqrun run --sandbox` on final.seq and SIGKILLs it once both builds of line 5 run. */
async function killedWhileBuilding(): Promise<{ runId: string; pids: number[] }> {
  const child = spawn(
    process.execPath,
    [bin, 'run', '--sandbox', join(repo, 'specs/final.seq'), '--profile', 'sandbox', '--format', 'json', '--var', 'buildSeconds=60'],
    { cwd: project, env },
  );
  let stderr = '';
  let runId = '';
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.startsWith('{'))) {
      const event = JSON.parse(line) as RunEvent;
      runId ||= event.runId;
      if (event.type === 'job-started' && event.stepId === 's4') child.kill('SIGKILL');
    }
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, s) => resolve(s)));
  expect(signal, stderr).toBe('SIGKILL');
  return { runId, pids: [...stderr.matchAll(/answers on \S+ \(pid (\d+)\)/g)].map((m) => Number(m[1])) };
}

describe('a sandbox started for one run dies with it', () => {
  it(
    'run --sandbox SIGKILLed while builds run: no service or build is left; resume and resume --sandbox say the sandbox is gone',
    { timeout: 180_000 },
    async () => {
      const { runId, pids } = await killedWhileBuilding();
      expect(pids).toHaveLength(6);
      expect((await sandboxProcesses()).length).toBeGreaterThan(0);
      const left = async (): Promise<string[]> => [
        ...pids.filter((pid) => isAlive(pid) || isAlive(-pid)).map(String),
        ...(await sandboxProcesses()),
      ];
      let last: string[] = [];
      await waitFor(
        () => (void left().then((l) => (last = l)), last.length === 0 && !pids.some((pid) => isAlive(pid))),
        'the sandbox to stop',
        60_000,
      ).catch((error: Error) => {
        throw new Error(`${error.message}; still running:\n${last.join('\n')}`);
      });
      expect(await left()).toEqual([]);

      const refusal = `run ${runId} ran against sandbox `;
      const plain = await seqrun(['resume', '--profile', 'sandbox', '--format', 'plain']);
      expect(plain.out).toContain(refusal);
      expect(plain.out).toContain('a run cannot resume across a sandbox restart');
      expect(plain.out).not.toContain('NoSuchBucket');
      expect(plain.code).toBe(2);

      const again = await seqrun(['resume', '--sandbox', '--profile', 'sandbox', '--format', 'plain']);
      expect(again.out).toContain(refusal);
      expect(again.out).toMatch(/Start a new run instead: seqrun run --sandbox \S*specs\/final\.seq --profile sandbox/);
      expect(again.out).not.toContain('answers on'); // refused before a sandbox is started
      expect(again.code).toBe(2);
    },
  );
});
