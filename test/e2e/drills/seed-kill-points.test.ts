// The kill drill on the seed: specs/final.seq run by `seqrun` against a sandbox, the runner SIGKILLed
// right after each point a resume relies on (SEQRUN_DRILL_KILL_AT): a fresh run per point, resumed;
// then one run whose every resume dies at the next point. Among the points: between the two
// StartBuilds of `Trigger CodeBuild (ARM and x86)`. The sandbox's CodeBuild endpoint counts StartBuild
// per project.
// Needs moto_server, docker-registry, git, tar and unzip.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxState } from '../../../src/sandbox/index.ts';
import { PROJECTS } from '../../../specs/sandbox/provision.ts';
import {
  journalOf,
  nextRelease,
  runEnv,
  runIdOf,
  seqrun,
  startSeedSandbox,
  startsByProject,
  statuses,
  stopSeedSandbox,
} from '../sandbox-support.ts';

let root: string;
let sandbox: SandboxState;
const runIds: string[] = [];

beforeAll(async () => {
  ({ root, sandbox } = await startSeedSandbox('seqrun-seed-kill-'));
}, 120_000);

afterAll(() => stopSeedSandbox(root, runIds), 60_000);

/** Job points of final.seq: per build its idempotency token and the build (ARM, x86, manifest, E2E), and each job handle. */
const POINTS = 11;

const once = Object.fromEntries(Object.keys(PROJECTS).map((p) => [p, 1]));

async function startedSince(before: Record<string, number>): Promise<Record<string, number>> {
  const after = await startsByProject(sandbox);
  return Object.fromEntries(Object.keys(PROJECTS).map((p) => [p, (after[p] ?? 0) - (before[p] ?? 0)]));
}

const vars = (release: number): string[] => [
  '--var',
  `release=${release}`,
  '--var',
  `workdir=${join(root, 'work')}`,
  '--var',
  'buildSeconds=0',
];

describe('kill drill: the seed killed at every point of every job', () => {
  it(
    'final: a fresh run killed right after its n-th point, for every n, then resumed -> every project built once, green',
    { timeout: 300_000 },
    async () => {
      for (let n = 1; ; n++) {
        const release = await nextRelease(sandbox);
        const before = await startsByProject(sandbox);
        const run = await seqrun(
          ['run', 'specs/final.seq', '--profile', 'sandbox', '--format', 'plain', ...vars(release)],
          runEnv(sandbox, { SEQRUN_DRILL_KILL_AT: String(n) }),
        );
        const runId = runIdOf(run.out);
        runIds.push(runId);
        if (run.code !== null) {
          expect(run.code).toBe(0);
          expect(n).toBe(POINTS + 1);
          expect(await startedSince(before)).toEqual(once);
          break;
        }
        const resumed = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], runEnv(sandbox));
        expect({ n, code: resumed.code }).toEqual({ n, code: 0 });
        expect({ n, started: await startedSince(before) }).toEqual({ n, started: once });
      }
    },
  );

  it(
    'final: killed after each point in turn, each resume dying at the next one, until one finishes -> every project built once, green',
    { timeout: 300_000 },
    async () => {
      const release = await nextRelease(sandbox);
      const before = await startsByProject(sandbox);
      const env = runEnv(sandbox, { SEQRUN_DRILL_KILL_AT: '1' });
      let last = await seqrun(['run', 'specs/final.seq', '--profile', 'sandbox', '--format', 'plain', ...vars(release)], env);
      const runId = runIdOf(last.out);
      runIds.push(runId);
      let kills = 0;
      while (last.code === null) {
        kills += 1;
        last = await seqrun(['resume', runId, '--profile', 'sandbox', '--format', 'plain'], env);
      }
      expect(last.out).toMatch(/^run passed/m);
      expect(last.code).toBe(0);
      expect(kills).toBe(POINTS);

      expect(await startedSince(before)).toEqual(once);

      const events = await journalOf(runId);
      // The first runner died between the two StartBuilds of `Trigger CodeBuild (ARM and x86)` (s4).
      const firstResume = events.findIndex((e) => e.type === 'run-resumed');
      expect(events[firstResume - 1]).toMatchObject({ type: 'step-progress', stepId: 's4', part: { index: 0 } });
      expect(events.filter((e) => e.type === 'run-resumed')).toHaveLength(POINTS);
      expect(events.filter((e) => e.type === 'job-started').map((e) => (e.type === 'job-started' ? e.stepId : ''))).toEqual([
        's4',
        's9',
        's15',
      ]);
      expect(Object.values(statuses(events)).every((s) => s === 'passed')).toBe(true);
    },
  );
});
