// Tag schemes: unit tests on lists of tags, and one fetch by scheme from a bare repository.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBareRemote, pushCommit } from '../../sandbox/git-remote.ts';
import { fetchRelease, newestReleaseTag } from './index.ts';

describe('newestReleaseTag', () => {
  it('semver: the highest version by semver rules, not by text; pre-releases only when asked', () => {
    const tags = ['v1.2.3', 'v1.10.0', 'v1.9.9', 'v2.0.0-rc.1', 'v1.10.0-beta.2', 'release-5', 'vnext'];
    expect(newestReleaseTag(tags, { kind: 'semver' })).toEqual({ tag: 'v1.10.0', version: '1.10.0' });
    expect(newestReleaseTag(tags, { kind: 'semver', prereleases: true })).toEqual({ tag: 'v2.0.0-rc.1', version: '2.0.0-rc.1' });
    expect(newestReleaseTag(['1.0.0', '0.9.0', 'v3.0.0'], { kind: 'semver', prefix: '' })).toEqual({ tag: '1.0.0', version: '1.0.0' });
  });

  it('date: the latest date, then the highest number of the day, in either date spelling', () => {
    const tags = ['release-2026-11-30', 'release-2026-12-03.1', 'release-2026-12-03.2', 'release-20261201.9', 'release-x'];
    expect(newestReleaseTag(tags, { kind: 'date', pattern: 'release-<DATE>.<N>' })).toEqual({
      tag: 'release-2026-12-03.2',
      version: '2026-12-03.2',
    });
    expect(newestReleaseTag(tags, { kind: 'date', pattern: 'release-<DATE>' })).toEqual({
      tag: 'release-2026-11-30',
      version: '2026-11-30',
    });
  });

  it('number and custom schemes; none matching is null; a pattern without a placeholder is refused', () => {
    expect(
      newestReleaseTag(['alpha_release-2', 'alpha_release-10', 'alpha_release-9'], { kind: 'number', pattern: 'alpha_release-<N>' })?.tag,
    ).toBe('alpha_release-10');
    const byLength = { kind: 'custom', match: /^build-/, compare: (a: string, b: string) => a.length - b.length } as const;
    expect(newestReleaseTag(['build-aa', 'build-a', 'other'], byLength)).toEqual({ tag: 'build-aa', version: 'build-aa' });
    expect(newestReleaseTag(['v1'], { kind: 'number', pattern: 'alpha_release-<N>' })).toBeNull();
    expect(() => newestReleaseTag([], { kind: 'number', pattern: 'alpha_release' })).toThrow(/must use <N>/);
  });
});

describe('fetchRelease by tag scheme (bare git repository)', () => {
  let root: string;
  let remote: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'seqrun-git-scheme-'));
    remote = await createBareRemote(join(root, 'site.git'));
    await pushCommit(remote, [{ path: 'VERSION', content: '1.9.0\n' }], { tags: ['v1.9.0'] });
    await pushCommit(remote, [{ path: 'VERSION', content: '1.10.0\n' }], { tags: ['v1.10.0'] });
    await pushCommit(remote, [{ path: 'VERSION', content: '2.0.0-rc.1\n' }], { tags: ['v2.0.0-rc.1'] });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('checks out the newest semantic version and says which', async () => {
    const fetched = await fetchRelease({ remote, workspace: join(root, 'work'), ref: { tagScheme: { kind: 'semver' } } });
    expect(fetched).toMatchObject({ tag: 'v1.10.0', version: '1.10.0', ref: 'refs/tags/v1.10.0' });
    expect(await readFile(join(root, 'work', 'VERSION'), 'utf8')).toBe('1.10.0\n');
  });
});
