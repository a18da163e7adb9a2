// `seqrun diff` as users run it: the real CLI in temporary git repositories holding a seed-like process
// and its bindings, committed on main, then changed on a branch or in the working tree.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Change, DiffResult } from '../../src/review/types.ts';
import { git, writeFiles } from '../support/git-repo.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const api = JSON.stringify(join(repo, 'src/index.ts'));
let dir: string;

function seqrun(args: readonly string[], cwd = dir) {
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', SEQRUN_PROFILE: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const PROCESS = `Note left of Pay CI: Candidate build tag created
Pay CI->GitHub: Fetch main branch release
GitHub-->Pay CI: Success
Pay CI->AWS: Copy repo to S3
Pay CI->AWS: Trigger CodeBuild ARM
Note right of AWS: Fetch source from S3
Pay CI->Pay CI: Build project x86
Pay CI->AWS: Push image to ECR
Note left of Pay CI: Await CodeBuild result
AWS-->Pay CI: Success
Note left of Pay CI: Slack notification
`;

const STEPS = `import { defineSteps } from ${api};

const job = { start: async () => 'handle', wait: async () => 'done' };

export default defineSteps((s) => {
  s.note('Candidate build tag created', () => undefined);
  s.call('Fetch main branch release', () => undefined);
  s.call('Copy repo to S3', () => undefined);
  s.job('Trigger CodeBuild {word}', job);
  s.expect('Fetch source from S3', () => undefined);
  s.call('Build project {word}', () => undefined);
  s.call('Push image to ECR', () => undefined);
  s.note('Await CodeBuild result', () => undefined);
  s.note('Slack notification', () => 'posted');
});
`;

const CONFIG = `export default { bindings: ['steps/*.ts'], specs: ['specs/*.seq'] };\n`;

/** A repository with the process committed on main; `files` added to it. */
function commitOnMain(files: Readonly<Record<string, string>> = {}): void {
  git(dir, 'init', '-q', '-b', 'main');
  writeFiles(dir, { 'seqrun.config.ts': CONFIG, 'specs/release.seq': PROCESS, 'steps/release.ts': STEPS, ...files });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'the process');
}

async function edit(path: string, change: (text: string) => string): Promise<void> {
  const file = join(dir, path);
  const before = await readFile(file, 'utf8');
  const after = change(before);
  expect(after, `the edit of ${path} changes it`).not.toBe(before);
  await writeFile(file, after);
}

function diffJson(...args: string[]): DiffResult {
  const run = seqrun(['diff', ...args, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as DiffResult;
}

/** `kind@line` of each change of a diagram (the working tree's line, else BASE's). */
function kinds(result: DiffResult, diagram = 'specs/release.seq'): string[] {
  const found = result.diagrams.find((d) => d.diagram === diagram);
  return (found?.changes ?? []).map((c: Change) => `${c.kind}@${(c.after ?? c.before)?.line ?? '-'}`);
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqrun-diff-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('seqrun diff: what a change does to the pipeline', () => {
  test('a re-format is no change; a renamed participant is one rename', async () => {
    commitOnMain();
    await edit(
      'specs/release.seq',
      (t) =>
        `# re-formatted\n\n${t.replace('Pay CI->GitHub: Fetch', '  Pay CI  ->  GitHub :  "Fetch').replace('release\nGitHub', 'release"\nGitHub')}`,
    );
    expect(seqrun(['diff', 'main']).stdout).toMatch(/^seqrun diff against main \([0-9a-f]{12}\): no pipeline changes in 1 diagram\.\n$/);
    // `seqrun fmt` puts it back in shape: still no change.
    const messy = await readFile(join(dir, 'specs/release.seq'), 'utf8');
    expect(seqrun(['fmt', 'specs/release.seq']).code).toBe(0);
    expect(await readFile(join(dir, 'specs/release.seq'), 'utf8')).not.toBe(messy);
    expect(seqrun(['diff', 'main']).stdout).toContain('no pipeline changes in 1 diagram');
    await edit('specs/release.seq', (t) => t.replaceAll('Pay CI', 'Concourse'));
    const result = diffJson('main');
    expect(result.diagrams).toEqual([
      {
        diagram: 'specs/release.seq',
        status: 'changed',
        changes: [{ kind: 'participant-renamed', before: null, after: null, was: 'Pay CI', now: 'Concourse' }],
      },
    ]);
    expect(result.base.commit).toBe(git(dir, 'rev-parse', 'main').trim());
    // The temporary copy of BASE is gone, and so is one a killed diff left behind more than an hour ago.
    expect(await readdir(join(dir, '.seqrun'))).toEqual([]);
    const stale = '.seqrun/diff-00000000-0000-4000-8000-000000000000';
    const fresh = '.seqrun/diff-00000000-0000-4000-8000-000000000001';
    writeFiles(dir, { [`${stale}/seqrun.config.ts`]: CONFIG, [`${fresh}/seqrun.config.ts`]: CONFIG });
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    await utimes(join(dir, stale), twoHoursAgo, twoHoursAgo);
    diffJson('main');
    expect(await readdir(join(dir, '.seqrun'))).toEqual(['diff-00000000-0000-4000-8000-000000000001']);
  });

  test("re-binding: a handler moved, a handler's code changed, a step bound to another handler", async () => {
    commitOnMain();
    await edit('steps/release.ts', (t) =>
      t
        .replace('export default', '// Handlers of the release.\nexport default')
        .replace("() => 'posted'", "() => 'posted twice'")
        .replace("s.call('Copy repo to S3'", "s.call('Copy {word} to S3'"),
    );
    const result = diffJson('main');
    expect(kinds(result)).toEqual([
      'handler-moved@1',
      'handler-moved@2',
      'rebound@4',
      'handler-moved@5',
      'handler-moved@6',
      'handler-moved@7',
      'handler-moved@8',
      'handler-moved@9',
      'handler-changed@11',
    ]);
    const changes = result.diagrams[0]?.changes ?? [];
    expect(changes[2]).toMatchObject({ was: '"Copy repo to S3" (steps/release.ts:8)', now: '"Copy {word} to S3" (steps/release.ts:9)' });
    expect(changes[8]?.was).toMatch(/^steps\/release\.ts:14 \(code [0-9a-f]{16}\)$/);
    expect(changes[8]?.now).toMatch(/^steps\/release\.ts:15 \(code [0-9a-f]{16}\)$/);
  });

  test('a call that became a job: what now runs concurrently, and the join point that moved', async () => {
    commitOnMain();
    await edit('steps/release.ts', (t) => t.replace("s.call('Copy repo to S3', () => undefined)", "s.job('Copy repo to S3', job)"));
    const result = diffJson('main');
    // The Success at line 10 answers the earliest open job: now the copy; the ARM build is joined at the end.
    expect(kinds(result)).toEqual(['call-became-job@4', 'concurrency-added@4', 'options-changed@4', 'join-moved@5', 'concurrency-added@5']);
    const [, copyAlong, , join, armAlong] = result.diagrams[0]?.changes ?? [];
    // Line 6 is an expectation on the ARM build, checked while the copy still runs.
    expect(copyAlong?.steps?.map((s) => s.line)).toEqual([5, 6, 7, 8, 9]);
    expect(join).toMatchObject({ was: 'line 10: AWS-->Pay CI: Success', now: 'the end of the diagram' });
    // Joined at the end, the ARM build now also runs beside the reply that joins the copy.
    expect(armAlong?.steps?.map((s) => s.line)).toEqual([10, 11]);
    const text = seqrun(['diff', 'main']).stdout;
    expect(text).toContain('~ line 4  Pay CI->AWS: Copy repo to S3: call became a job: sync call → job\n');
    expect(text).toContain(
      '~ line 5  Pay CI->AWS: Trigger CodeBuild ARM: join point moved: line 10: AWS-->Pay CI: Success → the end of the diagram\n',
    );
  });

  test('steps added, removed, re-worded and moved; a diagram added and one deleted', async () => {
    commitOnMain({ 'specs/old.seq': 'Pay CI->GitHub: Fetch main branch release\n' });
    await unlink(join(dir, 'specs/old.seq'));
    await writeFile(join(dir, 'specs/new.seq'), 'Note left of Pay CI: Slack notification\n');
    await edit('specs/release.seq', (t) =>
      t
        .replace('Note left of Pay CI: Candidate build tag created\n', '')
        .replace('Pay CI->Pay CI: Build project x86\n', '')
        .replace(
          'Pay CI->AWS: Push image to ECR\n',
          'Pay CI->Pay CI: Build project x86\nPay CI->AWS: Push image to ECR\nPay CI->Dockerhub: Push latest\n',
        )
        .replace('Copy repo to S3', 'Copy the repository to S3'),
    );
    const result = diffJson('main');
    expect(result.diagrams.map((d) => [d.diagram, d.status])).toEqual([
      ['specs/new.seq', 'added'],
      ['specs/release.seq', 'changed'],
      ['specs/old.seq', 'deleted'],
    ]);
    // The new push runs while the ARM build is open.
    expect(kinds(result)).toEqual(['step-removed@1', 'step-reworded@3', 'rebound@3', 'concurrency-added@4', 'step-added@8']);
    expect(kinds(result, 'specs/new.seq')).toEqual(['diagram-added@1']);
    // Drawn all green in the comment.
    const md = seqrun(['diff', 'main', '--format', 'markdown']).stdout;
    expect(md).toContain(
      '#### specs/new.seq (added)\n\n```mermaid\nsequenceDiagram\n  participant P1 as Pay CI\n  rect rgb(200, 240, 200)\n    Note left of P1: Slack notification\n  end\n```',
    );
    expect(kinds(result, 'specs/old.seq')).toEqual(['diagram-deleted@1']);
  });

  test('--format markdown: the marker, a table, the new diagram in mermaid with added and changed steps coloured, removed steps listed', async () => {
    commitOnMain();
    await edit('specs/release.seq', (t) =>
      t
        .replace('Note left of Pay CI: Candidate build tag created\n', '')
        .replace('Slack notification\n', 'Slack notification\nNote left of Pay CI: Slack <b>done</b> | `x`\n'),
    );
    await edit('steps/release.ts', (t) => t.replace("() => 'posted'", "() => 'posted twice'"));
    const run = seqrun(['diff', 'main', '--format', 'markdown']);
    expect(run.code).toBe(0);
    const md = run.stdout;
    const lines = md.split('\n');
    expect(lines[0]).toBe('<!-- seqrun-diff -->');
    expect(lines[1]).toMatch(/^### seqrun diff against main \(`[0-9a-f]{12}`\)$/);
    expect(md).toContain('| Diagram | Line | Change | Step | Detail |\n|---|---|---|---|---|\n');
    expect(md).toContain("| specs/release.seq | 11 | 🟢 added: step added | `Note left of Pay CI: Slack <b>done</b> \\| 'x'` |");
    expect(md).toContain('#### specs/release.seq (changed)');
    const drawing = md.slice(md.indexOf('```mermaid\n'), md.indexOf('\n```\n', md.indexOf('```mermaid\n')));
    expect(drawing).toContain('  rect rgb(255, 232, 190)\n    Note left of P1: Slack notification\n  end\n');
    expect(drawing).toContain('  rect rgb(200, 240, 200)\n    Note left of P1: Slack #60;b#62;done#60;/b#62; | `x`\n  end');
    expect(md).toContain('Removed:\n\n- line 1 at BASE: `Note left of Pay CI: Candidate build tag created`\n');
  });

  test('without BASE: the merge base with main, so what main did since the branch is not in the diff', async () => {
    commitOnMain();
    git(dir, 'checkout', '-q', '-b', 'feature');
    await edit('specs/release.seq', (t) => t.replace('Copy repo to S3', 'Copy repo to S3 bucket'));
    git(dir, 'commit', '-q', '-am', 'feature');
    git(dir, 'checkout', '-q', 'main');
    await edit('specs/release.seq', (t) => `${t}Note left of Pay CI: Deploy to test\n`);
    git(dir, 'commit', '-q', '-am', 'main moves on');
    git(dir, 'checkout', '-q', 'feature');
    const result = diffJson();
    expect(result.base.ref).toBe('merge-base of HEAD and main');
    expect(result.base.commit).toBe(git(dir, 'merge-base', 'HEAD', 'main').trim());
    expect(kinds(result)).toEqual(['step-reworded@4', 'rebound@4']);
    // A first argument naming a file is a path, not BASE.
    expect(kinds(diffJson('specs/release.seq'))).toEqual(['step-reworded@4', 'rebound@4']);
  });

  test('BASE bindings that do not load: a warning, and the steps compared without handlers', async () => {
    commitOnMain({ 'steps/release.ts': 'throw new Error("broken at BASE");\n' });
    await writeFile(join(dir, 'steps/release.ts'), STEPS);
    const run = seqrun(['diff', 'main']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('SEQ353');
    expect(run.stderr).toContain('broken at BASE');
    expect(run.stdout).toContain(
      '~ line 4  Pay CI->AWS: Copy repo to S3: bound to another handler: no handler (undefined) → "Copy repo to S3" (steps/release.ts:8)',
    );
  });
});

