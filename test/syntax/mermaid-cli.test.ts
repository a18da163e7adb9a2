// The mermaid dialect through the real CLI: `seqrun parse --json` on .mmd files and on Markdown with
// ```mermaid fences, the dialect chosen by extension and fence (never by content), and `check` / `plan`
// on a mermaid diagram whose steps sit inside blocks.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/seqrun.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';

function seqrun(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const RELEASE = [
  'sequenceDiagram',
  '  participant CI as Pay CI',
  '  CI->>+GitHub: Fetch main branch release',
  '  loop every candidate',
  '    CI->>GitHub: Poll',
  '  end',
  '  GitHub-->>-CI: Success',
  '',
].join('\n');

const DOC = [
  '# Release',
  '',
  '```mermaid',
  'flowchart LR',
  '  A --> B',
  '```',
  '',
  '```mermaid',
  '%% the process',
  'sequenceDiagram',
  '  alt green',
  '    A->>B: ship',
  '  else',
  '    Note over A: wait',
  '  end',
  '```',
  '',
  '## Old way',
  '',
  '```sequence',
  'A->B: old',
  '```',
  '',
].join('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-mermaid-cli-'));
  await writeFile(join(dir, 'release.mmd'), RELEASE);
  await writeFile(join(dir, 'doc.md'), DOC);
  await writeFile(join(dir, 'flow.mmd'), 'flowchart LR\n  A --> B\n');
  await writeFile(join(dir, 'wrong.md'), '# W\n\n```sequence\nsequenceDiagram\n  A->>B: x\n```\n');
  await writeFile(
    join(dir, 'latin1.mmd'),
    Buffer.concat([Buffer.from('sequenceDiagram\nA->>B: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
  );
  await writeFile(join(dir, 'broken.mmd'), 'sequenceDiagram\n  loop forever\n    A<-B: x\n    B-->>-A: y\n');
  await writeFile(
    join(dir, 'steps.mmd'),
    'sequenceDiagram\n  participant Pay CI\n  participant GitHub\n  par both\n    Pay CI->>GitHub: Fetch main branch release\n  and\n    Pay CI->>+GitHub: Fetch main branch release\n    GitHub-->>-Pay CI: Success\n  end\n',
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seqrun parse --json on mermaid', () => {
  test('a .mmd file: dialect, labels and shapes, mermaid arrows and activations, the blocks tree', async () => {
    const { code, stdout } = await seqrun(dir, 'parse', '--json', 'release.mmd');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      files: [
        {
          file: 'release.mmd',
          diagnostics: [],
          diagrams: [
            {
              dialect: 'mermaid',
              name: null,
              title: null,
              participants: [
                { id: 'CI', label: 'Pay CI', shape: 'participant' },
                { id: 'GitHub', label: 'GitHub', shape: 'participant' },
              ],
              steps: [
                {
                  kind: 'message',
                  from: 'CI',
                  to: 'GitHub',
                  line: 'solid',
                  arrow: 'solid',
                  written: '->>',
                  activation: 'activate-target',
                  text: 'Fetch main branch release',
                  loc: { line: 3, column: 3 },
                },
                {
                  kind: 'message',
                  from: 'CI',
                  to: 'GitHub',
                  line: 'solid',
                  arrow: 'solid',
                  written: '->>',
                  text: 'Poll',
                  loc: { line: 5, column: 5 },
                },
                {
                  kind: 'message',
                  from: 'GitHub',
                  to: 'CI',
                  line: 'dashed',
                  arrow: 'dotted',
                  written: '-->>',
                  activation: 'deactivate-source',
                  text: 'Success',
                  loc: { line: 7, column: 3 },
                },
              ],
              blocks: [
                {
                  block: 'loop',
                  loc: { line: 4, column: 3 },
                  endLoc: { line: 6, column: 3 },
                  sections: [{ keyword: 'loop', label: 'every candidate', loc: { line: 4, column: 3 }, steps: [1], blocks: [] }],
                },
              ],
              activations: [],
            },
          ],
        },
      ],
    });
  });

  test('Markdown: mermaid sequenceDiagram fences are read, other mermaid fences skipped, selectors work', async () => {
    const all = JSON.parse((await seqrun(dir, 'parse', '--json', 'doc.md')).stdout);
    const [file] = all.files;
    expect(file.diagnostics).toEqual([]);
    expect(file.diagrams.map((d: { dialect: string; name: string }) => [d.dialect, d.name])).toEqual([
      ['mermaid', 'Release'],
      ['sequence', 'Old way'],
    ]);
    const [mermaid] = file.diagrams;
    expect(mermaid.steps.map((s: { text: string; loc: unknown }) => [s.text, s.loc])).toEqual([
      ['ship', { line: 12, column: 5 }],
      ['wait', { line: 14, column: 5 }],
    ]);
    expect(mermaid.blocks).toEqual([
      {
        block: 'alt',
        loc: { line: 11, column: 3 },
        endLoc: { line: 15, column: 3 },
        sections: [
          { keyword: 'alt', label: 'green', loc: { line: 11, column: 3 }, steps: [0], blocks: [] },
          { keyword: 'else', label: '', loc: { line: 13, column: 3 }, steps: [1], blocks: [] },
        ],
      },
    ]);
    const selected = JSON.parse((await seqrun(dir, 'parse', '--json', 'doc.md#release')).stdout);
    expect(selected.files[0].diagrams.map((d: { name: string }) => d.name)).toEqual(['Release']);
  });

  test('the dialect is never guessed: a mermaid body in a ```sequence fence, a .mmd flowchart', async () => {
    const wrong = JSON.parse((await seqrun(dir, 'parse', '--json', 'wrong.md')).stdout);
    expect(wrong.files[0].diagnostics.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column])).toEqual([
      ['SEQ006', 3, 1],
    ]);
    const flow = await seqrun(dir, 'parse', 'flow.mmd');
    expect(flow.code).toBe(2);
    expect(flow.stdout + flow.stderr).toContain(
      "flow.mmd:1:1 error SEQ007 flow.mmd is not a mermaid sequenceDiagram: it is a 'flowchart' diagram",
    );
  });

  test('every broken line of a .mmd is reported with its line and column, a code frame and a hint', async () => {
    const { code, stdout, stderr } = await seqrun(dir, 'parse', 'broken.mmd');
    expect(code).toBe(1);
    const output = stdout + stderr;
    expect(output).toContain("broken.mmd:3:6 error SEQ122 '<-' is not a mermaid arrow");
    expect(output).toContain('broken.mmd:4:5 error SEQ131');
    expect(output).toContain('broken.mmd:2:3 error SEQ128');
    expect(output).toContain('> 3 |     A<-B: x');
    const json = JSON.parse((await seqrun(dir, 'parse', '--json', 'broken.mmd')).stdout);
    expect(json.files[0].diagnostics.map((d: { code: string; line: number }) => `${d.line} ${d.code}`)).toEqual([
      '2 SEQ128',
      '3 SEQ122',
      '4 SEQ131',
    ]);
  });
});

