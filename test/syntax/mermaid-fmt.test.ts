// `seqrun fmt` on mermaid input and `seqrun fmt --to mermaid` as a user runs them: the real bin in a
// child process, in a temporary folder.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

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

const MESSY = [
  '%% the release',
  'sequenceDiagram',
  '  participant A as Pay CI',
  'A ->> +B : Trigger build',
  'loop every build',
  '      alt tests pass',
  'B-->>-A:   Success',
  '',
  '',
  '  else',
  ' Note over A , B: retry',
  '  end',
  'end',
  '',
].join('\n');

const CANONICAL = [
  '%% the release',
  'sequenceDiagram',
  '    participant A as Pay CI',
  '    A->>+B: Trigger build',
  '    loop every build',
  '        alt tests pass',
  '            B-->>-A: Success',
  '        else',
  '            Note over A,B: retry',
  '        end',
  '    end',
  '',
].join('\n');

const FLOWCHART = '```mermaid\nflowchart LR\n  a  -->b\n```\n';

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-mermaid-fmt-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('seqrun fmt on mermaid', () => {
  test('--check lists a .mmd file that is not canonical and exits 1; fmt rewrites it; then --check passes', async () => {
    await writeFile(join(dir, 'release.mmd'), MESSY);
    expect(await seqrun('fmt', '--check', 'release.mmd')).toMatchObject({ code: 1, stdout: 'release.mmd\n' });
    expect(await readFile(join(dir, 'release.mmd'), 'utf8')).toBe(MESSY);
    expect(await seqrun('fmt', 'release.mmd')).toMatchObject({ code: 0, stdout: 'formatted release.mmd\n' });
    expect(await readFile(join(dir, 'release.mmd'), 'utf8')).toBe(CANONICAL);
    expect(await seqrun('fmt', '--check', 'release.mmd')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('in Markdown only the bodies of mermaid sequenceDiagram fences change; other mermaid fences stay', async () => {
    const doc = `# Release\n\n\`\`\`mermaid\n${MESSY}\`\`\`\n\nText.\n\n${FLOWCHART}`;
    await writeFile(join(dir, 'doc.md'), doc);
    expect(await seqrun('fmt', 'doc.md')).toMatchObject({ code: 0 });
    expect(await readFile(join(dir, 'doc.md'), 'utf8')).toBe(doc.replace(MESSY, CANONICAL));
  });

  test('a .mmd with an error is left as it is, with the located error', async () => {
    const broken = 'sequenceDiagram\nloop x\nA->>B: y\n';
    await writeFile(join(dir, 'broken.mmd'), broken);
    const run = await seqrun('fmt', 'broken.mmd');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^broken\.mmd:2:1 error SEQ\d{3}/m);
    expect(await readFile(join(dir, 'broken.mmd'), 'utf8')).toBe(broken);
  });
});

describe('seqrun fmt --to mermaid', () => {
  test('prints a .seq file as mermaid; --write writes the .mmd beside it, which fmt --check accepts', async () => {
    await cp(join(ROOT, 'specs/interim.seq'), join(dir, 'interim.seq'));
    const printed = await seqrun('fmt', '--to', 'mermaid', 'interim.seq');
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(await readFile(join(ROOT, 'specs/interim.mmd'), 'utf8'));
    expect(await seqrun('fmt', '--to', 'mermaid', '--write', 'interim.seq')).toMatchObject({ code: 0, stdout: 'wrote interim.mmd\n' });
    expect(await readFile(join(dir, 'interim.mmd'), 'utf8')).toBe(printed.stdout);
    expect(await readFile(join(dir, 'interim.seq'), 'utf8')).toBe(await readFile(join(ROOT, 'specs/interim.seq'), 'utf8'));
    expect(await seqrun('fmt', '--check', 'interim.mmd')).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('in Markdown every ```sequence fence becomes a ```mermaid fence; --write converts in place, every other byte kept', async () => {
    const doc = `# Release\n\n~~~sequence\n# the seed\nA->B: Push #x; now\nB-->A: Success\n~~~\n\n${FLOWCHART}`;
    const converted = doc.replace(
      '~~~sequence\n# the seed\nA->B: Push #x; now\nB-->A: Success\n~~~',
      '~~~mermaid\nsequenceDiagram\n    %% the seed\n    A->>B: Push #35;x#59; now\n    B-->>A: Success\n~~~',
    );
    await writeFile(join(dir, 'doc.md'), doc);
    expect(await seqrun('fmt', '--to', 'mermaid', 'doc.md')).toEqual({ code: 0, stdout: converted, stderr: '' });
    expect(await readFile(join(dir, 'doc.md'), 'utf8')).toBe(doc);
    expect(await seqrun('fmt', '--to', 'mermaid', '--write', 'doc.md')).toMatchObject({
      code: 0,
      stdout: 'converted 1 diagram(s) in doc.md\n',
    });
    expect(await readFile(join(dir, 'doc.md'), 'utf8')).toBe(converted);
    const parsed = JSON.parse((await seqrun('parse', '--json', 'doc.md')).stdout) as {
      files: { diagrams: { steps: { text: string }[] }[] }[];
    };
    expect(parsed.files[0]?.diagrams[0]?.steps.map((s) => s.text)).toEqual(['Push #x; now', 'Success']);
  });

  test('a text holding <br> is not converted (mermaid would draw a line break): SEQ150 at its line in the Markdown file', async () => {
    const doc = '# Release\n\n```sequence\nA->B: fine\nA->B: one<br/>two\n```\n';
    await writeFile(join(dir, 'doc.md'), doc);
    const run = await seqrun('fmt', '--to', 'mermaid', '--write', 'doc.md');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("doc.md:5:1 error SEQ150 '<br/>' in 'one<br/>two' would be a line break in mermaid");
    expect(run.stderr).toContain('1 diagram(s) have errors and were not converted');
    expect(await readFile(join(dir, 'doc.md'), 'utf8')).toBe(doc);
  });

  test('a .seq with errors is not converted; --check with --to is refused', async () => {
    await writeFile(join(dir, 'broken.seq'), 'A->B: fine\nA->B hello\n');
    const run = await seqrun('fmt', '--to', 'mermaid', '--write', 'broken.seq');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('broken.seq:2:');
    expect(run.stderr).toContain('1 diagram(s) have errors and were not converted');
    await expect(readFile(join(dir, 'broken.mmd'), 'utf8')).rejects.toThrow(/ENOENT/);
    const both = await seqrun('fmt', '--to', 'mermaid', '--check', 'broken.seq');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--check and --to mermaid do not go together');
  });
});
