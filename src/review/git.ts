// The version of a project at a git ref, read with git itself (argument arrays, never a shell): which
// commit BASE is, which files it holds, their contents, written into a folder for the loaders.
import { execFile, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { SeqrunError } from '../errors.ts';

const run = promisify(execFile);

/** What went wrong reading BASE; the CLI shows it as a diagnostic (`problemOf`). */
class BaseError extends SeqrunError {
  override readonly name = 'BaseError';
  readonly hint: string;
  readonly where: string;
  constructor(code: DiagnosticCode, message: string, hint: string, where: string, options?: ErrorOptions) {
    super(message, code, options);
    this.hint = hint;
    this.where = where;
  }
}

/** A failure of this module as a diagnostic (SEQ350-SEQ352); null for anything else. */
export function problemOf(error: unknown): Diagnostic | null {
  if (!(error instanceof BaseError)) return null;
  return { code: error.code as DiagnosticCode, severity: 'error', message: error.message, hint: error.hint, file: error.where, span: null };
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** git's own message from a failed call, one line. */
function gitMessage(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr : error instanceof Error ? error.message : String(error);
  return text.trim().split('\n')[0] ?? '';
}

/** The repository's top folder, for `cwd` inside a work tree. */
export async function topFolder(cwd: string): Promise<string> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    const hint = 'Run `seqrun diff` inside a git repository (it compares the working tree with a commit).';
    throw new BaseError('SEQ351', `Not a git work tree: ${gitMessage(error)}`, hint, cwd, { cause: error });
  }
}

async function commitOf(top: string, ref: string): Promise<string | null> {
  try {
    return (await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim() || null;
  } catch {
    return null;
  }
}

/** The default branch: what origin/HEAD points at, else `main`, else `master` (local or on origin). */
async function defaultBranch(top: string): Promise<string | null> {
  try {
    const remoteHead = (await git(top, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])).trim();
    if (remoteHead !== '') return remoteHead;
  } catch {
    // no origin/HEAD: try the usual names
  }
  for (const name of ['main', 'master', 'origin/main', 'origin/master']) if (await commitOf(top, name)) return name;
  return null;
}

/** BASE as given (a ref or commit), or the merge base of HEAD with the default branch. */
export async function resolveBase(top: string, given: string | undefined): Promise<{ ref: string; commit: string }> {
  if (given !== undefined) {
    const commit = given.startsWith('-') ? null : await commitOf(top, given);
    if (commit) return { ref: given, commit };
    const hint = 'Give a branch, tag or commit that exists here (`git fetch` first for a remote branch), e.g. `seqrun diff origin/main`.';
    throw new BaseError('SEQ351', `Unknown git ref ${JSON.stringify(given)}.`, hint, top);
  }
  const branch = await defaultBranch(top);
  if (!branch) {
    const hint = 'Give BASE explicitly (`seqrun diff HEAD~1`), or fetch the default branch (`git fetch origin` sets origin/HEAD).';
    throw new BaseError('SEQ350', 'No default branch to compare with: no origin/HEAD, main or master.', hint, top);
  }
  try {
    return { ref: `merge-base of HEAD and ${branch}`, commit: (await git(top, ['merge-base', 'HEAD', branch])).trim() };
  } catch (error) {
    const hint = `Give BASE explicitly; HEAD and ${branch} have no common commit (a shallow clone needs \`fetch-depth: 0\`).`;
    throw new BaseError('SEQ350', `No merge base of HEAD and ${branch}: ${gitMessage(error)}`, hint, top, { cause: error });
  }
}

interface TreeEntry {
  readonly blob: string;
  readonly path: string;
}

/** The files of `commit` under `paths` (relative to the top folder; a folder holds its whole subtree). */
export async function listFiles(top: string, commit: string, paths: readonly string[]): Promise<TreeEntry[]> {
  if (paths.length === 0) return [];
  const out = await git(top, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', ...paths]);
  return out
    .split('\0')
    .filter((line) => line !== '')
    .flatMap((line) => {
      const match = /^(\d+) blob ([0-9a-f]+)\t([\s\S]+)$/.exec(line);
      // Symbolic links (120000) and submodules are not copied: their targets are not in the tree.
      return match && match[1] !== '120000' ? [{ blob: match[2] as string, path: match[3] as string }] : [];
    });
}

/** The contents of `blobs`, through one `git cat-file --batch`. */
function readBlobs(top: string, blobs: readonly string[]): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: top, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file exited with ${code}: ${stderr.trim()}`));
      const all = Buffer.concat(chunks);
      const contents = new Map<string, Buffer>();
      for (let at = 0; at < all.length;) {
        const headerEnd = all.indexOf(10, at);
        const [sha = '', , size = '0'] = all.subarray(at, headerEnd).toString('latin1').split(' ');
        const start = headerEnd + 1;
        contents.set(sha, all.subarray(start, start + Number(size)));
        at = start + Number(size) + 1;
      }
      resolve(contents);
    });
    child.stdin.end(blobs.map((b) => `${b}\n`).join(''));
  });
}

/** Writes the files of `commit` under `paths` into `folder` (same relative paths); returns them with their text. */
export async function checkoutInto(top: string, commit: string, paths: readonly string[], folder: string): Promise<Map<string, Buffer>> {
  try {
    const entries = await listFiles(top, commit, paths);
    const contents = await readBlobs(top, [...new Set(entries.map((e) => e.blob))]);
    await Promise.all([...new Set(entries.map((e) => dirname(join(folder, e.path))))].map((d) => mkdir(d, { recursive: true })));
    const written = new Map(entries.map((e) => [e.path, contents.get(e.blob) ?? Buffer.alloc(0)]));
    await Promise.all([...written].map(([path, content]) => writeFile(join(folder, path), content)));
    return written;
  } catch (error) {
    const hint = 'Check that git works here and the commit is complete (not a partial or shallow clone missing it).';
    throw new BaseError('SEQ352', `Could not read the files of ${commit.slice(0, 12)}: ${gitMessage(error)}`, hint, top, { cause: error });
  }
}
