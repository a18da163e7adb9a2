// The git pack: fetch a release from a remote into a workspace.
export { fetchRelease, resolveReleaseTag } from './fetch-release.ts';
export type { FetchReleaseOptions, FetchedRelease, GitRef, GitCredentials } from './fetch-release.ts';
export { GitError } from './git-cli.ts';
export { newestReleaseTag } from './release-tags.ts';
export type { ReleaseTag, TagScheme } from './release-tags.ts';
