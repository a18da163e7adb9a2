// `seqrun run --engine stepfunctions` end to end against moto_server (the test starts its own, with
// state-machine execution on, and a `seqrun worker` process answering): the execution's history read
// back as run events, reported with --format json and plain as a local run's, journaled in
// .seqrun/runs and the S3 journal, then drawn by `seqrun render --run` and read by `seqrun logs`.
// moto 5.2.1 starts one execution per server (getmoto/moto#10077): this moto has the upstream fix
// backported (src/sandbox/moto/moto_sfn_server.py, as the sandbox runs it), so one server runs every
// execution here.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunEvent } from '../../src/run/events.ts';
import { foldJournal } from '../../src/run/fold.ts';
import type { MotoServer } from '../../src/sandbox/moto.ts';
import { MOTO_SFN_SERVER } from '../../src/sandbox/moto/sfn-fix.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { readS3Journal } from '../../src/store/s3-journal.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { sfnMotoProject } from '../support/sfn-moto-project.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');
let moto: MotoServer;
let dir: string;
let env: Record<string, string | undefined>;
let worker: ChildProcess;
let workerErr = '';

const DIAGRAM = [
  'sequenceDiagram',
  'CI->>AWS: Build arm',
  'par web',
  'CI->>Slack: Notify web',
  'and api',
  'CI->>Slack: Notify api',
  'end',
  'loop for each app in one,two',
  'CI->>Slack: Notify app',
  'end',
  'AWS-->>CI: Success',
  'CI->>AWS: Deploy',
  '',
].join('\n');

