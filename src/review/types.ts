// What `seqrun diff` finds: the pipeline change a document change makes, per diagram, in plan terms.
import type { StepKind } from '../bind/types.ts';

/** A step as a reviewer reads it: where it is written, what it says, what it is. */
export interface StepRef {
  /** The plan's step id (`s<index>`) in its own version. */
  readonly id: string;
  readonly line: number;
  readonly kind: StepKind;
  /** `Pay CI->AWS: Copy repo to S3`, `Note right of AWS: Tests passed`, as written (participant ids). */
  readonly label: string;
  readonly text: string;
}

/** A handler as `diff` compares it: by what it matches, where it is registered, and a hash of its code. */
export interface HandlerRef {
  readonly kind: string;
  readonly expression: string;
  /** Relative to the repository's top folder, the same at BASE and in the working tree. */
  readonly file: string;
  readonly line: number;
  /** sha256 (hex, 16 characters) of the registration's text and the handler's functions. */
  readonly hash: string;
}

export type ChangeKind =
  | 'diagram-added'
  | 'diagram-deleted'
  | 'participant-renamed'
  | 'step-added'
  | 'step-removed'
  | 'expectation-added'
  | 'expectation-dropped'
  | 'step-moved'
  | 'step-reworded'
  | 'rebound'
  | 'handler-changed'
  | 'handler-moved'
  | 'call-became-job'
  | 'job-became-call'
  | 'concurrency-added'
  | 'concurrency-removed'
  | 'join-moved'
  | 'options-changed'
  | 'block-added'
  | 'block-removed'
  | 'block-changed';

/**
 * One change. `before` is the step at BASE, `after` the step in the working tree (either is null when
 * the step exists on one side only, both when a change concerns the diagram or a block). `was` and
 * `now` say what changed in words; `steps` lists the steps a concurrency change is about.
 */
export interface Change {
  readonly kind: ChangeKind;
  readonly before: StepRef | null;
  readonly after: StepRef | null;
  readonly was?: string;
  readonly now?: string;
  readonly steps?: readonly StepRef[];
}

export interface DiagramDiff {
  /** The diagram's file relative to the repository's top folder, with `#slug` for a Markdown fence. */
  readonly diagram: string;
  readonly status: 'added' | 'deleted' | 'changed' | 'unchanged';
  readonly changes: readonly Change[];
}

export interface DiffResult {
  /** The ref compared against, as given or found (`origin/main` merge base), and its commit. */
  readonly base: { readonly ref: string; readonly commit: string };
  readonly diagrams: readonly DiagramDiff[];
}

/** The changes a diagram in the working tree is drawn with: by step index, green (added) or amber (changed). */
export type StepMarks = ReadonlyMap<number, 'added' | 'changed'>;
