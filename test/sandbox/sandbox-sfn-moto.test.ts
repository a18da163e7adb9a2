// Which moto `startSandbox` runs, on a sandbox of moto alone (the test starts it, and a moto_server when
// it falls back). With a Python that has moto 5.2.1 (python3 on PATH here, moto_server's own), moto runs
// through moto_sfn_server.py, with the fix for getmoto/moto#10077: two executions of one machine and one
// of another in the same sandbox all succeed, and `status` and `down` know the process. Without one, the
// installed moto_server runs and `up` warns in one line; a SEQRUN_MOTO_PYTHON that has no moto is refused.
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { sfnClient } from '../../src/app/stepfunctions-clients.ts';
import { MOTO_SFN_SERVER } from '../../src/sandbox/moto/sfn-fix.ts';
import { readPid, isAlive } from '../../src/sandbox/processes.ts';
import { findProgram } from '../../src/sandbox/tools.ts';
import { sandboxStatus, startSandbox, stopSandbox } from '../../src/sandbox/index.ts';

let root: string;
const env = { PATH: process.env['PATH'], HOME: process.env['HOME'] };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-sandbox-sfn-moto-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const ROLE = 'arn:aws:iam::123456789012:role/seqrun-machine';

async function passMachine(client: SFNClient, name: string): Promise<string> {
  const definition = { StartAt: 'Done', States: { Done: { Type: 'Pass', Result: { name }, End: true } } };
  const made = await client.send(new CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }));
  return made.stateMachineArn ?? '';
}

async function finished(client: SFNClient, executionArn: string): Promise<string> {
  for (;;) {
    const { status } = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (status !== 'RUNNING') return status ?? 'no status';
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A folder holding `python3`, a stand-in that has no moto. */
async function pythonWithoutMoto(name: string): Promise<string> {
  const bin = join(root, name);
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, 'python3'), `#!/bin/sh\necho "ModuleNotFoundError: No module named 'moto'" >&2\nexit 1\n`);
  await chmod(join(bin, 'python3'), 0o755);
  return bin;
}

describe("the sandbox's moto (starts its own)", () => {
  it(
    'with python3 that has moto 5.2.1: runs the fixed moto, two executions of one machine and one of another all SUCCEEDED; status and down know it',
    { timeout: 120_000 },
    async () => {
      const dir = join(root, 'fixed');
      const progress: string[] = [];
      const warnings: string[] = [];
      const sandbox = await startSandbox({
        dir,
        env,
        services: ['moto'],
        onProgress: (line) => progress.push(line),
        onWarning: (line) => warnings.push(line),
      });
      const client = sfnClient(sandbox.env);
      try {
        expect(warnings).toEqual([]);
        expect(progress).toEqual([
          'moto 5.2.1 with the fix for a second Step Functions execution',
          `moto answers on ${sandbox.services[0]?.url} (pid ${sandbox.services[0]?.pid})`,
        ]);
        expect(await readPid(dir, 'moto')).toEqual({ pid: sandbox.services[0]?.pid, command: MOTO_SFN_SERVER });
        const release = await passMachine(client, 'release');
        const other = await passMachine(client, 'other');
        const executions = [];
        for (const [machine, name] of [
          [release, 'first'],
          [release, 'second'],
          [other, 'third'],
        ] as const) {
          const started = await client.send(new StartExecutionCommand({ stateMachineArn: machine, name, input: '{}' }));
          executions.push(await finished(client, started.executionArn ?? ''));
        }
        expect(executions).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
        expect((await sandboxStatus({ dir }))?.services.map((s) => [s.name, s.running])).toEqual([['moto', true]]);
      } finally {
        client.destroy();
        expect(await stopSandbox({ dir })).toEqual([{ name: 'moto', result: 'stopped' }]);
      }
      expect(sandbox.services.filter((s) => isAlive(s.pid))).toEqual([]);
    },
  );

  it('without a Python that has moto: runs moto_server as installed, and warns in one line', { timeout: 120_000 }, async () => {
    const motoServer = findProgram('moto_server', env.PATH);
    expect(motoServer, 'moto_server on PATH').not.toBeNull();
    const bin = await pythonWithoutMoto('no-moto-python');
    // moto_server by itself in a folder: python3 comes from the stand-in, moto_server's shim still finds its own Python.
    const tools = join(root, 'moto-server-only');
    await mkdir(tools, { recursive: true });
    await symlink(motoServer as string, join(tools, 'moto_server'));
    const dir = join(root, 'fallback');
    const warnings: string[] = [];
    const sandbox = await startSandbox({
      dir,
      env: { ...env, PATH: [bin, tools, '/usr/bin', '/bin'].join(delimiter) },
      services: ['moto'],
      onWarning: (line) => warnings.push(line),
    });
    try {
      expect(warnings).toEqual([
        "moto runs without seqrun's fix for a second Step Functions execution (python3: ModuleNotFoundError: No module named 'moto'): on moto 5.2.1, every StartExecution after the first in this sandbox answers 500 (getmoto/moto#10077); set SEQRUN_MOTO_PYTHON to a Python with moto 5.2.1",
      ]);
      expect(await readPid(dir, 'moto')).toEqual({ pid: sandbox.services[0]?.pid, command: join(tools, 'moto_server') });
      expect((await sandboxStatus({ dir }))?.services.map((s) => [s.name, s.running])).toEqual([['moto', true]]);
    } finally {
      expect(await stopSandbox({ dir })).toEqual([{ name: 'moto', result: 'stopped' }]);
    }
    expect(sandbox.services.filter((s) => isAlive(s.pid))).toEqual([]);
  });

  it('refuses a SEQRUN_MOTO_PYTHON that cannot run moto, before starting anything', async () => {
    const python = join(await pythonWithoutMoto('named-python'), 'python3');
    const error = await startSandbox({ dir: join(root, 'named'), env: { ...env, SEQRUN_MOTO_PYTHON: python }, services: ['moto'] }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      `cannot start the sandbox: the Python for moto (SEQRUN_MOTO_PYTHON=${python}) cannot run it: ModuleNotFoundError: No module named 'moto'; point SEQRUN_MOTO_PYTHON at the Python that has moto, or unset it to run moto_server`,
    );
  });
});
