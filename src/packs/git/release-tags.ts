// Which tag is the newest release: tag schemes teams use, beyond `alpha_release-<N>`. Semantic
// versions are compared by the `semver` package (the npm registry's own rules for ordering versions).
import { createRequire } from 'node:module';
import type Semver from 'semver';
import { GitError } from './git-cli.ts';

export type TagScheme =
  /** `alpha_release-<N>`: the highest N. */
  | { readonly kind: 'number'; readonly pattern: string }
  /** `v1.2.3` (the prefix is `v` by default; `''` for `1.2.3`): the highest version; pre-releases only when asked. */
  | { readonly kind: 'semver'; readonly prefix?: string; readonly prereleases?: boolean }
  /** `release-<DATE>` or `release-<DATE>.<N>`: the latest date (YYYY-MM-DD or YYYYMMDD), then the highest N. */
  | { readonly kind: 'date'; readonly pattern: string }
  /** Anything else: the tags `match` accepts, ordered by `compare` (newest last). */
  | { readonly kind: 'custom'; readonly match: RegExp; readonly compare: (a: string, b: string) => number };

export interface ReleaseTag {
  readonly tag: string;
  /** What the scheme read from the tag: `42`, `1.2.3`, `2026-12-03.2`. */
  readonly version: string;
}

// Loaded on first use: `semver` is 47 modules, and every `seqrun check` loads the git pack through the bindings.
let loaded: typeof Semver | undefined;
const semverApi = (): typeof Semver => (loaded ??= createRequire(import.meta.url)('semver') as typeof Semver);

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `alpha_release-<N>` → a RegExp with the placeholders as groups. */
function placeholders(pattern: string, allowed: readonly string[]): RegExp {
  const names = [...pattern.matchAll(/<([A-Z]+)>/g)].map((m) => m[1] ?? '');
  const unknown = names.find((n) => !allowed.includes(n));
  if (unknown !== undefined || names.length === 0) {
    throw new GitError(
      `tag pattern "${pattern}" must use ${allowed.map((a) => `<${a}>`).join(' or ')} (e.g. alpha_release-<N>, release-<DATE>)`,
      [],
      '',
    );
  }
  const groups: Record<string, string> = { N: '(?<N>\\d+)', DATE: '(?<DATE>\\d{4}-?\\d{2}-?\\d{2})' };
  const source = pattern
    .split(/(<[A-Z]+>)/)
    .map((part) => (/^<[A-Z]+>$/.test(part) ? (groups[part.slice(1, -1)] ?? '') : escape(part)))
    .join('');
  return new RegExp(`^${source}$`);
}

type Keyed = { tag: string; version: string; key: readonly (number | string)[] };

function keyed(tags: readonly string[], scheme: Exclude<TagScheme, { kind: 'custom' }>): Keyed[] {
  if (scheme.kind === 'semver') {
    const prefix = scheme.prefix ?? 'v';
    return tags.flatMap((tag) => {
      if (!tag.startsWith(prefix)) return [];
      // Exactly a version after the prefix: semver.valid also accepts `v1.2.3` and `=1.2.3`.
      const version = tag.slice(prefix.length);
      const semver = semverApi();
      if (semver.valid(version) !== version || (!scheme.prereleases && semver.prerelease(version) !== null)) return [];
      return [{ tag, version, key: [] }];
    });
  }
  const regexp = placeholders(scheme.pattern, scheme.kind === 'number' ? ['N'] : ['DATE', 'N']);
  return tags.flatMap((tag) => {
    const groups = regexp.exec(tag)?.groups;
    if (!groups) return [];
    const date = groups['DATE']?.replaceAll('-', '');
    const n = groups['N'] === undefined ? 0 : Number(groups['N']);
    const version =
      date === undefined
        ? String(n)
        : `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}${groups['N'] === undefined ? '' : `.${n}`}`;
    return [{ tag, version, key: date === undefined ? [n] : [date, n] }];
  });
}

function compareKeys(a: Keyed, b: Keyed): number {
  for (let i = 0; i < Math.max(a.key.length, b.key.length); i++) {
    const x = a.key[i] ?? 0;
    const y = b.key[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The newest release tag among `tags` by `scheme`, or null when none is one. */
export function newestReleaseTag(tags: readonly string[], scheme: TagScheme): ReleaseTag | null {
  if (scheme.kind === 'custom') {
    const matching = tags.filter((t) => scheme.match.test(t)).sort(scheme.compare);
    const tag = matching.at(-1);
    return tag === undefined ? null : { tag, version: tag };
  }
  const candidates = keyed(tags, scheme);
  const ordered =
    scheme.kind === 'semver' ? candidates.sort((a, b) => semverApi().compare(a.version, b.version)) : candidates.sort(compareKeys);
  const newest = ordered.at(-1);
  return newest === undefined ? null : { tag: newest.tag, version: newest.version };
}
