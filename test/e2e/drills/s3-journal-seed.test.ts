// The seed survives losing its machine: specs/final.seq run against a sandbox with the S3 journal
// (in the sandbox's own S3), the runner killed with SIGKILL while the ARM and x86 builds run
// (SEQRUN_DRILL_KILL_AT), then resumed from a second, clean working folder that has never seen the
// run: it finishes green, every CodeBuild project built once. The same drill with the local journal
// is in test/store/s3-resume.needs-moto.test.ts (a clean folder has nothing to resume).
// Needs moto_server, docker-registry, git, tar and unzip.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import type { SandboxState } from '../../../src/sandbox/index.ts';
import { parseS3Location } from '../../../src/store/location.ts';
import { readS3Journal } from '../../../src/store/s3-journal.ts';
import { s3Client } from '../../../src/store/s3-objects.ts';
import { PROJECTS } from '../../../specs/sandbox/provision.ts';
import {
  nextRelease,
  repo,
  runEnv,
  runIdOf,
  seqrun,
  startSeedSandbox,
  startsByProject,
  statuses,
  stopSeedSandbox,
} from '../sandbox-support.ts';

const exec = promisify(execFile);
const JOURNAL = 's3://seqrun-journals/pay';

let root: string;
let sandbox: SandboxState;
const runIds: string[] = [];

beforeAll(async () => {
  ({ root, sandbox } = await startSeedSandbox('seqrun-s3-seed-'));
  const client = s3Client(sandbox.env);
  await client.send(new CreateBucketCommand({ Bucket: 'seqrun-journals' }));
  client.destroy();
}, 120_000);

afterAll(() => stopSeedSandbox(root, runIds), 60_000);

/** A second working folder with the project's files and nothing of its runs (no .seqrun). */
function cleanCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqrun-checkout-b-'));
  // test/demo holds the image tool the seed's builds run ($SEQRUN_HOME/test/demo/image-tool.ts).
  for (const path of ['specs', 'test/demo', 'seqrun.config.ts', 'package.json'])
    cpSync(join(repo, path), join(dir, path), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  symlinkSync(join(repo, 'dist'), join(dir, 'dist'), 'dir');
  symlinkSync(join(repo, 'bin'), join(dir, 'bin'), 'dir');
  return dir;
}

describe('the seed with the S3 journal, across working folders', () => {
  it(
    'kill -9 in folder A while the builds run, resume from a clean folder B: green, each project built once',
    { timeout: 300_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const before = await startsByProject(sandbox);
      const vars = ['--var', `release=${release}`, '--var', `workdir=${join(root, 'work')}`, '--var', 'buildSeconds=0'];
      // Point 3: the ARM build is started (its token and build recorded), the x86 one not yet.
      const killed = await seqrun(
        ['run', 'specs/final.seq', '--profile', 'sandbox', '--format', 'plain', '--journal', JOURNAL, ...vars],
        runEnv(sandbox, { SEQRUN_DRILL_KILL_AT: '3' }),
      );
      expect(killed.code).toBe(null);
      const runId = runIdOf(killed.out);
      runIds.push(runId);

      const b = cleanCheckout();
      const resumed = await exec(
        process.execPath,
        [join(b, 'bin/seqrun.js'), 'resume', runId, '--profile', 'sandbox', '--format', 'plain', '--journal', JOURNAL],
        { cwd: b, env: runEnv(sandbox), maxBuffer: 64 * 1024 * 1024 },
      ).then(
        (r) => ({ code: 0, out: r.stdout + r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
      expect(resumed.out).toContain(`took over the lease of run ${runId}`);
      expect(resumed.out).toMatch(/^run passed/m);
      expect(resumed.code).toBe(0);

      const after = await startsByProject(sandbox);
      expect(Object.fromEntries(Object.keys(PROJECTS).map((p) => [p, (after[p] ?? 0) - (before[p] ?? 0)]))).toEqual(
        Object.fromEntries(Object.keys(PROJECTS).map((p) => [p, 1])),
      );
      const client = s3Client(sandbox.env);
      const journal = await readS3Journal({ client, location: parseS3Location(JOURNAL) }, runId);
      client.destroy();
      const events = journal?.events ?? [];
      expect(events.filter((e) => e.type === 'run-resumed')).toHaveLength(1);
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
      expect(Object.values(statuses(events)).every((s) => s === 'passed')).toBe(true);
    },
  );
});