test('a .mmd file that is not UTF-8 is SEQ004 at its first bad byte, exit 2', async () => {
  const { code, stdout } = await seqrun(dir, 'parse', '--json', 'latin1.mmd');
  expect(code).toBe(2);
  const [file] = JSON.parse(stdout).files;
  expect(file.diagrams).toEqual([]);
  expect(file.diagnostics.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column])).toEqual([
    ['SEQ004', 2, 11],
  ]);
});

describe('check and plan on a mermaid diagram (steps inside blocks bind as any step)', () => {
  test('seqrun plan binds the steps inside a par block to the seed handlers and pairs the reply', async () => {
    const { code, stdout } = await seqrun(ROOT, 'plan', join(dir, 'steps.mmd'));
    expect(code).toBe(0);
    expect(stdout).toContain('3 steps');
    expect(stdout).toMatch(/8 +GitHub-->>-Pay CI: Success +reply +built-in Success .*answers line 7/);
  });

  test('seqrun check reads it without a crash: every step bound', async () => {
    const { stdout, stderr } = await seqrun(ROOT, 'check', '--allow-unused', join(dir, 'steps.mmd'));
    expect(stdout + stderr).toContain('1 diagram, 3 steps: 3 bound');
    expect(stdout + stderr).not.toMatch(/TypeError|at .*\.js:\d+/);
  });
});
