// The sandbox's "GitHub": a bare repository on disk, seeded with one commit and a release tag.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const IDENTITY = [
  '-c',
  'user.name=seqrun sandbox',
  '-c',
  'user.email=sandbox@seqrun.invalid',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'tag.gpgsign=false',
];

export interface SeedFile {
  readonly path: string;
  readonly content: string;
}

/** Creates a bare repository at `path` (branch `main`). */
export async function createBareRemote(path: string): Promise<string> {
  await mkdir(path, { recursive: true });
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', path]);
  return path;
}

/** Commits `files` on top of `branch` of `remote` and pushes, with optional tags; returns the commit SHA. */
export async function pushCommit(
  remote: string,
  files: readonly SeedFile[],
  options: { branch?: string; tags?: readonly string[]; message?: string } = {},
): Promise<string> {
  const branch = options.branch ?? 'main';
  const work = await mkdtemp(join(tmpdir(), 'seqrun-git-seed-'));
  try {
    await run('git', ['init', '--quiet', `--initial-branch=${branch}`, work]);
    const fetched = await run('git', ['-C', work, 'fetch', '--quiet', remote, `refs/heads/${branch}`]).then(
      () => true,
      () => false,
    );
    if (fetched) await run('git', ['-C', work, 'reset', '--quiet', '--hard', 'FETCH_HEAD']);
    for (const file of files) {
      await mkdir(join(work, file.path, '..'), { recursive: true });
      await writeFile(join(work, file.path), file.content, { mode: file.path.endsWith('.sh') ? 0o755 : 0o644 });
    }
    await run('git', ['-C', work, 'add', '--all']);
    await run('git', ['-C', work, ...IDENTITY, 'commit', '--quiet', '--allow-empty', '-m', options.message ?? 'seqrun sandbox commit']);
    for (const tag of options.tags ?? []) await run('git', ['-C', work, ...IDENTITY, 'tag', '-a', tag, '-m', tag]);
    await run('git', [
      '-C',
      work,
      'push',
      '--quiet',
      remote,
      `HEAD:refs/heads/${branch}`,
      ...(options.tags ?? []).map((t) => `refs/tags/${t}`),
    ]);
    return (await run('git', ['-C', work, 'rev-parse', 'HEAD'])).stdout.trim();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
