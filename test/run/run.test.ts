// `seqrun run` end to end, through the real CLI in child processes.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { calls, childEnv, journalOf, junitSummary, latestRun, runCli, spawnCli, statuses, tempProject } from './support.ts';

describe('seqrun run', () => {
  it('runs an interim-shaped diagram: jobs in the background, joined at their reply, journaled with secrets masked', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`, '--var', 'API_TOKEN=supersecret123'], dir);
    expect(r.code).toBe(0);
    expect(calls(dir)).toEqual([
      'tag',
      'fetch main',
      'start arm',
      'wait build-arm',
      'build x86 sha=abc123',
      'await',
      'checked registry/app:build-arm',
      'slack',
    ]);
    const journal = journalOf(dir);
    expect(journal.tornTail).toBe(false);
    expect(journal.badLines).toEqual([]);
    const types = journal.events.map((e) => e.type);
    expect(types[0]).toBe('run-started');
    expect(journal.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed', runId: latestRun(dir) });
    const s3Start = journal.events.findIndex((e) => e.type === 'step-started' && e.stepId === 's3');
    expect(journal.events[s3Start + 1]).toMatchObject({ type: 'job-started', stepId: 's3', handle: { id: 'build-arm' } });
    expect(Object.values(statuses(journal)).every((s) => s === 'passed')).toBe(true);
    expect(journal.events.find((e) => e.type === 'state')).toMatchObject({ state: { sha: 'abc123' } });
    const all = `${r.stdout}${r.stderr}${readFileSync(join(dir, '.seqrun/runs', latestRun(dir), 'journal.ndjson'), 'utf8')}`;
    expect(all).not.toContain('supersecret123');
    expect(all).toContain('posted to #releases with ***');
    expect(latestRun(dir)).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
  });

  it('short form `seqrun FILE` runs it too, and prints one plain line per event with CI=true', async () => {
    const dir = tempProject();
    const r = await runCli(['pass.seq', '--var', `workdir=${dir}`], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^run \S+ started: pass\.seq \(10 steps\)$/);
    expect(lines).toContainEqual(expect.stringMatching(/^passed \[s1\] CI->GitHub: Fetch main release \(\d+ ms\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^job started \[s3\] CI->AWS: Trigger build arm handle=\{"id":"build-arm",/));
    expect(lines.filter((l) => l.startsWith('passed ')).length).toBe(10);
    expect(lines.at(-1)).toMatch(
      /^run passed in .*: 10 passed, 0 failed, 0 cancelled, 0 skipped \(journal: \.seqrun\/runs\/.+\/journal\.ndjson\)$/,
    );
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('reports a throwing step with its location, skips the rest, cancels open jobs, exits 1 and writes valid JUnit', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'fail.seq', '--var', `workdir=${dir}`, '--junit', 'report.xml'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('seqrun: step s2 failed at fail.seq:3:1 (CI->Docker: Build broken): compiler exploded');
    expect(calls(dir)).toContain('cancel build-arm');
    expect(statuses(journalOf(dir))).toEqual({ s0: 'passed', s1: 'cancelled', s2: 'failed', s3: 'skipped', s4: 'skipped', s5: 'skipped' });
    // A real XML parser checks well-formedness; then the structure and counts.
    const parsed = junitSummary(join(dir, 'report.xml'));
    expect(parsed).toMatchObject({
      root: 'testsuites',
      suites: 1,
      cases: 6,
      skipped: 4,
      failures: ['s2 CI->Docker: Build broken'],
      failureText: ['fail.seq:3:1: compiler exploded'],
    });
    expect(parsed.attrs).toMatchObject({ name: 'fail.seq', tests: '6', failures: '1', errors: '0', skipped: '4' });
  });

  it('leaves open jobs running with --leave-jobs', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'fail.seq', '--var', `workdir=${dir}`, '--leave-jobs'], dir);
    expect(r.code).toBe(1);
    expect(calls(dir).some((c) => c.startsWith('cancel'))).toBe(false);
    expect(journalOf(dir).events.find((e) => e.type === 'step-finished' && e.stepId === 's1')).toMatchObject({
      status: 'cancelled',
      error: { name: 'JobLeftRunning' },
    });
  });

  it('fails fast: a job failing in the background aborts the running step and cancels the other job', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'failfast.seq', '--var', `workdir=${dir}`], dir);
    expect(r.code).toBe(1);
    // The arm job is joined at line 5 (its reply), so that is where the run fails.
    expect(r.stderr).toContain(
      'step s4 failed at failfast.seq:5:1 (AWS-->CI: Success): CI->AWS: Trigger build arm did not succeed: build-arm FAILED',
    );
    expect(statuses(journalOf(dir))).toEqual({
      s0: 'failed',
      s1: 'cancelled',
      s2: 'passed',
      s3: 'cancelled',
      s4: 'failed',
      s5: 'skipped',
      s6: 'skipped',
    });
    expect(calls(dir).filter((c) => c.startsWith('cancel'))).toEqual(['cancel build-e2e']);
    expect(calls(dir)).toContain('waiting');
  });

  it('retries a step that fails twice, times out a step that never returns', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'faults.seq', '--var', `workdir=${dir}`], dir);
    expect(r.code).toBe(1);
    expect(calls(dir)).toEqual(['flaky 1', 'flaky 2', 'flaky 3']);
    const journal = journalOf(dir);
    expect(journal.events.filter((e) => e.type === 'step-started' && e.stepId === 's0').length).toBe(3);
    expect(journal.events.find((e) => e.type === 'step-finished' && e.stepId === 's1')).toMatchObject({
      status: 'failed',
      error: { name: 'TimeoutError', message: 'timed out after 200 ms' },
    });
    expect(statuses(journal)).toEqual({ s0: 'passed', s1: 'failed', s2: 'skipped' });
  });

  it('runs one diagram of a Markdown document by its heading, and refuses to guess between several', async () => {
    const dir = tempProject();
    const pass = readFileSync(join(dir, 'pass.seq'), 'utf8');
    writeFileSync(
      join(dir, 'doc.md'),
      `# Release\n\n## Candidate\n\n\`\`\`sequence\n${pass}\`\`\`\n\n## Other\n\n\`\`\`sequence\nCI->Box: Flaky\n\`\`\`\n`,
    );
    const r = await runCli(['doc.md#candidate', '--var', `workdir=${dir}`], dir);
    expect(r.code).toBe(0);
    expect(journalOf(dir).events[0]).toMatchObject({ type: 'run-started', diagram: 'doc.md#candidate' });
    const both = await runCli(['run', 'doc.md'], dir);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('doc.md holds 2 diagrams; seqrun runs one at a time');
    expect(both.stderr).toContain('doc.md#candidate');
  });

  it('streams NDJSON events with --format json', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'pass.seq', '--var', `workdir=${dir}`, '--format', 'json'], dir);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    expect(events.length).toBe(journalOf(dir).events.length);
  });

  it('goes on to the end when its output pipe closes (`seqrun run FILE | head`), without an EPIPE crash', async () => {
    const dir = tempProject();
    const running = spawnCli(['run', 'pass.seq', '--var', `workdir=${dir}`, '--var', 'buildMs=300', '--format', 'json'], dir);
    running.child.stdout?.once('data', () => running.child.stdout?.destroy());
    const r = await running.done;
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.code).toBe(0);
    expect(journalOf(dir).events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    expect(calls(dir)).toContain('slack');
  });

  it('--dry-run binds and prints the plan, executing nothing', async () => {
    const dir = tempProject();
    const r = await runCli(['run', 'pass.seq', '--dry-run'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run: pass.seq (10 steps; nothing executed)');
    // Every step has a time limit: here the default for a job (2 h).
    expect(r.stdout).toMatch(/s3 +line 5 +call +CI->AWS: Trigger build arm +\[job, joined at s8; .*steps\.ts:\d+; timeout 7200000 ms\]/);
    expect(r.stdout).toMatch(/s8 +line 10 +reply +AWS-->CI: Success +\[answers s3; built-in Success; timeout 300000 ms\]/);
    expect(existsSync(join(dir, 'calls.log'))).toBe(false);
    expect(existsSync(join(dir, '.seqrun'))).toBe(false);
  });

  it('exits 2 on usage, parse and binding errors, naming the place', async () => {
    const dir = tempProject();
    writeFileSync(join(dir, 'unbound.seq'), 'CI->AWS: Trigger build arm\nCI->AWS: Launch the rockets\n');
    writeFileSync(join(dir, 'broken.seq'), 'CI->AWS Trigger build arm\n');
    const [bare, badVar, missing, unbound, broken, typo] = await Promise.all([
      runCli([], dir),
      runCli(['run', 'pass.seq', '--var', 'novalue'], dir),
      runCli(['run', 'nope.seq'], dir),
      runCli(['run', 'unbound.seq'], dir),
      runCli(['run', 'broken.seq'], dir),
      runCli(['run', 'pass.seq', '--dryrun', '--var', `workdir=${dir}`], dir),
    ]);
    // A mistyped option is a usage error that runs nothing, not a real run.
    expect(typo).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown argument: dryrun') });
    expect(typo.stdout).not.toContain('started');
    expect(calls(dir)).toEqual([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).not.toContain('internal error');
    expect(badVar).toMatchObject({ code: 2, stderr: expect.stringContaining("--var 'novalue' is not NAME=VALUE") });
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('nope.seq') });
    expect(unbound.code).toBe(2);
    expect(unbound.stderr).toMatch(/unbound\.seq:2:1 error \S+ Undefined/);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.seq:1:\d+ error/);
    expect(`${unbound.stderr}${broken.stderr}`).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('prints the live list on a terminal (a pseudo-terminal via script), plain lines with CI=true', async () => {
    const ESC = String.fromCharCode(27);
    const dir = tempProject();
    const cmd = (extra: string) =>
      `${process.execPath} ${join(dir, 'node_modules/seqrun/bin/seqrun.js')} run pass.seq --var workdir=${dir} --var buildMs=400 ${extra}`;
    const tty = (env: NodeJS.ProcessEnv, extra = '') =>
      execFileSync('script', ['-qfec', cmd(extra), '/dev/null'], { cwd: dir, env, encoding: 'utf8' });
    const live = tty(childEnv({ CI: undefined, TERM: 'xterm' }));
    expect(live).toContain('\x1b[?25l'); // cursor hidden while drawing
    expect(live).toMatch(new RegExp(`${String.fromCharCode(27)}\\[\\d+F`)); // redrawn in place
    expect(live).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏].*CI->AWS: Trigger build arm/); // the open job spins while others run
    expect(live).toMatch(/✓.*CI->GitHub: Fetch main release/);
    expect(live).toContain('\x1b[32m'); // colour
    const noColor = tty(childEnv({ CI: undefined, TERM: 'xterm', NO_COLOR: '1' }));
    expect(noColor).toMatch(/✓.*Note left of CI: Slack notification/);
    expect(noColor).not.toContain('\x1b[32m');
    // A handler's log line is written above the list (cleared, then drawn again under it).
    expect(noColor).toMatch(new RegExp(`${ESC}\\[\\d+F${ESC}\\[0J${ESC}\\[2K {2}s9 │ posted to #releases with no token\r?\n`));
    const ci = tty(childEnv({ CI: 'true', TERM: 'xterm' }));
    expect(ci).not.toContain('\x1b[');
    expect(ci).toMatch(/passed \[s9\] Note left of CI: Slack notification/);
    expect(ci).toMatch(/^ {2}s9 │ posted to #releases with no token\r?$/m);
  });
});