beforeAll(async () => {
  ({ moto, dir, env } = await sfnMotoProject('seqrun-sfn-run-', MOTO_SFN_SERVER));
  await writeFile(
    join(dir, 'steps.ts'),
    `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
export default defineSteps((s) => {
  s.job('Build {word}', { start: async (_ctx, what) => 'build-' + String(what), wait: async () => 'built' });
  s.call('Notify {word}', (ctx, what) => ctx.log.info('notified ' + String(what) + (ctx.item === undefined ? '' : ' ' + String(ctx.item))));
  s.loop('for each app in {word}', (_ctx, list) => String(list).split(','));
  s.call('Deploy', { retry: { attempts: 2, backoffMs: 1000 } }, async (ctx) => {
    if (ctx.vars['mode'] === 'fail') throw new Error('the registry said 503');
    if (ctx.vars['mode'] === 'slow') await new Promise((r) => setTimeout(r, 8000));
  });
});
`,
  );
  await writeFile(join(dir, 'release.mmd'), DIAGRAM);
  const deployed = spawnSync(
    process.execPath,
    [bin, 'deploy', '--engine', 'stepfunctions', 'release.mmd', '--role-arn', 'arn:aws:iam::123456789012:role/seqrun-machine'],
    { cwd: dir, env, encoding: 'utf8' },
  );
  expect(deployed.stderr).toBe('');
  const { queueUrl } = JSON.parse(deployed.stdout) as { queueUrl: string };
  worker = spawn(
    process.execPath,
    [bin, 'worker', '--engine', 'stepfunctions', '--queue', queueUrl, '--journal', 's3://journals/seqrun', 'release.mmd'],
    {
      cwd: dir,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  worker.stderr?.on('data', (chunk: Buffer) => (workerErr += chunk.toString('utf8')));
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI as a child process; `onStdout` sees its output as it comes (to send it a signal). */
function seqrun(
  args: readonly string[],
  onStdout?: (text: string, child: ChildProcess) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

const ndjson = (text: string): RunEvent[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);

/** An event without its time and run id, for whole-list comparisons. */
const timeless = (event: RunEvent): Record<string, unknown> => {
  const { at: _at, runId: _runId, ...rest } = event as RunEvent & { durationMs?: number; branchMs?: number[] };
  const { durationMs: _d, branchMs, ...kept } = rest as typeof rest & { durationMs?: number; branchMs?: number[] };
  return branchMs ? { ...kept, branches: branchMs.length } : kept;
};

const PASSED = [
  { type: 'step-started', stepId: 's1', attempt: 1 },
  { type: 'step-started', stepId: 's2', attempt: 1 },
  { type: 'step-started', stepId: 's0', attempt: 1 },
  { type: 'step-finished', stepId: 's1', status: 'passed', attempt: 1 },
  { type: 'step-finished', stepId: 's2', status: 'passed', attempt: 1 },
  { type: 'block', blockId: 'b0', what: 'ended', status: 'passed', branches: 2 },
  { type: 'step-finished', stepId: 's0', status: 'passed', attempt: 1 },
  { type: 'block', blockId: 'b1', what: 'items', items: ['one', 'two'] },
  { type: 'step-started', stepId: 's3#1', attempt: 1 },
  { type: 'step-finished', stepId: 's3#1', status: 'passed', attempt: 1 },
  { type: 'step-started', stepId: 's3#2', attempt: 1 },
  { type: 'step-finished', stepId: 's3#2', status: 'passed', attempt: 1 },
  { type: 'block', blockId: 'b1', what: 'ended', status: 'passed', iterations: 2 },
  { type: 'step-started', stepId: 's4', attempt: 1 },
  { type: 'step-finished', stepId: 's4', status: 'passed', attempt: 1 },
  { type: 'step-started', stepId: 's5', attempt: 1 },
  { type: 'step-finished', stepId: 's5', status: 'passed', attempt: 1 },
  { type: 'run-finished', status: 'passed' },
];

describe('seqrun run --engine stepfunctions on moto_server (starts its own)', () => {
  let passedRun = '';

  test("--format json: the run events a local run reports, journaled in .seqrun/runs; in the S3 journal the run adds its own events to the worker's steps", async () => {
    const run = await seqrun(['run', '--engine', 'stepfunctions', 'release.mmd', '--format', 'json', '--journal', 's3://journals/seqrun']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    const events = ndjson(run.stdout);
    const [started, ...rest] = events;
    passedRun = started?.runId ?? '';
    expect(started).toMatchObject({ type: 'run-started', diagram: 'release.mmd', vars: {}, profile: null });
    expect(started?.type === 'run-started' && started.steps.map((s) => `${s.id} ${s.text}`)).toEqual([
      's0 Build arm',
      's1 Notify web',
      's2 Notify api',
      's3 Notify app',
      's4 Success',
      's5 Deploy',
    ]);
    // The par's two branches start in either order; the job's task too. The job runs beside the par and
    // the loop until its reply joins it, so it ends anywhere between its start and s4's (a loaded machine
    // finished it after the loop had begun); everything else comes in the diagram's order.
    const seen = rest.map(timeless);
    const jobEnd = seen.findIndex((e) => e['type'] === 'step-finished' && e['stepId'] === 's0');
    const replyStart = seen.findIndex((e) => e['type'] === 'step-started' && e['stepId'] === 's4');
    expect(seen[jobEnd]).toEqual(PASSED[6]);
    expect(jobEnd).toBeGreaterThan(2);
    expect(jobEnd).toBeLessThan(replyStart);
    const others = seen.filter((_, i) => i !== jobEnd);
    const expected = PASSED.filter((_, i) => i !== 6);
    expect(others.slice(0, 3)).toEqual(expect.arrayContaining(expected.slice(0, 3)));
    expect(others.slice(3, 5)).toEqual(expect.arrayContaining(expected.slice(3, 5)));
    expect(others.slice(5)).toEqual(expected.slice(5));
    expect(events.every((e) => e.runId === passedRun)).toBe(true);

    const local = await readFile(join(dir, '.seqrun/runs', passedRun, 'journal.ndjson'), 'utf8');
    expect(ndjson(local)).toEqual(events);
    const s3 = s3Client(env);
    const journaled = await readS3Journal({ client: s3, location: parseS3Location('s3://journals/seqrun') }, passedRun);
    s3.destroy();
    // One journal, two writers: the run's own events from this command (run-started first, written before
    // the execution started; blocks; run-finished), the steps from the worker, each once.
    const inS3 = journaled?.events ?? [];
    expect(inS3.map(timeless)[0]).toEqual(timeless(events[0] as RunEvent));
    const only = (type: RunEvent['type']) => (list: readonly RunEvent[]) => list.filter((e) => e.type === type).map(timeless);
    for (const type of ['block', 'run-finished'] as const) expect(only(type)(inS3)).toEqual(only(type)(events));
    const attempts = (type: 'step-started' | 'step-finished') =>
      inS3.flatMap((e) => (e.type === type ? [`${e.stepId}@${e.attempt}`] : [])).sort();
    expect(attempts('step-started')).toEqual(['s0@1', 's1@1', 's2@1', 's3#1@1', 's3#2@1', 's4@1', 's5@1']);
    expect(attempts('step-finished')).toEqual(attempts('step-started'));
    // What only the worker knew: the job's handle, the handlers' outputs and log lines.
    const fold = foldJournal(inS3);
    expect([...fold.steps.values()].map((step) => [step.id, step.status])).toEqual(
      [...foldJournal(events).steps.values()].map((step) => [step.id, step.status]),
    );
    expect(fold.steps.get('s0')).toMatchObject({ output: 'built', job: { handle: 'build-arm' } });
    expect(inS3.flatMap((e) => (e.type === 'log' ? [`${e.stepId} ${e.message}`] : []))).toEqual(
      expect.arrayContaining(['s1 notified web', 's2 notified api', 's3#1 notified app one', 's3#2 notified app two']),
    );
  }, 120_000);

  test('seqrun render --run draws the run from that journal', async () => {
    const drawn = await seqrun(['render', 'release.mmd', '--run', passedRun, '--format', 'mermaid']);
    expect(drawn.code).toBe(0);
    expect(drawn.stdout).toMatch(/CI->>AWS: Build arm \(✔ passed, [^)]+\)/);
    expect(drawn.stdout).toMatch(/par web \([^)]+\)\n/);
    expect(drawn.stdout).toContain('loop for each app in one,two (2 iterations)');
    expect(drawn.stdout).toMatch(/CI->>AWS: Deploy \(✔ passed, [^)]+\)/);
    const fromS3 = await seqrun(['render', 'release.mmd', '--run', 'latest', '--journal', 's3://journals/seqrun', '--format', 'mermaid']);
    // The same drawing; the steps' times are the workers' (the handler's own), the history's include the queue.
    const untimed = (text: string) => text.replace(/\d+(\.\d+)? m?s\b/g, 'T');
    expect({ code: fromS3.code, stdout: untimed(fromS3.stdout) }).toEqual({ code: 0, stdout: untimed(drawn.stdout) });
  }, 60_000);

  test('--format plain: a failed step fails the run (exit 1) at its line; the retry is logged, and seqrun logs reads it', async () => {
    const run = await seqrun([
      'run',
      '--engine',
      'stepfunctions',
      'release.mmd',
      '--format',
      'plain',
      '--var',
      'mode=fail',
      '--junit',
      'junit.xml',
      '--journal',
      's3://journals/seqrun',
    ]);
    expect(run.code).toBe(1);
    const runId = /^run (\S+) started: release\.mmd \(6 steps\)$/m.exec(run.stdout)?.[1] ?? '';
    // moto 5.2.1 drops SendTaskFailure's cause (on AWS it is the handler's error: Error: the registry said 503).
    const failure = 'seqrun.StepFailed (Step Functions recorded no cause)';
    expect(run.stderr).toBe(`seqrun: step s5 failed at release.mmd:12:1 (CI->>AWS: Deploy): ${failure}\n`);
    const lines = run.stdout.trim().split('\n');
    expect(lines.slice(-5)).toEqual([
      'start [s5] CI->>AWS: Deploy',
      `  s5 │ warn: attempt 1 failed: ${failure}; Step Functions retries it`,
      'retry (attempt 2) [s5] CI->>AWS: Deploy',
      `failed [s5] CI->>AWS: Deploy at release.mmd:12:1: ${failure}`,
      expect.stringMatching(
        /^run failed in [^:]+: 6 passed, 1 failed, 0 cancelled, 0 skipped \(journal: \.seqrun\/runs\/\S+\/journal\.ndjson\)$/,
      ),
    ]);
    const logs = await seqrun(['logs', runId, 's5']);
    expect(logs).toMatchObject({ code: 0, stdout: `  s5 │ warn: attempt 1 failed: ${failure}; Step Functions retries it\n` });
    // The S3 journal has the worker's own words for each attempt, and the run's end of the step once.
    const fromS3 = await seqrun(['logs', runId, 's5', '--journal', 's3://journals/seqrun']);
    expect(fromS3).toMatchObject({
      code: 0,
      stdout: '  s5 │ warn: attempt 1 failed: Error: the registry said 503\n  s5 │ warn: attempt 2 failed: Error: the registry said 503\n',
    });
    const missing = await seqrun(['logs', runId, '--journal', 's3://no-such-journals/seqrun']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^seqrun logs: .*no-such-journals/);
    const drawn = await seqrun(['render', 'release.mmd', '--run', runId, '--journal', 's3://journals/seqrun', '--format', 'mermaid']);
    expect(drawn.stdout).toMatch(/CI-xAWS: Deploy \(✘ failed, [^)]+, 2 attempts\)/);
    const journal = ndjson(await readFile(join(dir, '.seqrun/runs', runId, 'journal.ndjson'), 'utf8'));
    expect(journal.at(-1)).toMatchObject({ type: 'run-finished', status: 'failed', failedStepId: 's5' });
    // --junit: one test case per step, the failed one with its failure.
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain(`id="${runId}"`);
    expect(junit).toMatch(
      /<testcase name="[^"]*Deploy[^"]*"[^>]*>\n\s*<failure message="seqrun\.StepFailed \(Step Functions recorded no cause\)"/,
    );
  }, 120_000);

  test('a machine deployed from another version of the diagram is refused (exit 2) before anything starts', async () => {
    await mkdir(join(dir, 'next'), { recursive: true });
    await writeFile(join(dir, 'next/release.mmd'), DIAGRAM.replace('CI->>AWS: Deploy', 'CI->>AWS: Deploy\nCI->>Slack: Notify done'));
    const run = await seqrun(['run', '--engine', 'stepfunctions', 'next/release.mmd']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^seqrun run: the state machine release was deployed from another version of next\/release\.mmd \(diagram [0-9a-f]{12}, this one is [0-9a-f]{12}\): its states would not match the steps\. Run seqrun deploy --engine stepfunctions next\/release\.mmd again, and restart the workers with the same diagram\n$/,
    );
    expect(await seqrun(['run', '--engine', 'stepfunctions', 'release.mmd', '--dry-run'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'seqrun run: --dry-run is for the local engine, not --engine stepfunctions\n',
    });
  }, 60_000);

  // Last: the worker is still in the slow step when this ends.
  test('Ctrl-C stops the execution and ends the run interrupted (exit 130): the running step cancelled, the rest skipped', async () => {
    let sent = false;
    const run = await seqrun(
      ['run', '--engine', 'stepfunctions', 'release.mmd', '--format', 'plain', '--var', 'mode=slow'],
      (out, child) => {
        if (!sent && out.includes('start [s5]')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(run.code).toBe(130);
    const runId = /^run (\S+) started/m.exec(run.stdout)?.[1] ?? '';
    expect(run.stderr).toContain(`seqrun: interrupted (SIGINT); the execution ${runId} was stopped\n`);
    const journal = ndjson(await readFile(join(dir, '.seqrun/runs', runId, 'journal.ndjson'), 'utf8'));
    expect(journal.slice(-2).map(timeless)).toEqual([
      {
        type: 'step-finished',
        stepId: 's5',
        status: 'cancelled',
        attempt: 1,
        error: { message: 'the run stopped before it finished', name: 'StepAbortedError' },
      },
      { type: 'run-finished', status: 'interrupted', reason: 'SIGINT' },
    ]);
  }, 120_000);
});
