// Handler log lines on the terminal (plain, under CI or a pipe) and `seqrun logs RUN [STEP]` from the journal.
import { describe, expect, it } from 'vitest';
import { latestRun, runCli, tempProject } from './support.ts';

describe('handler log lines', () => {
  it('are printed under their step id by the plain reporter and read back by seqrun logs, secrets masked', async () => {
    const dir = tempProject();
    const token = 'xoxb-1234567890-abcdefghijkl';
    const run = await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`, '--var', `API_TOKEN=${token}`], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\n  s9 │ posted to #releases with ***\n');
    expect(run.stdout).not.toContain(token);
    const runId = latestRun(dir);

    const all = await runCli(['logs', runId], dir);
    expect(all).toMatchObject({ code: 0, stdout: '  s9 │ posted to #releases with ***\n', stderr: '' });
    // A step as the CLI numbers it, with or without its `s`; `latest` for the latest run.
    for (const step of ['s9', '9']) expect((await runCli(['logs', 'latest', step], dir)).stdout).toBe(all.stdout);
    const quiet = await runCli(['logs', 'latest', 's0'], dir);
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: `seqrun logs: run ${runId} step s0 logged nothing\n` });
  });

  it('seqrun logs says clearly when the run or the step does not exist (exit 2)', async () => {
    const dir = tempProject();
    const none = await runCli(['logs', 'latest'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^seqrun logs: no runs in .*; start one with 'seqrun run FILE'\n$/);
    expect((await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`], dir)).code).toBe(0);
    const unknownRun = await runCli(['logs', 'no-such-run'], dir);
    expect(unknownRun.code).toBe(2);
    expect(unknownRun.stderr).toContain("seqrun logs: no journal for run 'no-such-run'");
    const unknownStep = await runCli(['logs', 'latest', '42'], dir);
    expect(unknownStep.code).toBe(2);
    expect(unknownStep.stderr).toBe(
      `seqrun logs: run ${latestRun(dir)} has no step '42'; name one of s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 (a number N means sN)\n`,
    );
  });
});
