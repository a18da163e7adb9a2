// `seqrun resume` without a run id: the one run that did not pass, or a list to choose from.
// Each test has its own project folder (never the repository's .seqrun/runs).
import { describe, expect, it } from 'vitest';
import { calls, childEnv, count, latestRun, runCli, tempProject } from './support.ts';

describe('seqrun resume without a run id', () => {
  it('with several runs that did not pass: lists them (id, diagram, start time, status) and exits 2, resuming nothing', async () => {
    const dir = tempProject();
    expect((await runCli(['run', 'fail.seq', '--var', `workdir=${dir}`], dir)).code).toBe(1);
    const first = latestRun(dir);
    expect((await runCli(['run', 'fail.seq', '--var', `workdir=${dir}`], dir)).code).toBe(1);
    const second = latestRun(dir);
    expect((await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`], dir, childEnv())).code).toBe(0);
    const passed = latestRun(dir);
    const before = calls(dir).length;

    const asked = await runCli(['resume'], dir);
    expect(asked.code).toBe(2);
    expect(asked.stdout).toBe('');
    const lines = asked.stderr.split('\n');
    expect(lines[0]).toBe('seqrun resume: 2 runs did not pass; say which to resume: seqrun resume RUN');
    expect(lines[1]).toMatch(/^ {2}RUN +DIAGRAM +STARTED +STATUS$/);
    expect(lines[2]).toMatch(new RegExp(`^  ${first} +fail\\.seq +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC +failed$`));
    expect(lines[3]).toMatch(new RegExp(`^  ${second} +fail\\.seq +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC +failed$`));
    expect(asked.stderr).not.toContain(passed);
    expect(calls(dir)).toHaveLength(before); // nothing ran
  });

  it('with exactly one run that did not pass: resumes it, even when a later run passed', async () => {
    const dir = tempProject();
    expect((await runCli(['run', 'fail.seq', '--var', `workdir=${dir}`], dir)).code).toBe(1);
    const failed = latestRun(dir);
    expect((await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`], dir, childEnv())).code).toBe(0);
    const tags = count(calls(dir), 'tag');

    const resumed = await runCli(['resume', '--var', `workdir=${dir}`], dir);
    expect(resumed.stdout).toContain(`resuming run ${failed}: 1 steps already passed`);
    expect(resumed.code).toBe(1); // the broken build fails again
    expect(count(calls(dir), 'tag')).toBe(tags); // its passed step is not repeated
  });

  it('with every run passed: nothing to resume (exit 0); with no run at all: a usage error', async () => {
    const dir = tempProject();
    const none = await runCli(['resume'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no run to resume in ');
    expect((await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`], dir, childEnv())).code).toBe(0);
    const nothing = await runCli(['resume'], dir);
    expect(nothing).toMatchObject({ code: 0, stdout: expect.stringMatching(/^every run in .* passed; nothing to resume\n$/) });
  });
});
