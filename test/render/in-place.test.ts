// The in-place update of generated sections: pure edits, then the command on a copy of the seed
// document in a temporary git repository, checked with `git diff`.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diagramHash } from '../../src/ast/meaning.ts';
import { SECTION_BEGIN, SECTION_END, findFenceLines, updateSections } from '../../src/render/in-place.ts';
import { parseFile } from '../../src/syntax/index.ts';
import { FIXTURES, ROOT } from './support.ts';

const run = promisify(execFile);
/** The seed document as written (docs/deploy-to-test.md itself carries the status sections of the demo's runs). */
const SEED = join(ROOT, 'test/fixtures/syntax/deploy-to-test.md');

/** The text with every generated section (markers included) cut out. */
function withoutSections(text: string): string {
  return text.replace(/<!-- seqrun:status begin[^\n]*\n[\s\S]*?<!-- seqrun:status end -->\r?\n?/g, '');
}

describe('updateSections', () => {
  const doc = 'intro\n\n```sequence\nA->B: x\n```\n\ntext\n~~~sequence\nB->A: y\n~~~';

  it('inserts a section under each chosen fence and leaves every other byte alone', () => {
    const fences = findFenceLines(doc);
    expect(fences).toEqual([
      { open: 3, close: 5 },
      { open: 8, close: 10 },
    ]);
    const updated = updateSections(
      doc,
      new Map([
        [5, 'first'],
        [10, 'second'],
      ]),
    );
    expect(updated).toBe(
      `intro\n\n\`\`\`sequence\nA->B: x\n\`\`\`\n${SECTION_BEGIN}\nfirst\n${SECTION_END}\n\ntext\n~~~sequence\nB->A: y\n~~~\n${SECTION_BEGIN}\nsecond\n${SECTION_END}`,
    );
    expect(withoutSections(updated)).toBe(`${doc}\n`.replace(/~~~\n$/, '~~~\n'));
  });

  it('replaces an existing section, is idempotent, and keeps CRLF line ends', () => {
    const crlf = doc.replace(/\n/g, '\r\n');
    const once = updateSections(crlf, new Map([[5, 'old']]));
    const twice = updateSections(once, new Map([[5, 'new\nlines']]));
    expect(twice).toBe(crlf.replace('```\r\n\r\ntext', `\`\`\`\r\n${SECTION_BEGIN}\r\nnew\r\nlines\r\n${SECTION_END}\r\n\r\ntext`));
    expect(updateSections(twice, new Map([[5, 'new\nlines']]))).toBe(twice);
  });

  it('refuses a section whose end marker was deleted, naming the line', () => {
    const broken = updateSections(doc, new Map([[5, 'x']])).replace(`${SECTION_END}\n`, '');
    expect(() => updateSections(broken, new Map([[5, 'y']]))).toThrow(
      expect.objectContaining({ line: 6, message: expect.stringMatching(/no end marker/) }),
    );
  });
});

