// mermaid's blocks end to end through the real CLI: plan, run, compensation, fail-fast in a par,
// and kill -9 then resume inside a loop iteration and inside a par.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, count, journalOf, latestRun, REPO, runCli, spawnCli, statuses, waitFor } from './support.ts';

/** A copy of the blocks fixture project in a temp folder, resolving `seqrun` to this checkout. */
function blocksProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seqrun-blocks-'));
  cpSync(join(REPO, 'test/fixtures/run/blocks-project'), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'seqrun'), 'dir');
  return dir;
}

const vars = (dir: string, ...more: string[]) => [
  '--var',
  `workdir=${dir}`,
  '--var',
  'apps=demo,tiny',
  ...more.flatMap((v) => ['--var', v]),
];

describe('mermaid blocks through the CLI', () => {
  it('plan shows the tree; run builds each app in the loop, the par side by side, and passes', async () => {
    const dir = blocksProject();
    const plan = await runCli(['plan', 'release.mmd'], dir);
    expect(plan.stderr).toBe('');
    expect(plan.stdout).toContain('  line 5 loop (b0, at most 1000 iterations) for each app in apps -> loop steps.ts:');
    expect(plan.stdout).toContain('  line 8 par (b1, concurrent branches) ARM');
    expect(plan.stdout).toContain('  line 17 option the E2E run failed -> condition steps.ts:');
    const r = await runCli(['run', 'release.mmd', ...vars(dir)], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const log = calls(dir);
    expect(log.slice(0, 6)).toEqual([
      'build demo (s0#1)',
      'waiting build-demo',
      'built demo',
      'build tiny (s0#2)',
      'waiting build-tiny',
      'built tiny',
    ]);
    expect(log).toContain('arm done');
    expect(log.indexOf('x86 done')).toBeGreaterThan(log.indexOf('start arm'));
    expect(log.slice(-2)).toEqual(['e2e', 'announce']);
    const journal = journalOf(dir);
    expect(statuses(journal)).toMatchObject({ 's0#1': 'passed', 's0#2': 'passed', s1: 'passed', s3: 'passed', s7: 'passed' });
    expect(journal.events).toContainEqual(
      expect.objectContaining({ type: 'block', blockId: 'b0', what: 'items', items: ['demo', 'tiny'] }),
    );
  });

  it('a failing E2E run inside critical runs the option as compensation and the release goes on', async () => {
    const dir = blocksProject();
    const r = await runCli(['run', 'release.mmd', ...vars(dir, 'e2e=fail')], dir);
    expect(r.code).toBe(0);
    expect(calls(dir).slice(-3)).toEqual(['e2e', 'notify', 'announce']);
    expect(r.stdout).toContain('block b2: compensating with option 1 for: 3 E2E tests failed');
  });

  it('the x86 branch failing cancels the open ARM job at once (its cancel called) and fails the run', async () => {
    const dir = blocksProject();
    writeFileSync(join(dir, 'hold-arm'), '');
    writeFileSync(join(dir, 'fail-x86'), '');
    const r = await runCli(['run', 'release.mmd', ...vars(dir)], dir);
    expect(r.code).toBe(1);
    expect(calls(dir)).toContain('cancel arm');
    expect(calls(dir)).not.toContain('e2e');
    expect(statuses(journalOf(dir))).toMatchObject({ s1: 'cancelled', s4: 'failed', s5: 'skipped', s7: 'skipped' });
  });

  it('Ctrl-C inside the par: the open ARM job is cancelled, exit 130, and a resume finishes the release', async () => {
    const dir = blocksProject();
    writeFileSync(join(dir, 'hold-arm'), '');
    writeFileSync(join(dir, 'hold-x86'), '');
    const run = spawnCli(['run', 'release.mmd', ...vars(dir)], dir);
    await waitFor(() => calls(dir).includes('waiting x86') && calls(dir).includes('waiting arm'), 'both branches to run');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(calls(dir)).toContain('cancel arm');
    expect(statuses(journalOf(dir))).toMatchObject({ s1: 'cancelled', s4: 'cancelled', s5: 'skipped' });
    rmSync(join(dir, 'hold-arm'));
    rmSync(join(dir, 'hold-x86'));
    const resumed = await runCli(['resume', ...vars(dir)], dir);
    expect(resumed.code).toBe(0);
    expect(count(calls(dir), 'start arm')).toBe(2); // cancelled by the stop: started afresh, never re-attached
    expect(count(calls(dir), 'build demo (s0#1)')).toBe(1);
  });

  it("an interrupted iteration is reported with its iteration id at its step's line", async () => {
    const dir = blocksProject();
    writeFileSync(join(dir, 'hold-build-tiny'), '');
    const run = spawnCli(['run', 'release.mmd', ...vars(dir)], dir);
    await waitFor(() => calls(dir).includes('waiting build-tiny'), 'the second iteration to start');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stdout).toContain('cancelled [s0#2] CI->>AWS: Build the app at release.mmd:6:5: the run was interrupted');
  });

  it('a failing iteration fails the run at its step, named by its iteration id and its line', async () => {
    const dir = blocksProject();
    writeFileSync(join(dir, 'fail-build-tiny'), '');
    const r = await runCli(['run', 'release.mmd', ...vars(dir)], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('seqrun: step s0#2 failed at release.mmd:6:5 (CI->>AWS: Build the app): tiny does not compile');
    expect(journalOf(dir).events.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed', failedStepId: 's0#2' });
  });

  it('kill -9 inside a loop iteration, then resume: finished iterations are not repeated, the loop goes on where it stopped', async () => {
    const dir = blocksProject();
    writeFileSync(join(dir, 'hold-build-tiny'), '');
    const first = spawnCli(['run', 'release.mmd', ...vars(dir)], dir);
    await waitFor(() => calls(dir).includes('waiting build-tiny'), 'the second iteration to start');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    rmSync(join(dir, 'hold-build-tiny'));
    const resumed = await runCli(['resume', ...vars(dir, 'apps=other')], dir);
    expect(resumed.code).toBe(0);
    const log = calls(dir);
    expect(count(log, 'build demo (s0#1)')).toBe(1);
    expect(count(log, 'build tiny (s0#2)')).toBe(2); // it had not finished: run again, in the same iteration
    expect(log.some((l) => l.startsWith('build other'))).toBe(false); // the journaled items stand
    expect(journalOf(dir, latestRun(dir)).events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
  });

  it('kill -9 inside the par while the ARM job is open, then resume: the job is re-attached, not started again', async () => {
    const dir = blocksProject();
    writeFileSync(join(dir, 'hold-arm'), '');
    writeFileSync(join(dir, 'hold-x86'), '');
    const first = spawnCli(['run', 'release.mmd', ...vars(dir)], dir);
    await waitFor(() => calls(dir).includes('waiting x86') && calls(dir).includes('waiting arm'), 'both branches to run');
    first.child.kill('SIGKILL');
    await first.done;
    rmSync(join(dir, 'hold-arm'));
    rmSync(join(dir, 'hold-x86'));
    const resumed = await runCli(['resume', ...vars(dir)], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const log = calls(dir);
    expect(count(log, 'start arm')).toBe(1);
    expect(count(log, 'attach arm')).toBe(1);
    expect(count(log, 'build demo (s0#1)')).toBe(1);
    expect(existsSync(join(dir, '.seqrun'))).toBe(true);
  });
});
