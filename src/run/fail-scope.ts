// Where a failure stops: the run (the root scope), or a mermaid `critical` block, whose body's failure
// stops only what runs inside it (its par branches, its jobs) before its compensation runs. A scope
// is stopped when it failed or any enclosing scope stopped (its signal follows theirs).
import type { PlannedStep } from '../bind/types.ts';

export class FailScope {
  readonly controller: AbortController;
  /** The first step that failed in this scope (a critical block's body), with its error. */
  failure: { readonly stepId: string; readonly error: unknown } | null = null;
  /** Jobs started inside the scope: cancelled when it fails. */
  readonly jobIds = new Set<string>();
  private readonly onFail: ((stepId: string, error: unknown) => void) | null;
  private readonly parent: FailScope | null;

  /** `onFail`: the root's (the run stops); a block's scope records its failure and aborts itself. */
  constructor(parent: FailScope | null, onFail: ((stepId: string, error: unknown) => void) | null, controller = new AbortController()) {
    this.controller = controller;
    this.onFail = onFail;
    this.parent = parent;
    if (parent) {
      const follow = (): void => this.controller.abort(parent.signal.reason);
      if (parent.signal.aborted) follow();
      else {
        parent.signal.addEventListener('abort', follow, { once: true });
        this.unfollow = () => parent.signal.removeEventListener('abort', follow);
      }
    }
  }

  private unfollow: () => void = () => undefined;

  /** The block is over: stop following the enclosing scope (a loop of many blocks adds no listeners). */
  close(): void {
    this.unfollow();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  fail(stepId: string, error: unknown): void {
    if (this.stopped) return;
    this.failure = { stepId, error };
    if (this.onFail) this.onFail(stepId, error);
    else this.controller.abort(new Error(`its block stopped: step ${stepId} failed`));
  }

  /** Records a job started in this scope and every enclosing block scope. */
  addJob(id: string): void {
    this.jobIds.add(id);
    this.parent?.addJob(id);
  }
}

/** Where a step or block runs: its failure scope, and the loop iterations around it. */
export interface Frame {
  readonly scope: FailScope;
  /** The iterations of the loops around it, appended to step and block ids: '' or '#2' or '#2#1'. */
  readonly suffix: string;
  /** The innermost loop's current item and 1-based iteration (`ctx.item`, `ctx.iteration`). */
  readonly item?: unknown;
  readonly iteration?: number;
}

/** The id of step `index` in the iterations `suffix` of the loops around the current frame. */
export function stepIdAt(index: number, suffix: string, loopDepth: number): string {
  if (loopDepth === 0 || suffix === '') return `s${index}`;
  const iterations = suffix.split('#').slice(1, loopDepth + 1);
  return `s${index}#${iterations.join('#')}`;
}

export type StepInstances = (planned: PlannedStep, suffix: string) => PlannedStep;
