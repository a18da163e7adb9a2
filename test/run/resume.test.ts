// Interrupting and killing real runner processes, then `seqrun resume`.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, childEnv, count, journalOf, junitSummary, latestRun, runCli, spawnCli, statuses, tempProject, waitFor } from './support.ts';

describe('seqrun resume', () => {
  it('after SIGKILL while a job is open: re-attaches the job (start called once across both processes) and finishes green', async () => {
    const dir = tempProject();
    const first = spawnCli(['run', 'kill.seq', '--var', `workdir=${dir}`], dir);
    // Killed at the join point: every step before the reply journaled as passed, the job still open.
    const awaited = () => existsSync(join(dir, '.seqrun/runs/latest')) && statuses(journalOf(dir))['s6'] === 'passed';
    await waitFor(awaited, 'the first runner to reach the join point');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const runId = latestRun(dir);
    const killed = journalOf(dir, runId);
    expect(killed.badLines).toEqual([]);
    expect(killed.events.some((e) => e.type === 'run-finished')).toBe(false);
    expect(killed.events).toContainEqual(expect.objectContaining({ type: 'job-started', stepId: 's3', handle: { id: 'build-arm', dir } }));
    // The runner may die mid-write: a torn last line must not stop the resume.
    appendFileSync(join(dir, '.seqrun/runs', runId, 'journal.ndjson'), '{"type":"step-sta');
    expect(journalOf(dir, runId).tornTail).toBe(true);
    writeFileSync(join(dir, 'done-build-arm'), 'SUCCEEDED'); // the build finishes while nobody watches

    const resumed = await runCli(['resume', '--var', `workdir=${dir}`, '--junit', 'resumed.xml'], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(
      `resuming run ${runId}: 5 steps already passed, re-attaching s3 (the journal ended in a torn line, dropped)`,
    );
    // The summary counts the whole run, the 5 steps passed before the resume too.
    expect(resumed.stdout).toMatch(/^run passed in .*: 9 passed, 0 failed, 0 cancelled, 0 skipped /m);
    const log = calls(dir);
    expect(count(log, 'start arm')).toBe(1);
    expect(count(log, 'attach build-arm')).toBe(1);
    for (const once of ['tag', 'fetch main', 'build x86 sha=abc123', 'await', 'slack', 'checked registry/app:build-arm'])
      expect(count(log, once)).toBe(1);
    const journal = journalOf(dir, runId);
    expect(journal).toMatchObject({ tornTail: false, badLines: [] });
    expect(journal.events.filter((e) => e.type === 'run-resumed')).toHaveLength(1);
    expect(journal.events.filter((e) => e.type === 'job-started')).toHaveLength(1);
    expect(journal.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    expect(Object.values(statuses(journal)).every((s) => s === 'passed')).toBe(true);
    // The JUnit report of a resumed run covers the steps of both processes.
    expect(junitSummary(join(dir, 'resumed.xml'))).toMatchObject({ cases: 9, failures: [], skipped: 0 });
  });

  it('Ctrl-C cancels gracefully: open jobs cancelled, journal closed with run-finished interrupted, exit 130; a resume then finishes', async () => {
    const dir = tempProject();
    const run = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`], dir);
    await waitFor(() => calls(dir).includes('waiting'), 'the long step to start');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`seqrun resume ${latestRun(dir)}`);
    expect(calls(dir)).toContain('cancel build-arm');
    const journal = journalOf(dir);
    expect(journal.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'interrupted' });
    expect(statuses(journal)).toEqual({ s0: 'cancelled', s1: 'cancelled', s2: 'skipped', s3: 'skipped' });

    // The cancelled job is started afresh by the resume; the interrupted step runs again.
    writeFileSync(join(dir, 'done-build-arm'), 'SUCCEEDED');
    const resumed = await runCli(['resume', '--var', 'waitMs=0'], dir);
    expect(resumed.code).toBe(0);
    expect(count(calls(dir), 'start arm')).toBe(2);
    expect(count(calls(dir), 'waiting')).toBe(2);
  });

  it('Ctrl-C with --leave-jobs leaves the job running; resume re-attaches it instead of starting it again', async () => {
    const dir = tempProject();
    const run = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`, '--leave-jobs'], dir);
    await waitFor(() => calls(dir).includes('waiting'), 'the long step to start');
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    expect(calls(dir).some((c) => c.startsWith('cancel'))).toBe(false);
    writeFileSync(join(dir, 'done-build-arm'), 'SUCCEEDED');
    const resumed = await runCli(['resume', '--var', 'waitMs=0'], dir);
    expect(resumed.code).toBe(0);
    expect(count(calls(dir), 'start arm')).toBe(1);
    expect(count(calls(dir), 'attach build-arm')).toBe(1);
    expect(journalOf(dir).events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
  });

  it('a second Ctrl-C forces the exit even when cancelling hangs, journaling the interruption first', async () => {
    const dir = tempProject();
    const run = spawnCli(['run', 'sigint.seq', '--var', `workdir=${dir}`, '--var', 'slowCancel=true'], dir);
    await waitFor(() => calls(dir).includes('waiting'), 'the long step to start');
    run.child.kill('SIGINT');
    await waitFor(() => calls(dir).includes('cancel build-arm'), 'the cancel to begin');
    run.child.kill('SIGINT');
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('forced to stop');
    const journal = journalOf(dir);
    expect(journal.badLines).toEqual([]);
    // The forced end is journaled before the exit: the job as cancelled (its cancel was requested), then run-finished.
    expect(statuses(journal)).toEqual({ s0: 'cancelled', s1: 'cancelled', s2: 'skipped', s3: 'skipped' });
    expect(journal.events.at(-1)).toMatchObject({
      type: 'run-finished',
      status: 'interrupted',
      reason: 'SIGINT again: forced to stop at once',
    });
  });

  it('re-runs from the failed step, refuses when the diagram changed, and says so when there is nothing to resume', async () => {
    const dir = tempProject();
    const failed = await runCli(['run', 'fail.seq', '--var', `workdir=${dir}`], dir);
    expect(failed.code).toBe(1);
    const runId = latestRun(dir);
    const original = readFileSync(join(dir, 'fail.seq'), 'utf8');
    writeFileSync(join(dir, 'fail.seq'), original.replace('Build broken', 'Build fixed'));
    const refused = await runCli(['resume', runId], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`fail.seq changed since run ${runId} started`);
    expect(calls(dir).filter((c) => c.startsWith('build'))).toHaveLength(1);

    // Comments and blank lines do not change what the diagram means: the resume goes ahead and fails again at s2.
    writeFileSync(join(dir, 'fail.seq'), `# a comment\n\n${original}`);
    writeFileSync(join(dir, 'done-build-arm'), 'SUCCEEDED');
    const again = await runCli(['resume', runId, '--var', `workdir=${dir}`], dir);
    expect(again.code).toBe(1);
    expect(count(calls(dir), 'tag')).toBe(1); // the step that passed is not repeated
    expect(count(calls(dir), 'start arm')).toBe(2); // cancelled by the first run, so started afresh

    const missing = await runCli(['resume', 'no-such-run'], dir);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("no journal for run 'no-such-run'") });

    const passed = await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`], dir, childEnv());
    expect(passed.code).toBe(0);
    const nothing = await runCli(['resume', 'latest'], dir);
    expect(nothing).toMatchObject({ code: 0, stdout: `run ${latestRun(dir)} already passed; nothing to resume\n` });
  });
});
