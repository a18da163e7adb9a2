import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareRemote, pushCommit } from '../../sandbox/git-remote.ts';
import { memoryLogger } from '../../../test/support/logger.ts';
import { GitError, fetchRelease, resolveReleaseTag } from './index.ts';

let root: string;
let remote: string;
const shas: Record<string, string> = {};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-git-'));
  remote = await createBareRemote(join(root, 'pay-app.git'));
  shas['2'] = await pushCommit(remote, [{ path: 'VERSION', content: '2\n' }], { tags: ['alpha_release-2'] });
  shas['10'] = await pushCommit(remote, [{ path: 'VERSION', content: '10\n' }], { tags: ['alpha_release-10', 'not_a_release-99'] });
  shas['9'] = await pushCommit(remote, [{ path: 'VERSION', content: '9\n' }], { tags: ['alpha_release-9'] });
  shas['feature'] = await pushCommit(remote, [{ path: 'VERSION', content: 'feature\n' }], { branch: 'feature' });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveReleaseTag', () => {
  it('picks the highest N numerically, ignoring other tags', () => {
    expect(
      resolveReleaseTag(
        ['alpha_release-2', 'alpha_release-10', 'alpha_release-9', 'alpha_release-x', 'beta_release-50'],
        'alpha_release-<N>',
      ),
    ).toEqual({ tag: 'alpha_release-10', release: 10 });
    expect(resolveReleaseTag(['v1'], 'alpha_release-<N>')).toBeNull();
  });
  it('rejects a pattern without <N>', () => {
    expect(() => resolveReleaseTag([], 'alpha_release')).toThrow(/must contain <N>/);
  });
});

describe('fetchRelease against a bare repository remote', () => {
  it('resolves the newest release tag and checks out its commit', async () => {
    const workspace = join(root, 'ws-pattern');
    const log = memoryLogger();
    const fetched = await fetchRelease({ remote, workspace, ref: { tagPattern: 'alpha_release-<N>' }, log });
    expect(fetched).toEqual({ sha: shas['10'], ref: 'refs/tags/alpha_release-10', tag: 'alpha_release-10', release: 10, workspace });
    expect(await readFile(join(workspace, 'VERSION'), 'utf8')).toBe('10\n');
  });

  it('fetches a named tag and then a branch into the same workspace', async () => {
    const workspace = join(root, 'ws-refs');
    expect((await fetchRelease({ remote, workspace, ref: { tag: 'alpha_release-2' } })).sha).toBe(shas['2']);
    expect(await readFile(join(workspace, 'VERSION'), 'utf8')).toBe('2\n');
    const branch = await fetchRelease({ remote, workspace, ref: { branch: 'feature' } });
    expect(branch).toEqual({ sha: shas['feature'], ref: 'refs/heads/feature', workspace });
    expect(await readFile(join(workspace, 'VERSION'), 'utf8')).toBe('feature\n');
  });

  it('fetches into a relative workspace inside another repository without touching that repository', async () => {
    const outer = join(root, 'outer');
    const gitIn = (args: string[]): string => execFileSync('git', ['-C', outer, ...args], { encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '--quiet', '--initial-branch', 'main', outer]);
    gitIn(['-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '--quiet', '--allow-empty', '-m', 'outer']);
    const head = gitIn(['rev-parse', 'HEAD']);
    const workspace = relative(process.cwd(), join(outer, 'src'));
    const fetched = await fetchRelease({ remote, workspace, ref: { tag: 'alpha_release-2' } });
    expect(fetched.workspace).toBe(join(outer, 'src'));
    expect(await readFile(join(outer, 'src', 'VERSION'), 'utf8')).toBe('2\n');
    expect(gitIn(['rev-parse', 'HEAD'])).toBe(head);
    expect(gitIn(['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
  });

  it('fails clearly when no tag matches', async () => {
    await expect(fetchRelease({ remote, workspace: join(root, 'ws-none'), ref: { tagPattern: 'prod_release-<N>' } })).rejects.toThrow(
      /no tag on .* matches prod_release-<N>/,
    );
  });

  it('fails clearly when the remote is unreachable', async () => {
    const error = await fetchRelease({
      remote: join(root, 'missing.git'),
      workspace: join(root, 'ws-missing'),
      ref: { tag: 'alpha_release-2' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as Error).message).toMatch(/could not fetch refs\/tags\/alpha_release-2 from .*missing\.git: .*check the remote URL/);
  });
});

describe('fetchRelease credentials (local HTTP remote)', () => {
  it('sends the token in an Authorization header and never shows it in logs or errors', async () => {
    const seen: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(500).end('remote broken');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const token = 'ghp_supersecret_token_123';
    const log = memoryLogger();
    try {
      const error = await fetchRelease({
        remote: `http://127.0.0.1:${port}/pay-app.git`,
        workspace: join(root, 'ws-http'),
        ref: { tagPattern: 'alpha_release-<N>' },
        credentials: { token },
        log,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitError);
      expect((error as Error).message).toContain('could not list the tags');
      expect(seen).toContain(`Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`);
      const everything = `${(error as Error).message}\n${(error as GitError).stderr}\n${JSON.stringify(log.lines)}`;
      expect(everything).not.toContain(token);
      expect(everything).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
    } finally {
      server.close();
    }
  });
});
