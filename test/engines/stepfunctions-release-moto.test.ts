// One execution of a release at a time on the Step Functions engine, against moto_server (the test
// starts its own, through moto_sfn_server.py so that one server runs every execution, with a
// `seqrun worker` answering): `seqrun run --engine stepfunctions` refuses a second run of a release
// whose execution is running (exit 2, naming it), starts another release beside it, follows the running
// one with --attach (from another checkout), and with --wait-for-lease starts its own once it ended.
// The release's first step waits for a file, gate-<release>, that the test writes when it is ready.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from '../../src/app/stepfunctions-clients.ts';
import { parsedInput } from '../../src/app/stepfunctions-release.ts';
import type { RunEvent } from '../../src/run/events.ts';
import type { MotoServer } from '../../src/sandbox/moto.ts';
import { MOTO_SFN_SERVER } from '../../src/sandbox/moto/sfn-fix.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { readS3Journal } from '../../src/store/s3-journal.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { sfnMotoProject } from '../support/sfn-moto-project.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repo, 'bin/seqrun.js');
const JOURNAL = 's3://journals/seqrun';
let moto: MotoServer;
let dir: string;
/** A second checkout of the same project (a retried CI job's). */
let other: string;
let env: Record<string, string | undefined>;
let worker: ChildProcess;
let workerErr = '';
let stateMachineArn = '';

const DIAGRAM = [
  'sequenceDiagram',
  'CI->>AWS: Wait for the gate',
  'loop for each app in one,two',
  'CI->>Slack: Notify app',
  'end',
  '',
].join('\n');

async function checkout(at: string): Promise<void> {
  await mkdir(at, { recursive: true });
  // `workdir` is not part of the release: runs that differ only in it are one release.
  await writeFile(join(at, 'seqrun.config.ts'), `export default { bindings: ['steps.ts'], releaseKey: ['release'] };\n`);
  await writeFile(
    join(at, 'steps.ts'),
    `import { existsSync } from 'node:fs';
import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
export default defineSteps((s) => {
  s.call('Wait for the gate', async (ctx) => {
    const gate = ${JSON.stringify(dir)} + '/gate-' + ctx.vars['release'];
    for (let i = 0; i < 900 && !existsSync(gate); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(gate)) throw new Error('no ' + gate + ' after 90 s');
  });
  s.loop('for each app in {word}', (_ctx, list) => String(list).split(','));
  s.call('Notify {word}', (ctx, what) => ctx.log.info('notified ' + String(what) + ' ' + String(ctx.item)));
});
`,
  );
  await writeFile(join(at, 'release.mmd'), DIAGRAM);
}

beforeAll(async () => {
  ({ moto, dir, env } = await sfnMotoProject('seqrun-sfn-release-', MOTO_SFN_SERVER));
  other = join(dir, 'other-checkout');
  await checkout(dir);
  await checkout(other);
  const deployed = spawnSync(
    process.execPath,
    [bin, 'deploy', '--engine', 'stepfunctions', 'release.mmd', '--role-arn', 'arn:aws:iam::123456789012:role/seqrun-machine'],
    { cwd: dir, env, encoding: 'utf8' },
  );
  expect(deployed.stderr).toBe('');
  const { queueUrl, stateMachineArn: arn } = JSON.parse(deployed.stdout) as { queueUrl: string; stateMachineArn: string };
  stateMachineArn = arn;
  worker = spawn(process.execPath, [bin, 'worker', '--engine', 'stepfunctions', '--queue', queueUrl, '--journal', JOURNAL, 'release.mmd'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
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

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `seqrun run --engine stepfunctions release.mmd ARGS` as a child process; `until` resolves once its output says `text`. */
function run(args: readonly string[], cwd = dir): { readonly done: Promise<Ran>; until(text: string): Promise<void> } {
  const child = spawn(process.execPath, [bin, 'run', '--engine', 'stepfunctions', 'release.mmd', '--format', 'plain', ...args], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  const look = (): void => {
    for (const w of [...waiting])
      if (stdout.includes(w.text) || stderr.includes(w.text)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
  };
  child.stdout.on('data', (chunk: Buffer) => ((stdout += chunk.toString('utf8')), look()));
  child.stderr.on('data', (chunk: Buffer) => ((stderr += chunk.toString('utf8')), look()));
  const done = new Promise<Ran>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return {
    done,
    until: (text) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ text, resolve });
        look();
        void done.then(() => reject(new Error(`the run ended before it said '${text}': ${stdout}${stderr}`)));
      }),
  };
}

const gate = (release: string): Promise<void> => writeFile(join(dir, `gate-${release}`), '');

/** The machine's executions of `--var release=N`, oldest first, read from their inputs. */
async function executionsOf(release: string): Promise<{ name: string; status: string; startDate: Date; stopDate?: Date }[]> {
  const sfn = sfnClient(env);
  try {
    const { executions = [] } = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const described = await Promise.all(executions.map((e) => sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))));
    return described
      .filter((d) => (parsedInput(d.input) as { vars?: { release?: string } } | null)?.vars?.release === release)
      .map((d) => ({
        name: d.name ?? '',
        status: d.status ?? '',
        startDate: d.startDate ?? new Date(0),
        ...(d.stopDate ? { stopDate: d.stopDate } : {}),
      }))
      .sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  } finally {
    sfn.destroy();
  }
}

