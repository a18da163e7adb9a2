// `seqrun render` through its command module with a test Io: inputs, outputs, runs and clear errors.
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.ts';
import spec from '../../src/cli/commands/render.ts';
import { ROOT, expectMermaidParses, mermaidBlocks } from './support.ts';

interface Captured {
  io: Io;
  out: () => string;
  err: () => string;
}

function captureIo(cwd: string, env: Record<string, string | undefined> = {}): Captured {
  let out = '';
  let err = '';
  return {
    io: { cwd, env, stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, verbose: false },
    out: () => out,
    err: () => err,
  };
}

type Args = Parameters<typeof spec.run>[0];
const args = (input: string, more: Partial<Args> = {}): Args => ({ input, inPlace: false, ...more });

describe('seqrun render (command)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'seqrun-render-cli-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('renders a folder of diagrams into a folder, one parseable mermaid file each', async () => {
    const c = captureIo(ROOT);
    expect(await spec.run(args('specs', { format: 'mermaid', out: `${dir}/out/` }), c.io)).toBe(0);
    const files = (await readdir(join(dir, 'out'))).sort();
    // specs/ holds each seed process twice, as .mmd and .seq: the second of a name gets `-2`.
    expect(files).toEqual(
      expect.arrayContaining(['current-2.mmd', 'current.mmd', 'final-2.mmd', 'final.mmd', 'interim-2.mmd', 'interim.mmd']),
    );
    for (const f of files) await expectMermaidParses(await readFile(join(dir, 'out', f), 'utf8'));
  });

  it('names the fences of a Markdown file by their headings', async () => {
    const c = captureIo(ROOT);
    expect(await spec.run(args('docs/deploy-to-test.md', { format: 'sequence', out: dir }), c.io)).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([
      'deploy-to-test-current-candidate-release-process.seq',
      'deploy-to-test-final-candidate-release-process.seq',
      'deploy-to-test-interim-candidate-release-process.seq',
    ]);
    expect(await readFile(join(dir, 'deploy-to-test-final-candidate-release-process.seq'), 'utf8')).toBe(
      await readFile(join(ROOT, 'specs/final.seq'), 'utf8'),
    );
  });

  it('draws a journal onto one diagram as a Markdown report on stdout', async () => {
    const c = captureIo(ROOT);
    const code = await spec.run(
      args('specs/interim.seq', { format: 'markdown', journal: 'test/fixtures/render/interim-failed.journal.ndjson' }),
      c.io,
    );
    expect(code).toBe(0);
    // Steps numbered as the CLI numbers them (s14 is line 15).
    expect(c.out()).toContain('| s14 | 15 | `Pay CI->AWS: Trigger E2E CodeBuild (x86)` | ✘ failed | 8 min 02 s | 1 |');
    expect(c.out()).toContain('| SLACK\\_TOKEN | `***` |');
    expect(c.err()).toBe('');
    for (const block of mermaidBlocks(c.out())) await expectMermaidParses(block);
    expect(mermaidBlocks(c.out())).toHaveLength(1);
  });

  it('without a browser, svg fails with how to install one while mermaid keeps working', async () => {
    const c = captureIo(ROOT, { SEQRUN_CHROMIUM: join(dir, 'no-chromium') });
    expect(await spec.run(args('specs/final.seq', { format: 'svg' }), c.io)).toBe(2);
    expect(c.err()).toContain(`No Chromium found at ${join(dir, 'no-chromium')} (SEQRUN_CHROMIUM)`);
    expect(c.err()).toContain('apt-get install chromium');
    const ok = captureIo(ROOT, { SEQRUN_CHROMIUM: join(dir, 'no-chromium') });
    expect(await spec.run(args('specs/final.seq', { format: 'mermaid' }), ok.io)).toBe(0);
    expect(ok.out()).toMatch(/^sequenceDiagram\n/);
  });

  it('refuses unclear requests with a message that says what to do', async () => {
    const both = captureIo(ROOT);
    expect(await spec.run(args('specs/final.seq', { format: 'mermaid', run: 'latest', journal: 'x.ndjson' }), both.io)).toBe(2);
    expect(both.err()).toContain('either --run or --journal');
    const noFormat = captureIo(ROOT);
    expect(await spec.run(args('specs/final.seq'), noFormat.io)).toBe(2);
    expect(noFormat.err()).toContain('give --format');
    const png = captureIo(ROOT);
    expect(await spec.run(args('specs/final.seq', { format: 'png', chromium: join(dir, 'none') }), png.io)).toBe(2);
    const unknownRun = captureIo(dir);
    await writeFile(join(dir, 'a.seq'), 'A->B: hi\n');
    expect(await spec.run(args('a.seq', { format: 'mermaid', run: 'no-such-run' }), unknownRun.io)).toBe(2);
    expect(unknownRun.err()).toContain(`no run "no-such-run" in ${join(dir, '.seqrun/runs')}`);
  });

  it('refuses to update a generated section whose end marker is gone, naming the line', async () => {
    const doc = '# Doc\n\n```sequence\nA->B: hi\n```\n<!-- seqrun:status begin -->\nold\n\nmore text\n';
    await writeFile(join(dir, 'doc.md'), doc);
    const c = captureIo(dir);
    expect(await spec.run(args('doc.md', { inPlace: true }), c.io)).toBe(2);
    expect(c.err()).toContain('doc.md:6:1 error: a seqrun status section starts here but has no end marker');
    expect(await readFile(join(dir, 'doc.md'), 'utf8')).toBe(doc);
  });

  it('reports a syntax error with file, line and column and draws nothing', async () => {
    await writeFile(join(dir, 'bad.seq'), 'A->B: fine\nA->B without a colon\n');
    const c = captureIo(dir);
    expect(await spec.run(args('bad.seq', { format: 'mermaid' }), c.io)).toBe(2);
    expect(c.err()).toMatch(/^bad\.seq:2:\d+ error SEQ\d{3} /m);
    expect(c.out()).toBe('');
  });
});