async function writeRun(repo: string, id: string, fixture: string, selector: string, hash?: string): Promise<void> {
  const lines = (await readFile(join(FIXTURES, fixture), 'utf8')).trimEnd().split('\n');
  const events = lines.map((l) => JSON.parse(l) as { type: string; diagram?: string; diagramHash?: string });
  for (const e of events) {
    if (e.type !== 'run-started') continue;
    e.diagram = selector;
    if (hash) e.diagramHash = hash;
  }
  await mkdir(join(repo, '.seqrun/runs', id), { recursive: true });
  await writeFile(join(repo, '.seqrun/runs', id, 'journal.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await writeFile(join(repo, '.seqrun/runs/latest'), `${id}\n`);
}

describe('seqrun render --in-place on a git copy of docs/deploy-to-test.md (needs Chromium, runs git)', () => {
  let repo: string;
  const git = async (...args: string[]) => (await run('git', args, { cwd: repo })).stdout;
  const seqrun = (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'bin/seqrun.js'), ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
  const doc = 'docs/deploy-to-test.md';

  beforeEach(async () => {
    repo = await mkdtemp(join(tmpdir(), 'seqrun-inplace-'));
    await mkdir(join(repo, 'docs'));
    await cp(SEED, join(repo, doc));
    await git('init', '-q');
    await git('-c', 'user.email=test@example.test', '-c', 'user.name=test', 'commit', '-q', '--allow-empty', '-m', 'empty');
    await git('add', doc);
    await git('-c', 'user.email=test@example.test', '-c', 'user.name=test', 'commit', '-q', '-m', 'seed');
    await writeRun(repo, 'run-interim', 'interim-failed.journal.ndjson', `${doc}#interim-candidate-release-process`);
    await writeRun(repo, 'run-current', 'current-passed.journal.ndjson', `${doc}#current-candidate-release-process`);
  });
  afterEach(async () => rm(repo, { recursive: true, force: true }));

  it('adds only generated sections, links each run report, and a second run changes nothing', async () => {
    const original = await readFile(SEED, 'utf8');
    await seqrun('render', doc, '--run', 'latest', '--in-place');
    const updated = await readFile(join(repo, doc), 'utf8');
    expect(withoutSections(updated)).toBe(original);
    const numstat = (await git('diff', '--numstat', '--', doc)).trim().split(/\s+/);
    expect(numstat.slice(0, 2).map(Number)).toEqual([expect.any(Number), 0]);
    const added = (await git('diff', '-U0', '--', doc)).split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));
    expect(added).toHaveLength(3 * 3 + 2);
    expect(added.filter((l) => l === `+${SECTION_BEGIN}`)).toHaveLength(3);
    expect(updated).toContain('**Last run:** ✔ passed · 2026-11-21 09:30 UTC');
    expect(updated).toContain(
      '**Last run:** ✘ failed · 2026-11-20 14:02 UTC · 12 min 31 s · run `20261120T140211Z-interim-7f3a` · [report](runs/deploy-to-test/interim-candidate-release-process.md)',
    );
    // The link is relative to the document and into a folder beside it, so it works on GitHub: not into .seqrun/.
    expect(updated).not.toContain('.seqrun/');
    const besides = await readFile(join(repo, 'docs/runs/deploy-to-test/interim-candidate-release-process.md'), 'utf8');
    expect(besides).toContain('```mermaid\nsequenceDiagram');
    expect(besides).toContain('20261120T140211Z-interim-7f3a');
    expect(await readFile(join(repo, 'docs/runs/deploy-to-test/current-candidate-release-process.md'), 'utf8')).toContain(
      '| Status | passed |',
    );
    expect(updated).toContain('Failed at: step 15, `Pay CI->AWS: Trigger E2E CodeBuild (x86)`');
    expect(updated).toContain('**Last run:** none recorded yet (`seqrun run docs/deploy-to-test.md#final-candidate-release-process`).');
    const report = await readFile(join(repo, '.seqrun/runs/run-interim/report.html'), 'utf8');
    expect(report).toContain('<svg');
    const { stderr } = await seqrun('render', doc, '--run', 'latest', '--in-place');
    expect(stderr).toContain('already up to date');
    expect(await readFile(join(repo, doc), 'utf8')).toBe(updated);
  });

  it('shows a run of a .seq file under the fence that means the same diagram (matched by its hash)', async () => {
    await rm(join(repo, '.seqrun'), { recursive: true, force: true });
    const interim = (await parseFile(join(ROOT, 'specs/interim.seq'))).diagrams[0];
    if (!interim) throw new Error('specs/interim.seq has no diagram');
    await writeRun(repo, 'run-spec', 'interim-failed.journal.ndjson', 'specs/interim.seq', diagramHash(interim));
    await seqrun('render', doc, '--in-place', '--chromium', join(repo, 'no-chromium'));
    const updated = await readFile(join(repo, doc), 'utf8');
    const sections = [...updated.matchAll(/\*\*Last run:\*\*[^\n]*/g)].map((m) => m[0]);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toContain('none recorded yet');
    expect(sections[1]).toContain('✘ failed');
    expect(sections[1]).toContain('[report](runs/deploy-to-test/interim-candidate-release-process.md)');
    expect(sections[2]).toContain('none recorded yet');
  });

  it('with a named run, that fence shows it and the other fences keep their latest runs', async () => {
    const noBrowser = ['--chromium', join(repo, 'no-chromium')];
    await seqrun('render', doc, '--in-place', ...noBrowser);
    const latest = await readFile(join(repo, doc), 'utf8');
    await writeRun(repo, 'run-interim-2', 'interim-failed.journal.ndjson', `${doc}#interim-candidate-release-process`);
    await seqrun('render', doc, '--run', 'run-interim', '--in-place', ...noBrowser);
    expect(await readFile(join(repo, doc), 'utf8')).toBe(latest);
    expect(latest).toContain('**Last run:** ✔ passed · 2026-11-21 09:30 UTC');
  });

  it("after a newer run only that fence's section changes", async () => {
    await seqrun('render', doc, '--run', 'latest', '--in-place');
    await git('add', doc);
    await git('-c', 'user.email=test@example.test', '-c', 'user.name=test', 'commit', '-q', '-m', 'sections');
    await writeRun(repo, 'run-final', 'final-interrupted.journal.ndjson', `${doc}#final-candidate-release-process`);
    // Without a browser the reports hold the mermaid source; the document's sections are the same.
    const { stderr } = await seqrun('render', doc, '--run', 'latest', '--in-place', '--chromium', join(repo, 'no-chromium'));
    expect(stderr).toContain('apt-get install chromium');
    expect(await readFile(join(repo, '.seqrun/runs/run-final/report.html'), 'utf8')).toContain('<pre class="mermaid-source">');
    const diff = (await git('diff', '-U0', '--', doc)).split('\n').filter((l) => /^[-+][^-+]/.test(l));
    expect(diff).toEqual([
      '-**Last run:** none recorded yet (`seqrun run docs/deploy-to-test.md#final-candidate-release-process`).',
      expect.stringMatching(
        /^\+\*\*Last run:\*\* … not finished · 2026-11-22 08:00 UTC · run `20261122T080000Z-final-9d8e` · \[report\]\(runs\/deploy-to-test\/final-candidate-release-process\.md\)$/,
      ),
    ]);
  });
});
