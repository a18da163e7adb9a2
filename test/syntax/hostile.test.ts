// Hostile and broken files as a user meets them: the real bin in a child process, in a temporary
// folder. Bounded output for any number of errors, no bytes lost to a decoder, no control characters
// reaching the terminal, and no path that silently yields nothing.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { escapeControls } from '../../src/diagnostics/escape.ts';

const BIN = fileURLToPath(new URL('../../bin/seqrun.js', import.meta.url));
let dir = '';

function seqrun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** `A->B: caf` + the Latin-1 byte for é + ` x`: not UTF-8 at byte offset 18 (line 2, column 10). */
const LATIN1 = Buffer.concat([Buffer.from('A->B: ok\nA->B: caf'), Buffer.from([0xe9]), Buffer.from(' x\n')]);
const HOSTILE = 'A->B: ok\n\u001b]0;owned\u0007\u001b[2J\u009b31mA->B hello\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-hostile-'));
  await writeFile(join(dir, 'many.seq'), `${Array.from({ length: 20_000 }, (_, i) => `A->B hello ${i}`).join('\n')}\n`);
  await writeFile(join(dir, 'latin1.seq'), LATIN1);
  await writeFile(join(dir, 'bom.seq'), '\ufeffA  ->B :  hi\n');
  await writeFile(join(dir, 'hostile.seq'), HOSTILE);
  await mkdir(join(dir, 'folder.seq'));
  await mkdir(join(dir, 'empty'));
  await writeFile(join(dir, 'prose.md'), '# No diagram here\n\n```js\nA->B: x\n```\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('many errors', () => {
  test('20k broken lines: 100 code frames, then one line counting the rest', async () => {
    const { code, stderr } = await seqrun('parse', 'many.seq');
    expect(code).toBe(1);
    expect(stderr.match(/^many\.seq:\d+:\d+ error SEQ105/gm)).toHaveLength(100);
    expect(stderr.match(/^> /gm)).toHaveLength(100);
    expect(stderr).toContain('many.seq: 19900 more errors not shown; --max-errors N shows N per file, --max-errors 0 all\n');
    expect(stderr).toContain('20000 error(s), 0 warning(s)');
  });

  test('--max-errors sets the limit; 0 shows all', async () => {
    expect((await seqrun('parse', '--max-errors', '3', 'many.seq')).stderr.match(/^> /gm)).toHaveLength(3);
    expect((await seqrun('parse', '--max-errors', '0', 'many.seq')).stderr.match(/^> /gm)).toHaveLength(20_000);
  });
});

describe('files that are not UTF-8', () => {
  test('an error at the first bad byte, with its offset and position; exit 2', async () => {
    const human = await seqrun('parse', 'latin1.seq');
    expect(human.code).toBe(2);
    expect(human.stderr).toContain(
      'latin1.seq:2:10 error SEQ004 latin1.seq is not UTF-8: byte 0xe9 at byte offset 18 is not part of a UTF-8 character\n',
    );
    const json = JSON.parse((await seqrun('parse', '--json', 'latin1.seq')).stdout);
    expect(json.files[0].diagrams).toEqual([]);
    expect(json.files[0].diagnostics.map((d: { code: string; line: number; column: number }) => [d.code, d.line, d.column])).toEqual([
      ['SEQ004', 2, 10],
    ]);
  });

  test('fmt never writes them, and writes a byte order mark back', async () => {
    const latin1 = await seqrun('fmt', 'latin1.seq', 'bom.seq');
    expect(latin1.code).toBe(2);
    expect(await readFile(join(dir, 'latin1.seq'))).toEqual(LATIN1);
    expect(await readFile(join(dir, 'bom.seq'), 'utf8')).toBe('\ufeffA->B: hi\n');
    expect((await seqrun('fmt', '--check', 'bom.seq')).code).toBe(0);
  });
});

describe('control characters', () => {
  test('are shown escaped in code frames and summaries, never sent to the terminal', async () => {
    const { stdout, stderr } = await seqrun('parse', 'hostile.seq');
    expect(stderr).toContain('> 2 | \\e]0;owned\\a\\e[2J\\x9b31mA->B hello\n');
    expect(escapeControls(stdout + stderr)).toBe(stdout + stderr);
  });
});

describe('paths that yield no diagram', () => {
  test.each([
    ['folder.seq', 'no diagram in folder.seq: it is a folder with no .seq, .mmd, .md or .markdown file under it'],
    ['empty', 'no diagram in empty: it is a folder with no .seq, .mmd, .md or .markdown file under it'],
    ['prose.md', 'no diagram in prose.md: it has no ```sequence fence and no ```mermaid fence holding a sequenceDiagram'],
    ['nope.seq', 'cannot read nope.seq: no such file'],
  ])('%s is an error naming it; exit 2', async (path, message) => {
    for (const command of ['parse', 'fmt']) {
      const { code, stderr } = await seqrun(command, path);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
    }
  });

  test('a folder with diagrams beside it is still fine', async () => {
    await mkdir(join(dir, 'mixed'));
    await writeFile(join(dir, 'mixed/prose.md'), '# Nothing\n');
    await writeFile(join(dir, 'mixed/one.seq'), 'A->B: x\n');
    expect(await seqrun('parse', 'mixed')).toEqual({ code: 0, stdout: 'mixed/one.seq: 2 participants, 1 steps\n', stderr: '' });
  });
});
