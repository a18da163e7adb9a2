// `seqrun export --to stepfunctions` as users run it: the real CLI on the seed's diagrams with the
// project's bindings. Every seed exports to a machine asl-validator accepts; specs/final.seq's machine is
// a golden file (`UPDATE_GOLDEN=1` rewrites it).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import aslValidator from 'asl-validator';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const golden = join(repo, 'test/fixtures/engines/final.asl.json');

function seqrun(args: readonly string[], cwd = repo) {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SEQRUN_PROFILE: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-export-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seqrun export --to stepfunctions', () => {
  test('every seed diagram exports to a valid state machine', async () => {
    const seeds = (await readdir(join(repo, 'specs'))).filter((f) => f.endsWith('.seq') || f.endsWith('.mmd'));
    expect(seeds).toEqual(expect.arrayContaining(['current.seq', 'interim.seq', 'final.seq', 'current.mmd', 'interim.mmd', 'final.mmd']));
    for (const seed of seeds) {
      const { code, stdout, stderr } = seqrun(['export', '--to', 'stepfunctions', `specs/${seed}`]);
      expect({ seed, code, stderr }).toEqual({ seed, code: 0, stderr: '' });
      const { isValid, errorsText } = aslValidator(JSON.parse(stdout));
      expect(isValid, `${seed}: ${errorsText('\n')}`).toBe(true);
    }
  });

  test('specs/final.seq: the golden machine, written with -o', async () => {
    const out = join(dir, 'final.asl.json');
    const { code, stdout } = seqrun(['export', '--to', 'stepfunctions', 'specs/final.seq', '-o', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    const written = await readFile(out, 'utf8');
    if (process.env['UPDATE_GOLDEN'] === '1') await writeFile(golden, written);
    expect(written).toBe(await readFile(golden, 'utf8'));
  });

  test('specs/release.mmd: the loop, par, critical and break as Map, Parallel, Catch and Fail', () => {
    const { code, stdout } = seqrun(['export', '--to', 'stepfunctions', 'specs/release.mmd', '--queue', 'http://127.0.0.1:9/q']);
    expect(code).toBe(0);
    const types = [...stdout.matchAll(/"Type": "(\w+)"/g)].map((m) => m[1]);
    expect(new Set(types)).toEqual(new Set(['Task', 'Pass', 'Choice', 'Map', 'Parallel', 'Fail']));
    expect(stdout).toContain('"QueueUrl": "http://127.0.0.1:9/q"');
    expect(stdout).not.toContain('${SeqrunQueueUrl}');
  });

  test('interleaving jobs: exit 1, SEQ370 with the file, line and column, nothing written', async () => {
    await writeFile(join(dir, 'seqrun.config.ts'), `export default { bindings: ['steps.ts'] };\n`);
    await writeFile(
      join(dir, 'steps.ts'),
      `import { defineSteps } from ${JSON.stringify(join(repo, 'src/index.ts'))};
const job = { start: async () => 'h', wait: async () => 'done' };
export default defineSteps((s) => {
  s.job('Build {word}', job);
  s.note('Await {word}', () => undefined);
});
`,
    );
    const diagram = 'CI->AWS: Build arm\nCI->GCP: Build x86\nNote left of CI: Await arm\nAWS-->CI: Success\nGCP-->CI: Success\n';
    await writeFile(join(dir, 'interleaved.seq'), diagram);
    const out = join(dir, 'interleaved.asl.json');
    const { code, stdout, stderr } = seqrun(['export', '--to', 'stepfunctions', 'interleaved.seq', '-o', out], dir);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/interleaved\.seq:2:1/);
    expect(stderr).toContain('SEQ370');
    await expect(readFile(out, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  test('an engine it does not know: a usage error (exit 2)', () => {
    const { code, stderr } = seqrun(['export', '--to', 'airflow', 'specs/final.seq']);
    expect(code).toBe(2);
    expect(stderr).toContain("Invalid value for --to: 'airflow' (choose from 'stepfunctions')");
  });
});
