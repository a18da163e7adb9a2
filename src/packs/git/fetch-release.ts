// Fetches a branch, a tag, or the newest release tag matching a pattern from a remote into a workspace.
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from '../../bind/types.ts';
import { git, GitError, redact } from './git-cli.ts';
import { newestReleaseTag, type TagScheme } from './release-tags.ts';

export type GitRef =
  | { readonly branch: string }
  | { readonly tag: string }
  /** e.g. `alpha_release-<N>`: the tag with the highest N wins. */
  | { readonly tagPattern: string }
  /** The newest tag by a scheme: semantic versions, dates, a numbered pattern or your own order. */
  | { readonly tagScheme: TagScheme };

export interface GitCredentials {
  /** Default `x-access-token`, what GitHub expects with a token. */
  readonly username?: string;
  readonly token: string;
}

export interface FetchReleaseOptions {
  /** URL or path of the remote repository. */
  readonly remote: string;
  readonly workspace: string;
  readonly ref: GitRef;
  /** For HTTP remotes; sent as an Authorization header through the environment, never logged. */
  readonly credentials?: GitCredentials;
  /** The environment git starts from (PATH, HOME, proxies); GIT_TERMINAL_PROMPT is always 0. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly log?: Logger;
}

export interface FetchedRelease {
  readonly sha: string;
  /** The full ref that was fetched, e.g. `refs/tags/alpha_release-42`. */
  readonly ref: string;
  readonly tag?: string;
  /** The N of a `tagPattern` match. */
  readonly release?: number;
  /** What a `tagScheme` read from the tag (`1.2.3`, `2026-12-03.2`). */
  readonly version?: string;
  readonly workspace: string;
}

/** Picks the tag with the highest `<N>` among `tags` matching `pattern`; null when none matches. */
export function resolveReleaseTag(tags: readonly string[], pattern: string): { tag: string; release: number } | null {
  const parts = pattern.split('<N>');
  if (parts.length !== 2) throw new GitError(`tag pattern "${pattern}" must contain <N> exactly once, e.g. alpha_release-<N>`, [], '');
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const regexp = new RegExp(`^${escape(parts[0] ?? '')}(\\d+)${escape(parts[1] ?? '')}$`);
  let best: { tag: string; release: number } | null = null;
  for (const tag of tags) {
    const match = regexp.exec(tag);
    if (!match?.[1]) continue;
    const release = Number(match[1]);
    if (best === null || release > best.release) best = { tag, release };
  }
  return best;
}

function gitEnvironment(options: FetchReleaseOptions): { env: Record<string, string>; secrets: string[] } {
  const base = options.env ?? { PATH: process.env['PATH'], HOME: process.env['HOME'] };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined && !key.startsWith('GIT_CONFIG_')) env[key] = value;
  env['GIT_TERMINAL_PROMPT'] = '0';
  const secrets: string[] = [];
  if (options.credentials) {
    const basic = Buffer.from(`${options.credentials.username ?? 'x-access-token'}:${options.credentials.token}`).toString('base64');
    env['GIT_CONFIG_COUNT'] = '1';
    env['GIT_CONFIG_KEY_0'] = 'http.extraHeader';
    env['GIT_CONFIG_VALUE_0'] = `Authorization: Basic ${basic}`;
    secrets.push(options.credentials.token, basic);
  }
  return { env, secrets };
}

async function remoteTags(options: FetchReleaseOptions, run: RunGit): Promise<string[]> {
  const { stdout } = await run(['ls-remote', '--tags', '--refs', options.remote]).catch((error: unknown) => {
    const detail = error instanceof GitError ? error.stderr.split('\n').filter(Boolean).slice(-2).join(' ') : String(error);
    throw new GitError(
      `could not list the tags of ${options.remote}: ${detail}; check the remote URL, the network and the credentials`,
      ['ls-remote'],
      detail,
    );
  });
  return stdout
    .split('\n')
    .map((line) => line.split('\t')[1] ?? '')
    .filter((ref) => ref.startsWith('refs/tags/'))
    .map((ref) => ref.slice('refs/tags/'.length));
}

type RunGit = (args: readonly string[], cwd?: string) => Promise<{ stdout: string; stderr: string }>;

async function chooseRef(
  options: FetchReleaseOptions,
  run: RunGit,
): Promise<{ ref: string; tag?: string; release?: number; version?: string }> {
  const ref = options.ref;
  if ('branch' in ref) return { ref: `refs/heads/${ref.branch}` };
  if ('tag' in ref) return { ref: `refs/tags/${ref.tag}`, tag: ref.tag };
  const tags = await remoteTags(options, run);
  if ('tagScheme' in ref) {
    const newest = newestReleaseTag(tags, ref.tagScheme);
    if (newest === null)
      throw new GitError(
        `no tag on ${redact(options.remote, [])} is a ${ref.tagScheme.kind} release tag (found ${tags.length} tags); push a release tag or check the scheme`,
        [],
        '',
      );
    return { ref: `refs/tags/${newest.tag}`, tag: newest.tag, version: newest.version };
  }
  const found = resolveReleaseTag(tags, ref.tagPattern);
  if (found === null) {
    throw new GitError(
      `no tag on ${redact(options.remote, [])} matches ${ref.tagPattern} (found ${tags.length} tags); push a release tag or check the pattern`,
      [],
      '',
    );
  }
  return { ref: `refs/tags/${found.tag}`, tag: found.tag, release: found.release };
}

export async function fetchRelease(options: FetchReleaseOptions): Promise<FetchedRelease> {
  const { env, secrets } = gitEnvironment(options);
  // Absolute, so that `git init` creates <workspace>/.git and no later command, run in the workspace,
  // can find (and check out over) a repository that encloses it.
  const workspace = resolve(options.workspace);
  const run: RunGit = (args, cwd) =>
    git(args, { cwd: cwd ?? workspace, env, secrets, signal: options.signal, timeoutMs: options.timeoutMs });
  await mkdir(workspace, { recursive: true });
  const exists = await stat(join(workspace, '.git')).then(
    () => true,
    () => false,
  );
  if (!exists) await run(['init', '--quiet', workspace]);
  const chosen = await chooseRef(options, run);
  options.log?.info(`fetching ${chosen.ref}`, { remote: redact(options.remote, secrets) });
  const local = chosen.tag === undefined ? `refs/remotes/seqrun/${chosen.ref.slice('refs/heads/'.length)}` : chosen.ref;
  try {
    await run(['fetch', '--quiet', '--no-tags', '--depth', '1', options.remote, `+${chosen.ref}:${local}`]);
  } catch (error) {
    const detail = error instanceof GitError ? error.stderr.split('\n').filter(Boolean).slice(-2).join(' ') : String(error);
    throw new GitError(
      `could not fetch ${chosen.ref} from ${redact(options.remote, secrets)}: ${detail}; check the remote URL, the network and the credentials`,
      ['fetch'],
      detail,
    );
  }
  await run(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--force', '--detach', `${local}^{commit}`]);
  const sha = (await run(['rev-parse', 'HEAD'])).stdout.trim();
  options.log?.info(`checked out ${sha}`, { ref: chosen.ref });
  return { sha, workspace, ...chosen };
}
