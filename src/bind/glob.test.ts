import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { expandGlob } from './glob.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-glob-'));
  for (const file of ['a.ts', 'b.js', 'steps/c.ts', 'steps/deep/d.ts', 'steps/deep/e.md', 'node_modules/x/f.ts', '.hidden/g.ts']) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), '');
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('globs: *, ?, ** (skipping node_modules and dot folders), plain paths, nothing', async () => {
  const rel = async (pattern: string) => (await expandGlob(dir, pattern)).map((f) => f.slice(dir.length + 1));
  expect(await rel('*.ts')).toEqual(['a.ts']);
  expect(await rel('?.js')).toEqual(['b.js']);
  expect(await rel('**/*.ts')).toEqual(['a.ts', 'steps/c.ts', 'steps/deep/d.ts']);
  expect(await rel('steps/**/*.ts')).toEqual(['steps/c.ts', 'steps/deep/d.ts']);
  expect(await rel('steps/deep/e.md')).toEqual(['steps/deep/e.md']);
  expect(await rel('steps/*.md')).toEqual([]);
  expect(await rel('missing.ts')).toEqual([]);
  expect(await expandGlob(dir, join(dir, 'steps', '*.ts'))).toEqual([join(dir, 'steps/c.ts')]);
});
