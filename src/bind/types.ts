// The handler API (what binding modules register) and the plan that `bind` produces.
// This file is the contract between bindings, `bind`, the runtime and the packs.
import type { Diagram, Span, Step } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';

export type StepKind = 'call' | 'reply' | 'note' | 'expect';
/** mermaid block labels that bind (SEMANTICS.md 7): a `loop`'s text; an alt/else/opt/break/option condition. */
export type BlockHandlerKind = 'loop' | 'condition';
/** What a handler is registered as: a step kind or a block kind. */
export type HandlerKind = StepKind | BlockHandlerKind;

/** Where a handler or parameter type was registered. */
export interface SourceRef {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface RetryPolicy {
  /** Total attempts including the first (1 = no retry). */
  readonly attempts: number;
  /** First delay in ms (default 1000). */
  readonly backoffMs?: number;
  /** Multiplier per attempt (default 2). */
  readonly factor?: number;
  readonly maxBackoffMs?: number;
  /** Full jitter on each delay (default true). */
  readonly jitter?: boolean;
  /** Which errors retry (default: every error except a timeout or an abort). */
  readonly retryOn?: (error: unknown) => boolean;
}

export interface StepOptions {
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
}

/** Optional participant filters, checked before any text is matched. */
export interface ParticipantFilter {
  readonly from?: string;
  readonly to?: string;
  /** For notes: one of the participants the note is about. */
  readonly over?: string;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface StepInfo {
  readonly id: string;
  readonly kind: HandlerKind;
  readonly text: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** The run a handler runs in. */
export interface RunInfo {
  readonly id: string;
  /** The diagram as the run named it (`specs/final.seq`, `docs/release.md#release`). */
  readonly diagram: string;
  readonly profile: string | null;
  /** When the run first started (ISO 8601), the same after a resume. */
  readonly startedAt: string;
  /** True when this process continues the run (`seqrun resume`). */
  readonly resumed: boolean;
  /** The config's `reportUrl` with `{runId}` filled in, when the config has one. */
  readonly reportUrl?: string;
}

/** Everything a handler gets besides its expression arguments. */
export interface HandlerContext<State = Record<string, unknown>> {
  readonly step: StepInfo;
  /** `--var name=value` values. */
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Outputs of earlier steps, by step id. */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** Per-run state the bindings define; persisted in the journal for resume. */
  readonly state: State;
  readonly signal: AbortSignal;
  readonly log: Logger;
  readonly attempt: number;
  /** For `expect` and `reply`: the result of the call they belong to. */
  readonly result?: unknown;
  /** Inside a `loop` over items: the current item (the loop handler's iterable's element). */
  readonly item?: unknown;
  /** Inside a `loop`: the 1-based number of the current iteration. */
  readonly iteration?: number;
  /** For the condition of a `critical` block's `option`: the error that failed the block's body. */
  readonly error?: unknown;
  /** Marks a value as secret: it is replaced by `***` in journals, reports and logs. */
  secret(value: string): string;
  /**
   * `text` with every secret the run knows masked (`***`): for text a handler sends where the run's
   * own redaction does not reach (a Slack message, a comment on a pull request).
   */
  redact(text: string): string;
  /** Settings from the config (profiles, participants, packs). */
  readonly config: Readonly<Record<string, unknown>>;
  /** The run's id, the same after a resume: a name for what belongs to this run alone (its work folder). */
  readonly runId: string;
  /** The run this step belongs to: for messages that name it (a Slack notice linking to its report). */
  readonly run: RunInfo;
  /**
   * Records part of what this step has done so far, e.g. the id of one build of several, the moment
   * it exists: it is journaled before `progress` returns. A JSON value, masked like outputs.
   */
  progress(part: unknown): void;
  /**
   * What `progress` recorded for this step before this attempt (an earlier attempt, or a runner that
   * died), oldest first, up to the step's journaled handle: a resumed `start` re-attaches what these
   * name and starts only the rest. What they name may have been stopped since; check before reusing.
   */
  readonly recorded: readonly unknown[];
}

export type HandlerFn = (ctx: HandlerContext, ...args: unknown[]) => unknown;

/** A job: work started elsewhere that is awaited at its reply, cancelled on failure, re-attached on resume. */
export interface JobImplementation<Handle = unknown, Result = unknown> {
  /**
   * Starts the work and returns a JSON-serialisable handle (journaled before anything else happens).
   * A start that starts several things records each with `ctx.progress` as it exists, and starts
   * only those `ctx.recorded` does not name: a runner killed in between never starts one twice.
   */
  start(ctx: HandlerContext, ...args: unknown[]): Promise<Handle>;
  /** Waits for the work to finish; rejects when it failed. */
  wait(ctx: HandlerContext, handle: Handle): Promise<Result>;
  cancel?(ctx: HandlerContext, handle: Handle): Promise<void>;
  /** Called on resume before `wait`, with the journaled handle; never `start` again (`ctx.recorded`: parts recorded since the handle). */
  attach?(ctx: HandlerContext, handle: Handle): Promise<void>;
}

export type Expression = string | RegExp;

interface HandlerBase {
  readonly expression: Expression;
  readonly filter: ParticipantFilter;
  readonly options: StepOptions;
  readonly source: SourceRef;
}

export interface SyncCallHandler extends HandlerBase {
  readonly kind: 'call';
  readonly mode: 'sync';
  readonly fn: HandlerFn;
}

export interface JobCallHandler extends HandlerBase {
  readonly kind: 'call';
  readonly mode: 'job';
  readonly job: JobImplementation;
}

export interface OtherHandler extends HandlerBase {
  readonly kind: 'reply' | 'note' | 'expect';
  readonly fn: HandlerFn;
}

/**
 * A mermaid block label's handler. `loop`: returns an iterable (the body runs once per item) or a
 * guard function asked before each iteration; `condition`: returns true or false.
 */
export interface BlockHandler extends HandlerBase {
  readonly kind: BlockHandlerKind;
  readonly fn: HandlerFn;
  /** Loops only: the most iterations the loop may run (default 1000). */
  readonly maxIterations?: number;
}

export type Handler = SyncCallHandler | JobCallHandler | OtherHandler | BlockHandler;

export interface ParameterTypeDefinition {
  readonly name: string;
  readonly regexp: RegExp | string | readonly (RegExp | string)[];
  readonly transformer?: (...groups: string[]) => unknown;
  readonly useForSnippets?: boolean;
  readonly preferForRegexpMatch?: boolean;
}

export interface RegisteredParameterType extends ParameterTypeDefinition {
  readonly source: SourceRef;
}

/** How a step was bound. */
export type Binding =
  | { readonly status: 'bound'; readonly handler: Handler; readonly args: readonly unknown[] }
  /** A reply whose text is the built-in `Success` assertion. */
  | { readonly status: 'builtin'; readonly name: 'Success' }
  | { readonly status: 'undefined'; readonly snippet: string }
  | { readonly status: 'ambiguous'; readonly candidates: readonly Handler[] };

export interface PlannedStep {
  /** Stable id: `s<index>` with the 0-based index in `diagram.steps`. */
  readonly id: string;
  readonly index: number;
  readonly step: Step;
  readonly kind: StepKind;
  readonly binding: Binding;
  /** For calls: sync or job (from the handler; 'sync' when unbound). */
  readonly mode?: 'sync' | 'job';
  /** For replies: index of the call this reply answers (null: it answers nothing, an error). */
  readonly answers?: number | null;
  /** For expectations: index of the call they are checked against. */
  readonly expectationOf?: number;
  /** For job calls: index of the reply that joins it, or null when it is joined at the end. */
  readonly joinedAt?: number | null;
  /** For job calls: indexes of the steps that run while the job is open. */
  readonly overlaps?: readonly number[];
  /** Effective options after config overrides. */
  readonly options: StepOptions;
  /** mermaid `-x` / `--x`: passes when its handler fails with an expected error, fails when it succeeds. */
  readonly refused?: boolean;
}

/** Where a block sits in the diagram: its header line and its `end` line. */
interface PlannedBlockBase {
  /** Stable id: `b<index>` with the 0-based index of the block in document order. */
  readonly id: string;
  readonly span: Span;
  readonly endSpan: Span;
}

/** A block label bound to a `loop` or `condition` handler; null binding: a bare `else`/`option` (the default). */
export interface PlannedLabel {
  readonly text: string;
  readonly span: Span;
  readonly binding: Binding | null;
}

export interface PlannedBranch {
  readonly label: PlannedLabel;
  readonly body: readonly PlanNode[];
}

/** `par L1 … and L2 … end`: the branches run concurrently; labels are documentation. */
export interface PlannedPar extends PlannedBlockBase {
  readonly kind: 'par';
  readonly branches: readonly PlannedBranch[];
}

/** `loop T … end`: T binds to a `loop` handler. */
export interface PlannedLoop extends PlannedBlockBase {
  readonly kind: 'loop';
  readonly label: PlannedLabel;
  /** The most iterations it runs: the handler's `maxIterations`, else 1000. */
  readonly maxIterations: number;
  readonly body: readonly PlanNode[];
}

/** `alt C1 … else C2 … end` and `opt C … end`: the first branch whose condition holds runs. */
export interface PlannedAlt extends PlannedBlockBase {
  readonly kind: 'alt' | 'opt';
  readonly branches: readonly PlannedBranch[];
}

/** `critical L … option O1 … end`: the body; when it fails, the first option accepting the error. */
export interface PlannedCritical extends PlannedBlockBase {
  readonly kind: 'critical';
  readonly body: PlannedBranch;
  readonly options: readonly PlannedBranch[];
}

/** `break C … end`: when C holds, the body runs, then the enclosing loop (or the run) ends. */
export interface PlannedBreak extends PlannedBlockBase {
  readonly kind: 'break';
  readonly branch: PlannedBranch;
}

export type PlannedBlock = PlannedPar | PlannedLoop | PlannedAlt | PlannedCritical | PlannedBreak;

/** The plan as a tree: steps (by index into `Plan.steps`) and the blocks that hold them. */
export type PlanNode = { readonly kind: 'step'; readonly index: number } | PlannedBlock;

export interface Plan {
  readonly diagram: Diagram;
  readonly steps: readonly PlannedStep[];
  /**
   * The steps as a tree of blocks (mermaid's par, loop, alt, opt, critical, break; `rect` is drawing
   * only and leaves its steps in place). A diagram without blocks: every step in order. Absent in
   * hand-built plans, which run as a sequence.
   */
  readonly tree?: readonly PlanNode[];
  /** Undefined/ambiguous steps, replies answering nothing, jobs never joined (warning). */
  readonly diagnostics: readonly Diagnostic[];
}
