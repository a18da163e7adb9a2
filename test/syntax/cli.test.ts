// `seqrun parse` and `seqrun fmt` as a user runs them: the real bin in a child process, in a
// temporary folder holding copies of the seed.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/seqrun.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';

function seqrun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-cli-'));
  await cp(join(ROOT, 'specs'), join(dir, 'specs'), { recursive: true });
  // The seed as it was written (docs/deploy-to-test.md itself grows status sections as runs are rendered).
  await cp(join(ROOT, 'test/fixtures/syntax/deploy-to-test.md'), join(dir, 'docs/deploy-to-test.md'));
  await writeFile(join(dir, 'broken.seq'), 'A->B: fine\nA->B hello\nloop x\nNote over A,B,C: x\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seqrun parse', () => {
  test('--json on the final seed: 4 participants and 24 steps with their texts', async () => {
    const { code, stdout } = await seqrun('parse', '--json', 'specs/final.seq');
    expect(code).toBe(0);
    const [file] = JSON.parse(stdout).files;
    expect(file.file).toBe('specs/final.seq');
    expect(file.diagnostics).toEqual([]);
    const [diagram] = file.diagrams;
    expect(diagram.participants).toEqual([
      { id: 'Pay CI', label: 'Pay CI' },
      { id: 'GitHub', label: 'GitHub' },
      { id: 'AWS', label: 'AWS' },
      { id: 'Dockerhub', label: 'Dockerhub' },
    ]);
    expect(diagram.steps).toHaveLength(24);
    expect(diagram.steps[0]).toEqual({
      kind: 'note',
      position: 'left',
      participants: ['Pay CI'],
      text: 'Candidate build tag created',
      loc: { line: 1, column: 1 },
    });
    expect(diagram.steps[1]).toEqual({
      kind: 'message',
      from: 'Pay CI',
      to: 'GitHub',
      line: 'solid',
      arrow: 'filled',
      text: 'Fetch main branch release',
      loc: { line: 2, column: 1 },
    });
    expect(diagram.steps.filter((s: { text: string }) => s.text.includes('#'))).toHaveLength(3);
  });

  test('--json on the seed document: three named diagrams located by Markdown lines', async () => {
    const { code, stdout } = await seqrun('parse', '--json', 'docs/deploy-to-test.md');
    expect(code).toBe(0);
    const [file] = JSON.parse(stdout).files;
    expect(file.diagrams.map((d: { name: string }) => d.name)).toEqual([
      'Current candidate release process',
      'Interim candidate release process',
      'Final candidate release process',
    ]);
    expect(file.diagrams.map((d: { steps: { loc: unknown }[] }) => d.steps[0]?.loc)).toEqual([
      { line: 6, column: 1 },
      { line: 29, column: 1 },
      { line: 57, column: 1 },
    ]);
    const selected = await seqrun('parse', '--json', 'docs/deploy-to-test.md#final-candidate-release-process');
    expect(JSON.parse(selected.stdout).files[0].diagrams.map((d: { name: string }) => d.name)).toEqual(['Final candidate release process']);
  });

  test('three broken lines: three diagnostics, each printed with a code frame; exit 1', async () => {
    const json = await seqrun('parse', '--json', 'broken.seq');
    expect(json.code).toBe(1);
    expect(
      JSON.parse(json.stdout).files[0].diagnostics.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column]),
    ).toEqual([
      ['SEQ105', 2, 11],
      ['SEQ100', 3, 1],
      ['SEQ108', 4, 14],
    ]);
    const human = await seqrun('parse', 'broken.seq');
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("broken.seq:2:11 error SEQ105 a message needs ':' before its text");
    expect(human.stderr).toContain('> 2 | A->B hello\n    |           ^\n');
    expect(human.stderr).toContain('> 3 | loop x\n    | ^^^^^^\n');
    expect(human.stderr).toContain('> 4 | Note over A,B,C: x\n    |              ^\n');
    expect(human.stderr.match(/hint: /g)).toHaveLength(3);
    expect(human.stderr).toContain('3 error(s), 0 warning(s)');
  });

  test('a missing file is reported without a stack trace', async () => {
    const { code, stderr } = await seqrun('parse', 'nope.seq');
    expect(code).toBe(2);
    expect(stderr).toContain('nope.seq error SEQ001 cannot read nope.seq: no such file');
    expect(stderr).not.toContain('    at ');
  });
});

describe('seqrun fmt', () => {
  test('--check passes on the seed specs and document', async () => {
    const { code, stdout, stderr } = await seqrun('fmt', '--check', 'specs', 'docs');
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('--check lists a file with irregular spacing and exits 1; fmt fixes it', async () => {
    await writeFile(join(dir, 'irregular.seq'), 'A  ->B :  hi  \nNote left of   A:x\n');
    const check = await seqrun('fmt', '--check', 'irregular.seq', 'specs');
    expect(check.code).toBe(1);
    expect(check.stdout).toBe('irregular.seq\n');
    expect(await readFile(join(dir, 'irregular.seq'), 'utf8')).toBe('A  ->B :  hi  \nNote left of   A:x\n');
    const fix = await seqrun('fmt', 'irregular.seq');
    expect(fix.code).toBe(0);
    expect(await readFile(join(dir, 'irregular.seq'), 'utf8')).toBe('A->B: hi\nNote left of A: x\n');
    expect((await seqrun('fmt', '--check', 'irregular.seq')).code).toBe(0);
  });

  test('in Markdown only the fence changes', async () => {
    const text = '# Doc  \n\nprose  with  spaces\n\n```sequence\nA->B:x\n```\n';
    await writeFile(join(dir, 'doc.md'), text);
    expect((await seqrun('fmt', 'doc.md')).code).toBe(0);
    expect(await readFile(join(dir, 'doc.md'), 'utf8')).toBe('# Doc  \n\nprose  with  spaces\n\n```sequence\nA->B: x\n```\n');
  });

  test('a file with errors is left alone and its errors are shown', async () => {
    const { code, stderr } = await seqrun('fmt', 'broken.seq');
    expect(code).toBe(1);
    expect(stderr).toContain('broken.seq:2:11 error SEQ105');
    expect(await readFile(join(dir, 'broken.seq'), 'utf8')).toBe('A->B: fine\nA->B hello\nloop x\nNote over A,B,C: x\n');
  });
});
