// Review: what a change to the documents and bindings does to the pipeline (`seqrun diff`).
export { align, findRenames } from './align.ts';
export type { Alignment, Rename, StepPair } from './align.ts';
export { comparePlans } from './compare.ts';
export type { Side } from './compare.ts';
export { diffVersions } from './diff.ts';
export type { Version } from './diff.ts';
export { problemOf } from './git.ts';
export { handlerIdentity } from './handlers.ts';
export { loadVersions, diagramKey } from './load.ts';
export type { DiffRequest, LoadedVersions } from './load.ts';
export { COMMENT_MARKER, diffMarkdown } from './markdown.ts';
export { diffText } from './text.ts';
export type * from './types.ts';
