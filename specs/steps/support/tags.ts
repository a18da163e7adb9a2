// The image tags diagrams write, and the concrete tags they mean for release N (GOV.UK Pay's scheme).
// `#build-candidate` is `<N>-candidate`, `#build-candidates` both per-architecture candidates, and so on;
// `latest`, `latest-master` and `latest-arm` are literal.

/** A tag as written in a diagram. */
export type TagName =
  | '#build-candidate'
  | '#build-candidates'
  | '#build-candidate-arm'
  | '#build-release'
  | '#build-release-arm'
  | 'latest'
  | 'latest-master'
  | 'latest-arm';

const NAMES: readonly TagName[] = [
  '#build-candidates',
  '#build-candidate-arm',
  '#build-candidate',
  '#build-release-arm',
  '#build-release',
  'latest-master',
  'latest-arm',
  'latest',
];
const ONE = `(?:${NAMES.map((n) => n.replace(/[-#]/g, (c) => `\\${c}`)).join('|')})`;

/** `#build-release, #build-release-arm, latest`: one or more known tag names, comma separated. */
export const TAG_LIST = new RegExp(`${ONE}(?:, ${ONE})*`);

export function splitTags(text: string): TagName[] {
  return text.split(', ') as TagName[];
}

/** Per-architecture suffixes of candidate tags, as the real pipeline names them. */
export const ARCH_SUFFIX = { x86: 'amd64', ARM: 'armv8' } as const;

/** The concrete tags a name stands for in release `release`. */
export function concreteTags(name: TagName, release: number): string[] {
  switch (name) {
    case '#build-candidate':
      return [`${release}-candidate`];
    case '#build-candidates':
      return [`${release}-candidate-amd64`, `${release}-candidate-armv8`];
    case '#build-candidate-arm':
      return [`${release}-candidate-armv8`];
    case '#build-release':
      return [`${release}-release`];
    case '#build-release-arm':
      return [`${release}-release-armv8`];
    default:
      return [name];
  }
}

export function concreteTagList(names: readonly TagName[], release: number): string[] {
  return names.flatMap((name) => concreteTags(name, release));
}

/**
 * Where a release-side tag is copied from: `#build-release` and `latest` from the candidate,
 * the ARM ones from the ARM candidate, `latest-master` from the release (what Docker Hub gets).
 */
export function sourceTag(name: TagName, release: number): string {
  switch (name) {
    case '#build-release':
    case 'latest':
      return `${release}-candidate`;
    case '#build-release-arm':
      return `${release}-candidate-armv8`;
    case 'latest-master':
      return `${release}-release`;
    case 'latest-arm':
      return `${release}-release-armv8`;
    default:
      throw new Error(`${name} is a candidate tag; builds push it, it is not copied from another tag`);
  }
}

/** Tags that move with every release (everything else is immutable once pushed). */
export const MOVABLE_TAGS = ['latest', 'latest-master', 'latest-arm'];
