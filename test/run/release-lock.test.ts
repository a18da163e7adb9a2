// Two runs of one release at once: the second is refused with the first's run id and pid, and starts
// nothing; a run killed with SIGKILL leaves a lock nobody holds, which the next run (or its resume)
// takes over. Work folders are per run, so two runs of a release never share a checkout.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReleaseContext } from '../../specs/steps/support/settings.ts';
import { workFolder } from '../../specs/steps/support/settings.ts';
import { testContext } from '../support/handler-context.ts';
import { calls, childEnv, count, journalOf, latestRun, runCli, spawnCli, tempProject, waitFor } from './support.ts';

describe('one run of a release at a time', () => {
  it("a second run of the same diagram, profile and variables is refused with the holder's run id and pid, and starts nothing", async () => {
    const dir = tempProject();
    const first = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`], dir);
    await waitFor(() => calls(dir).includes('waiting'), 'the first run to be under way');
    const holder = latestRun(dir);

    const second = await runCli(['run', 'sigint.seq', '--var', `workdir=${dir}`], dir);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`seqrun run: run ${holder} (pid ${first.child.pid}) is running this release since `);
    expect(second.stderr).toContain(`continue it with 'seqrun resume ${holder}'`);
    expect(count(calls(dir), 'start arm')).toBe(1);
    expect(readdirSync(join(dir, '.seqrun/runs')).filter((f) => f !== 'latest')).toEqual([holder]);

    // A resume of the run while its runner is alive is refused the same way.
    const resumed = await runCli(['resume', holder], dir);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(`seqrun resume: run ${holder} (pid ${first.child.pid}) is running this release`);

    // Other variables make another release: it is not refused.
    const other = await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`], dir);
    expect(other.code).toBe(0);

    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    expect(readdirSync(join(dir, '.seqrun/locks'))).toEqual([]);
  });

  it('the lock of a runner killed with SIGKILL is taken over by its resume', async () => {
    const dir = tempProject();
    const first = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`], dir);
    await waitFor(() => calls(dir).includes('waiting'), 'the first run to be under way');
    first.child.kill('SIGKILL');
    await first.done;
    expect(readdirSync(join(dir, '.seqrun/locks'))).toHaveLength(1);
    writeFileSync(join(dir, 'done-build-arm'), 'SUCCEEDED');
    const resumed = await runCli(['resume', '--var', 'waitMs=0'], dir, childEnv());
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(journalOf(dir).events.some((e) => e.type === 'run-resumed')).toBe(true);
    expect(readdirSync(join(dir, '.seqrun/locks'))).toEqual([]);
  });
});

describe("the seed's work folders", () => {
  it('are per run: two runs of one release never share a checkout (and its git lock)', () => {
    const ctx = (runId: string) =>
      ({
        ...testContext(),
        runId,
        vars: { workdir: '/work' },
        state: { release: 7 },
        config: { app: 'demo' },
      }) as unknown as ReleaseContext;
    expect(workFolder(ctx('r1'), 'src')).toBe('/work/demo-7/r1/src');
    expect(workFolder(ctx('r2'), 'src')).toBe('/work/demo-7/r2/src');
  });
});