describe('seqrun diff on mermaid diagrams with blocks', () => {
  const MMD = `sequenceDiagram
    participant CI as Pay CI
    participant AWS
    CI->>AWS: Copy repo to S3
    loop each app
        CI->>AWS: Trigger CodeBuild ARM
        AWS-->>CI: Success
    end
    Note left of CI: Slack notification
`;
  const BLOCK_STEPS = STEPS.replace(
    'export default defineSteps((s) => {',
    "export default defineSteps((s) => {\n  s.loop('each app', () => ['frontend']);\n  s.condition('the build is green', () => true);",
  );

  test('a block added around a step, a step moved into the loop, a re-indent that changes nothing; drawn with its blocks', async () => {
    commitOnMain({
      'seqrun.config.ts': "export default { bindings: ['steps/*.ts'], specs: ['specs/release.mmd'] };\n",
      'specs/release.mmd': MMD,
      'steps/release.ts': BLOCK_STEPS,
    });
    await edit('specs/release.mmd', (t) => t.replaceAll('    ', '  ').replace('CI->>AWS: Copy', 'CI ->> AWS :   Copy'));
    expect(seqrun(['diff', 'main']).stdout).toContain('no pipeline changes in 1 diagram');
    // What `seqrun fmt` writes is no change either.
    const before = await readFile(join(dir, 'specs/release.mmd'), 'utf8');
    expect(seqrun(['fmt', 'specs/release.mmd']).code).toBe(0);
    expect(await readFile(join(dir, 'specs/release.mmd'), 'utf8')).not.toBe(before);
    expect(seqrun(['diff', 'main']).stdout).toContain('no pipeline changes in 1 diagram');
    await edit('specs/release.mmd', (t) =>
      t
        .replace(/^( *)CI->>AWS: Copy repo to S3\n *loop each app\n/m, '$1loop each app\n$1    CI->>AWS: Copy repo to S3\n')
        .replace(
          /^( *)Note left of CI: Slack notification\n/m,
          '$1opt the build is green\n$1    Note left of CI: Slack notification\n$1end\n',
        ),
    );
    const result = diffJson('main');
    expect(kinds(result, 'specs/release.mmd')).toEqual(['block-changed@-', 'block-added@-']);
    expect(result.diagrams[0]?.changes.map((c) => c.now)).toEqual(['1 step moved in', 'opt "the build is green" (line 9)']);
    const md = seqrun(['diff', 'main', '--format', 'markdown']).stdout;
    expect(md).toContain(
      '  loop each app\n    P1->>P2: Copy repo to S3\n    P1->>P2: Trigger CodeBuild ARM\n    P2-->>P1: Success\n  end\n  opt the build is green\n    Note left of P1: Slack notification\n  end\n',
    );
  });
});