const runIdOf = (out: string): string => /^run (\S+) started: release\.mmd/m.exec(out)?.[1] ?? 'no run id';
/** The plain report's lines without times. */
const untimed = (out: string): string[] =>
  out
    .trim()
    .split('\n')
    .map((line) => line.replace(/\d+(\.\d+)? m?s\b/g, 'T'));
const ndjson = (text: string): RunEvent[] =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RunEvent);

describe('one execution of a release at a time on Step Functions, on moto_server (starts its own)', () => {
  test('a second run of the running release is refused (exit 2) naming its execution; another release starts beside it; --attach follows it to its end', async () => {
    const first = run(['--var', 'release=1', '--journal', JOURNAL]);
    await first.until('start [s0]');
    const [running] = await executionsOf('1');
    expect(running).toMatchObject({ status: 'RUNNING' });
    const name = running?.name ?? '';

    // Refused, with and without the S3 journal (whose lease guards the check), and with another workdir: the same release.
    for (const extra of [[], ['--journal', JOURNAL], ['--var', 'workdir=/tmp/elsewhere']]) {
      const second = await run(['--var', 'release=1', ...extra]).done;
      expect({ code: second.code, stdout: second.stdout }).toEqual({ code: 2, stdout: '' });
      expect(second.stderr).toMatch(
        new RegExp(
          `^seqrun run: execution ${name} is running this release since \\S+Z: release\\.mmd with the same profile and release\\. ` +
            `Two runs of one release would both start its builds and push its tags; follow it with --attach, wait for it to end with --wait-for-lease, ` +
            `or stop it \\(aws stepfunctions stop-execution --execution-arn arn:aws:states:\\S+:execution:release:${name}\\)\\.\\n$`,
        ),
      );
    }
    expect((await executionsOf('1')).map((e) => e.name)).toEqual([name]);

    // Another release runs beside it.
    await gate('2');
    const beside = await run(['--var', 'release=2']).done;
    expect({ code: beside.code, stderr: beside.stderr }).toEqual({ code: 0, stderr: '' });
    expect(await executionsOf('2')).toEqual([expect.objectContaining({ name: runIdOf(beside.stdout), status: 'SUCCEEDED' })]);
    expect((await executionsOf('1')).map((e) => e.status)).toEqual(['RUNNING']);

    // A retried CI job, in a fresh checkout, follows the running execution.
    const attached = run(['--var', 'release=1', '--attach', '--journal', JOURNAL], other);
    await attached.until('start [s0]');
    await gate('1');
    const [a, b] = await Promise.all([first.done, attached.done]);
    expect({ code: a.code, stderr: a.stderr }).toEqual({ code: 0, stderr: '' });
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(new RegExp(`^seqrun run: execution ${name} is running this release since \\S+Z; following it\\n$`));
    expect(runIdOf(b.stdout)).toBe(name);
    expect(untimed(b.stdout)).toEqual(untimed(a.stdout));
    expect(untimed(a.stdout).at(-1)).toMatch(/^run passed in T: 3 passed, 0 failed/);
    expect(await executionsOf('1')).toEqual([expect.objectContaining({ name, status: 'SUCCEEDED' })]);
    // The release's steps ran once, whoever followed them.
    expect(workerErr.match(new RegExp(`answered s0 of run ${name}`, 'g'))).toHaveLength(1);

    // The new checkout's journal holds the whole run from the history, as the first one's does.
    const journal = (at: string): Promise<RunEvent[]> => readFile(join(at, '.seqrun/runs', name, 'journal.ndjson'), 'utf8').then(ndjson);
    expect(await journal(other)).toEqual(await journal(dir));
    // The S3 journal, written by the worker and both followers, has each step, block and the run's end once.
    const s3 = s3Client(env);
    const inS3 = (await readS3Journal({ client: s3, location: parseS3Location(JOURNAL) }, name))?.events ?? [];
    s3.destroy();
    const said = (e: RunEvent): string[] => {
      if (e.type === 'step-finished') return [`${e.stepId} ${e.status}`];
      if (e.type === 'block') return [`${e.blockId} ${e.what}`];
      return e.type === 'run-started' || e.type === 'run-finished' ? [e.type] : [];
    };
    expect(inS3.flatMap(said)).toEqual(expect.arrayContaining((await journal(dir)).flatMap(said)));
    expect(inS3.flatMap(said).sort()).toEqual((await journal(dir)).flatMap(said).sort());
  }, 180_000);

  test('with --wait-for-lease a second run waits for the running execution to end, then starts its own', async () => {
    const first = run(['--var', 'release=3', '--journal', JOURNAL]);
    await first.until('start [s0]');
    const waiting = run(['--var', 'release=3', '--wait-for-lease', '--journal', JOURNAL]);
    await waiting.until('seqrun run: waiting for execution');
    expect((await executionsOf('3')).map((e) => e.status)).toEqual(['RUNNING']);
    await gate('3');
    const [a, b] = await Promise.all([first.done, waiting.done]);
    expect({ code: a.code, stderr: a.stderr }).toEqual({ code: 0, stderr: '' });
    expect(b.code).toBe(0);
    expect(b.stderr).toBe(
      `seqrun run: waiting for execution ${runIdOf(a.stdout)} of this release (running since ${(await executionsOf('3'))[0]?.startDate.toISOString()}) to end\n`,
    );
    const executions = await executionsOf('3');
    expect(executions.map((e) => [e.name, e.status])).toEqual([
      [runIdOf(a.stdout), 'SUCCEEDED'],
      [runIdOf(b.stdout), 'SUCCEEDED'],
    ]);
    // Started only once the first had ended.
    expect(executions[1]?.startDate.getTime()).toBeGreaterThanOrEqual(executions[0]?.stopDate?.getTime() ?? Infinity);
  }, 180_000);

  test('two runs of one release at the same moment with an S3 journal: its lease lets one start, the other is refused', async () => {
    const [a, b] = [run(['--var', 'release=4', '--journal', JOURNAL]), run(['--var', 'release=4', '--journal', JOURNAL])];
    // Refused within moments (both would otherwise wait at the gate, which opens only below).
    const refused = await Promise.race([
      a.done,
      b.done,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('neither run was refused within 30 s')), 30_000)),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^seqrun run: execution \S+ is running this release since /);
    expect((await executionsOf('4')).map((e) => e.status)).toEqual(['RUNNING']);
    await gate('4');
    const both = await Promise.all([a.done, b.done]);
    expect(both.map((r) => r.code).sort()).toEqual([0, 2]);
    expect((await executionsOf('4')).map((e) => e.status)).toEqual(['SUCCEEDED']);
  }, 180_000);

  test('--attach with no execution of the release running starts one; --attach is refused with --wait-for-lease and on the local engine', async () => {
    await gate('5');
    const started = await run(['--var', 'release=5', '--attach']).done;
    expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await executionsOf('5')).map((e) => [e.name, e.status])).toEqual([[runIdOf(started.stdout), 'SUCCEEDED']]);
    expect(await run(['--var', 'release=5', '--attach', '--wait-for-lease']).done).toEqual({
      code: 2,
      stdout: '',
      stderr: 'seqrun run: --attach follows the running execution of the release, --wait-for-lease waits for it to end: choose one\n',
    });
    expect(await run(['--var', 'release=5', '--attach', '--engine', 'local']).done).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'seqrun run: --attach is for --engine stepfunctions; on the local engine a second run of a release waits with --wait-for-lease\n',
    });
    expect((await executionsOf('5')).length).toBe(1);
  }, 120_000);
});
