// `seqrun sandbox` as a child process: usage errors and refusals exit non-zero with a clear message.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../../bin/seqrun.js', import.meta.url));
let root: string;

async function seqrun(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  return run(process.execPath, [bin, ...args], { cwd: root, env: { PATH: process.env['PATH'], HOME: process.env['HOME'] } }).then(
    ({ stdout, stderr }) => ({ stdout, stderr, code: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-sandbox-cli-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('seqrun sandbox (CLI)', () => {
  it('rejects a malformed --port as a usage error', async () => {
    const result = await seqrun('sandbox', 'up', '--port', 'slack=abc');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "--port 'slack=abc' is not SERVICE=PORT with SERVICE one of moto, ecr-registry, dockerhub, ecr-bridge, codebuild, slack",
    );
  });

  it('fails clearly when a port asked for is taken', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const result = await seqrun('sandbox', 'up', '--port', `moto=${port}`);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`seqrun sandbox up: port 127.0.0.1:${port} asked for moto is already in use`);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      server.close();
    }
  });

  it('says there is no sandbox for env and status, and down is a no-op', async () => {
    expect(await seqrun('sandbox', 'env')).toMatchObject({
      code: 1,
      stderr: 'seqrun sandbox env: no sandbox in .seqrun/sandbox; start one with: seqrun sandbox up\n',
    });
    expect(await seqrun('sandbox', 'status')).toMatchObject({ code: 1 });
    expect(await seqrun('sandbox', 'down')).toMatchObject({ code: 0, stderr: 'no sandbox was running in .seqrun/sandbox\n' });
  });
});
