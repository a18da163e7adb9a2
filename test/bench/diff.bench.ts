// `npm run bench -- diff`: `seqrun diff main` of two versions of the seed document (docs/deploy-to-test.md,
// its three diagrams bound by the test bindings) with 20 changes, against the named baseline `seqrun check`
// on the same files in the same repository, as pairs A B A B so that both see the same machine load. The
// figure is the median of the per-pair ratios (goal ≤2x). Runs the build (bin/seqrun.js → dist/).
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { git, writeFiles } from '../support/git-repo.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const PAIRS = Number(process.env['SEQRUN_BENCH_PAIRS'] ?? 11);

/** 20 edits of the seed document: re-wordings, moves, removals, additions, a join moved. */
const EDITS: readonly (readonly [string, string])[] = [
  [
    'Pay CI->Pay CI: Build project (x86)\nPay CI->Pay CI: Build image (x86)',
    'Pay CI->Pay CI: Build image (x86)\nPay CI->Pay CI: Build project (x86)',
  ],
  ['Note left of Pay CI: Get candidate image\n', 'Note left of Pay CI: Get the candidate image\n'],
  [
    'Pay CI->Dockerhub: Push latest-master to Dockerhub\nDockerhub-->Pay CI: Success\nNote left of Pay CI: Slack notification\nNote left of Pay CI: Deploy to test...\n```\n<!--',
    'Note left of Pay CI: Deploy to test...\n```\n<!--',
  ],
  ['Note right of AWS: Tests passed\n', 'Note right of AWS: Tests passed\nNote right of AWS: Report published\n'],
  [
    'Note left of Pay CI: Candidate build tag created\n',
    'Note left of Pay CI: Candidate build tag created\nNote left of Pay CI: Slack notification\n',
  ],
  ['Pay CI->AWS: Copy repo to S3\n', 'Pay CI->AWS: Copy the repository to S3\n'],
  [
    'Note left of Pay CI: Await CodeBuild result\nAWS-->Pay CI: Success\nNote left of Pay CI: Slack notification\n',
    'Note left of Pay CI: Await CodeBuild result\nNote left of Pay CI: Slack notification\nAWS-->Pay CI: Success\n',
  ],
  ['Note left of Pay CI: Get candidate images (x86, ARM)\n', 'Note left of Pay CI: Get candidate images (ARM, x86)\n'],
  [
    'Pay CI->GitHub: Fetch main branch release\nGitHub-->Pay CI: Success\n',
    'Pay CI->GitHub: Fetch main branch release\nGitHub-->Pay CI: Success\nPay CI->GitHub: Check release notes\nGitHub-->Pay CI: Success\n',
  ],
];

async function seedRepo(dir: string): Promise<number> {
  const fixture = join(repo, 'test/fixtures/seed-bindings');
  const api = JSON.stringify(join(repo, 'src/index.ts'));
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
  // Each edit is applied at every place it matches (the seed repeats steps across its three diagrams).
  let text = files['docs/deploy-to-test.md'] ?? '';
  let edits = 0;
  for (const [from, to] of EDITS) {
    const parts = text.split(from);
    if (parts.length < 2) throw new Error(`the seed no longer has ${JSON.stringify(from)}`);
    edits += parts.length - 1;
    text = parts.join(to);
  }
  await writeFile(join(dir, 'docs/deploy-to-test.md'), text);
  return edits;
}

function timed(dir: string, args: readonly string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [join(repo, 'bin/seqrun.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ms = performance.now() - start;
  if (result.status === 2) throw new Error(`seqrun ${args.join(' ')} exited 2: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export default async function diffBench(): Promise<void> {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const dir = await mkdtemp(join(tmpdir(), 'seqrun-diff-bench-'));
  try {
    const edits = await seedRepo(dir);
    const diff = ['diff', 'main', '--json'];
    const check = ['check', '--allow-unused'];
    const result = JSON.parse(timed(dir, diff).stdout) as { diagrams: { changes: unknown[] }[] };
    const changes = result.diagrams.reduce((n, d) => n + d.changes.length, 0);
    // Warm the compile and page caches.
    for (let i = 0; i < 2; i++) {
      timed(dir, diff);
      timed(dir, check);
    }
    const ratios: number[] = [];
    const diffs: number[] = [];
    const checks: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const base = timed(dir, check).ms;
      const time = timed(dir, diff).ms;
      checks.push(base);
      diffs.push(time);
      ratios.push(time / base);
    }
    console.log(`${edits} edits of docs/deploy-to-test.md (3 diagrams); seqrun diff reports ${changes} changes.\n`);
    console.log('| command | median ms | baseline `seqrun check` ms | ratio (median of pairs) | spread of ratios | goal |');
    console.log('|---|---|---|---|---|---|');
    const spread = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x`;
    console.log(
      `| seqrun diff main | ${median(diffs).toFixed(1)} | ${median(checks).toFixed(1)} | ${median(ratios).toFixed(2)}x | ${spread} | ≤2x |`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