describe('seqrun diff: errors', () => {
  test('no default branch: SEQ350, exit 2, and what to do', () => {
    git(dir, 'init', '-q', '-b', 'trunk');
    writeFiles(dir, { 'seqrun.config.ts': CONFIG, 'specs/release.seq': PROCESS, 'steps/release.ts': STEPS });
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'the process');
    const run = seqrun(['diff']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('SEQ350');
    expect(run.stderr).toContain('No default branch to compare with: no origin/HEAD, main or master.');
    expect(run.stderr).toContain('Give BASE explicitly');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('an unknown ref, and a folder outside git: SEQ351, exit 2', async () => {
    commitOnMain();
    const unknown = seqrun(['diff', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('SEQ351');
    expect(unknown.stderr).toContain('Unknown git ref "no-such-branch".');
    await rm(join(dir, '.git'), { recursive: true, force: true });
    const outside = seqrun(['diff', 'main']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('SEQ351');
    expect(outside.stderr).toContain('Not a git work tree');
  });
});

describe('seqrun diff on the seed document', () => {
  const fixture = join(repo, 'test/fixtures/seed-bindings');
  const final = 'docs/deploy-to-test.md#final-candidate-release-process';
  const interim = 'docs/deploy-to-test.md#interim-candidate-release-process';

  /** The seed's three fences and the test bindings for them, importing seqrun from this checkout. */
  async function seedRepo(): Promise<void> {
    const files: Record<string, string> = {
      'seqrun.config.ts': "export default { bindings: ['steps/*.ts'], specs: ['docs/deploy-to-test.md'] };\n",
      'docs/deploy-to-test.md': await readFile(join(repo, 'docs/deploy-to-test.md'), 'utf8'),
    };
    for (const folder of ['steps', 'support'])
      for (const name of await readdir(join(fixture, folder)))
        files[`${folder}/${name}`] = (await readFile(join(fixture, folder, name), 'utf8')).replaceAll("from 'seqrun'", `from ${api}`);
    git(dir, 'init', '-q', '-b', 'main');
    writeFiles(dir, files);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'the seed');
  }

  test('several changes to two of its diagrams, in plan terms; the third unchanged', async () => {
    await seedRepo();
    await edit('docs/deploy-to-test.md', (t) => {
      const [head = '', rest = ''] = t.split('#### Interim candidate release process');
      const [interimText = '', finalText = ''] = rest.split('#### Final candidate release process');
      const interimNew = interimText
        // The ARM build is joined later: the Success after the Await moves below the Slack notification.
        .replace(
          'Note left of Pay CI: Await CodeBuild result\nAWS-->Pay CI: Success\nNote left of Pay CI: Slack notification\n',
          'Note left of Pay CI: Await CodeBuild result\nNote left of Pay CI: Slack notification\nAWS-->Pay CI: Success\n',
        );
      const finalNew = finalText
        .replace('Note right of AWS: Tests passed\n', '')
        .replace('Pay CI->Dockerhub: Push latest-master to Dockerhub\nDockerhub-->Pay CI: Success\n', '')
        .replace(
          'Note left of Pay CI: Deploy to test...\n',
          'Note left of Pay CI: Deploy to test...\nNote left of Pay CI: Slack notification\n',
        );
      return `${head}#### Interim candidate release process${interimNew}#### Final candidate release process${finalNew}`;
    });
    const result = diffJson('main');
    expect(result.diagrams.map((d) => [d.diagram, d.status])).toEqual([
      ['docs/deploy-to-test.md#current-candidate-release-process', 'unchanged'],
      [interim, 'changed'],
      [final, 'changed'],
    ]);
    expect(kinds(result, interim)).toEqual(['join-moved@36', 'concurrency-added@36', 'step-moved@44']);
    expect(kinds(result, final)).toEqual(['expectation-dropped@79', 'step-removed@83', 'step-removed@84', 'step-added@84']);
    const markdown = seqrun(['diff', 'main', '--format', 'markdown']).stdout;
    expect(markdown.match(/```mermaid\n/g)).toHaveLength(2);
    expect(markdown).toContain('- line 83 at BASE: `Pay CI->Dockerhub: Push latest-master to Dockerhub`');
  });
});
