// Runs a plan's tree (SEMANTICS.md 7): par branches side by side, loops bounded and per iteration,
// alt/opt by conditions evaluated once and journaled, critical with its compensation, break. The
// executor runs the steps; this module decides which steps run, and journals why (`block` events).
import type {
  PlanNode,
  PlannedAlt,
  PlannedBranch,
  PlannedBreak,
  PlannedCritical,
  PlannedLabel,
  PlannedLoop,
  PlannedPar,
} from '../bind/types.ts';
import type { BlockEvent } from './events.ts';
import { errorInfo } from './errors.ts';
import { FailScope, type Frame } from './fail-scope.ts';
import { BlockLabelError, LoopBoundReached, LoopAnswerInvalid } from './block-errors.ts';
import { describe, fromItems, isIterable, take, type Iterations } from './loop-items.ts';

/** How a walk ended: normally (or stopped: its scope says so), or by a `break` leaving its loop. */
type Walked = 'ok' | 'break';

export type BlockRecord = Omit<BlockEvent, 'type' | 'at' | 'runId'>;

/** What the runner needs from the executor. */
export interface BlockHost {
  /** Runs step `index` in `frame` (nothing when it passed before a resume). */
  step(index: number, frame: Frame): Promise<void>;
  /** Calls a block label's handler; throws what it throws. */
  evaluate(label: PlannedLabel, blockId: string, frame: Frame, error?: unknown): Promise<unknown>;
  /** Journals a decision or a block's end. */
  record(event: BlockRecord): void;
  /** What the journal decided before a resume, by `blockId` and `what` (and iteration for guards). */
  decided(blockId: string, what: BlockEvent['what'], iteration?: number): BlockEvent | undefined;
  /** Cancels the jobs started in a failed block's scope. */
  stopJobs(scope: FailScope): Promise<void>;
  /** A `break` outside any loop: the run ends, failed, with the break's condition as its reason. */
  breakRun(blockId: string, reason: string): void;
  /** A block failed by its label's handler (a condition that threw, a loop's bad answer or bound). */
  failBlock(frame: Frame, blockId: string, label: PlannedLabel, error: Error): void;
  readonly now: () => number;
}

export class BlockRunner {
  private readonly host: BlockHost;
  private readonly file: string;
  constructor(host: BlockHost, file: string) {
    this.host = host;
    this.file = file;
  }

  async walk(nodes: readonly PlanNode[], frame: Frame): Promise<Walked> {
    for (const node of nodes) {
      if (frame.scope.stopped) return 'ok';
      const walked = await this.node(node, frame);
      if (walked === 'break') return 'break';
    }
    return 'ok';
  }

  private node(node: PlanNode, frame: Frame): Promise<Walked> {
    switch (node.kind) {
      case 'step':
        return this.host.step(node.index, frame).then(() => 'ok');
      case 'par':
        return this.par(node, frame);
      case 'loop':
        return this.loop(node, frame);
      case 'alt':
      case 'opt':
        return this.alt(node, frame);
      case 'critical':
        return this.critical(node, frame);
      case 'break':
        return this.breakBlock(node, frame);
    }
  }

  /** Every branch at once; a failing branch fails the scope, whose signal stops the others. */
  private async par(node: PlannedPar, frame: Frame): Promise<Walked> {
    const t0 = this.host.now();
    const branchMs: number[] = node.branches.map(() => 0);
    const walked = await Promise.all(
      node.branches.map(async (branch, i) => {
        const result = await this.walk(branch.body, frame);
        branchMs[i] = Math.round(this.host.now() - t0);
        return result;
      }),
    );
    const status = frame.scope.stopped ? 'failed' : 'passed';
    this.host.record({ blockId: node.id + frame.suffix, what: 'ended', status, branchMs, durationMs: Math.round(this.host.now() - t0) });
    return walked.includes('break') ? 'break' : 'ok';
  }

  /** The index of the first branch whose condition holds (a bare `else` always does), -1 for none; null: failed. */
  private async choose(id: string, branches: readonly PlannedBranch[], frame: Frame): Promise<number | null> {
    const journaled = this.host.decided(id, 'branch');
    if (journaled?.branch !== undefined) return journaled.branch;
    for (const [i, branch] of branches.entries()) {
      const holds = branch.label.binding === null ? true : await this.condition(branch.label, id, frame);
      if (holds === null) return null;
      if (holds) return this.decide(id, i);
    }
    return this.decide(id, -1);
  }

  private decide(blockId: string, branch: number): number {
    this.host.record({ blockId, what: 'branch', branch });
    return branch;
  }

  /** A condition's answer; null when it threw or answered other than true or false (the block failed). */
  private async condition(label: PlannedLabel, blockId: string, frame: Frame, error?: unknown): Promise<boolean | null> {
    let answer: unknown;
    try {
      answer = await this.host.evaluate(label, blockId, frame, error);
    } catch (thrown) {
      if (frame.scope.stopped) return null;
      this.host.failBlock(
        frame,
        blockId,
        label,
        new BlockLabelError(this.where(label, 'condition', `threw: ${errorInfo(thrown).message}`), { cause: thrown }),
      );
      return null;
    }
    if (typeof answer === 'boolean') return answer;
    this.host.failBlock(
      frame,
      blockId,
      label,
      new BlockLabelError(this.where(label, 'condition', `returned ${describe(answer)}, not true or false`)),
    );
    return null;
  }

  private where(label: PlannedLabel, kind: string, what: string): string {
    const { line, column } = label.span.start;
    return `The ${kind} ${JSON.stringify(label.text)} (${this.file}:${line}:${column}) ${what}`;
  }

  private async alt(node: PlannedAlt, frame: Frame): Promise<Walked> {
    const id = node.id + frame.suffix;
    const chosen = await this.choose(id, node.branches, frame);
    const branch = chosen === null ? undefined : node.branches[chosen];
    if (!branch) return 'ok';
    return this.walk(branch.body, frame);
  }

  private async breakBlock(node: PlannedBreak, frame: Frame): Promise<Walked> {
    const id = node.id + frame.suffix;
    const chosen = await this.choose(id, [node.branch], frame);
    if (chosen !== 0) return 'ok';
    await this.walk(node.branch.body, frame);
    if (frame.scope.stopped) return 'ok';
    this.host.record({ blockId: id, what: 'ended', status: 'broke' });
    if (frame.iteration === undefined) this.host.breakRun(id, node.branch.label.text);
    return 'break';
  }

  private async critical(node: PlannedCritical, frame: Frame): Promise<Walked> {
    const id = node.id + frame.suffix;
    // Resumed during its compensation: the body failed before and its option was chosen; go on there.
    const compensating = this.host.decided(id, 'compensation')?.branch;
    if (compensating !== undefined && compensating >= 0) return this.compensate(node, id, frame, compensating);
    const scope = new FailScope(frame.scope, null);
    const walked = await this.walk(node.body.body, { ...frame, scope });
    // Jobs started inside and still open must keep following the run's stop; otherwise let go.
    if (scope.jobIds.size === 0) scope.close();
    const failure = scope.failure;
    if (!failure || frame.scope.stopped) {
      if (!frame.scope.stopped) this.host.record({ blockId: id, what: 'ended', status: 'passed' });
      return walked;
    }
    await this.host.stopJobs(scope);
    const chosen = await this.compensation(id, node, frame, failure);
    if (chosen === null) return 'ok';
    if (!node.options[chosen]) {
      frame.scope.fail(failure.stepId, failure.error);
      return 'ok';
    }
    return this.compensate(node, id, frame, chosen);
  }

  private async compensate(node: PlannedCritical, id: string, frame: Frame, chosen: number): Promise<Walked> {
    const after = await this.walk(node.options[chosen]?.body ?? [], frame);
    if (!frame.scope.stopped) this.host.record({ blockId: id, what: 'ended', status: 'compensated', branch: chosen });
    return after;
  }

  /** The first option whose condition accepts the error (a bare `option` accepts any), -1: none. */
  private async compensation(
    id: string,
    node: PlannedCritical,
    frame: Frame,
    { stepId, error }: { readonly stepId: string; readonly error: unknown },
  ): Promise<number | null> {
    const journaled = this.host.decided(id, 'compensation');
    if (journaled?.branch !== undefined) return journaled.branch;
    let chosen = -1;
    for (const [i, option] of node.options.entries()) {
      const holds = option.label.binding === null ? true : await this.condition(option.label, id, frame, error);
      if (holds === null) return null;
      if (holds) {
        chosen = i;
        break;
      }
    }
    this.host.record({ blockId: id, what: 'compensation', branch: chosen, error: errorInfo(error), failedStepId: stepId });
    return chosen;
  }

  private async loop(node: PlannedLoop, frame: Frame): Promise<Walked> {
    const id = node.id + frame.suffix;
    const source = await this.iterations(node, id, frame);
    if (source === null) return 'ok';
    let iteration = 0;
    for (;;) {
      if (frame.scope.stopped) return 'ok';
      const next = await source.next(iteration + 1);
      if (next === null) return 'ok';
      if (!next.more) break;
      iteration++;
      const walked = await this.walk(node.body, { scope: frame.scope, suffix: `${frame.suffix}#${iteration}`, item: next.item, iteration });
      if (walked === 'break') break;
    }
    if (!frame.scope.stopped) this.host.record({ blockId: id, what: 'ended', status: 'passed', iterations: iteration });
    return 'ok';
  }

  /** The loop's items (journaled once) or its guard (each answer journaled); null: the loop failed. */
  private async iterations(node: PlannedLoop, id: string, frame: Frame): Promise<Iterations | null> {
    const journaled = this.host.decided(id, 'items');
    if (journaled?.items) return fromItems(journaled.items);
    let answer: unknown;
    try {
      answer = await this.host.evaluate(node.label, id, frame);
    } catch (thrown) {
      if (!frame.scope.stopped)
        this.host.failBlock(
          frame,
          id,
          node.label,
          new BlockLabelError(this.where(node.label, 'loop', `threw: ${errorInfo(thrown).message}`), { cause: thrown }),
        );
      return null;
    }
    if (typeof answer === 'function') return this.guard(node, id, frame, answer as () => unknown);
    if (typeof answer !== 'string' && isIterable(answer)) {
      const items = [...take(answer, node.maxIterations + 1)];
      if (items.length > node.maxIterations) {
        this.host.failBlock(
          frame,
          id,
          node.label,
          new LoopBoundReached(this.where(node.label, 'loop', `returned more than ${node.maxIterations} items, its maxIterations`)),
        );
        return null;
      }
      this.host.record({ blockId: id, what: 'items', items });
      return fromItems(items);
    }
    const what = `returned ${describe(answer)}: a loop handler returns an iterable of items (an array) or a guard function () => boolean`;
    this.host.failBlock(frame, id, node.label, new LoopAnswerInvalid(this.where(node.label, 'loop', what)));
    return null;
  }

  private guard(node: PlannedLoop, id: string, frame: Frame, guard: () => unknown): Iterations {
    return {
      next: async (iteration) => {
        const journaled = this.host.decided(id, 'guard', iteration);
        if (journaled?.holds !== undefined) return { more: journaled.holds };
        let holds: unknown;
        try {
          holds = await guard();
        } catch (thrown) {
          if (!frame.scope.stopped)
            this.host.failBlock(
              frame,
              id,
              node.label,
              new BlockLabelError(this.where(node.label, 'loop guard', `threw: ${errorInfo(thrown).message}`), { cause: thrown }),
            );
          return null;
        }
        if (typeof holds !== 'boolean') {
          this.host.failBlock(
            frame,
            id,
            node.label,
            new LoopAnswerInvalid(this.where(node.label, 'loop guard', `returned ${describe(holds)}, not true or false`)),
          );
          return null;
        }
        if (holds && iteration > node.maxIterations) {
          const what = `still held after ${node.maxIterations} iterations, its maxIterations: raise it with s.loop(expression, { maxIterations }, ...) or end the guard`;
          this.host.failBlock(frame, id, node.label, new LoopBoundReached(this.where(node.label, 'loop', what)));
          return null;
        }
        this.host.record({ blockId: id, what: 'guard', iteration, holds });
        return { more: holds };
      },
    };
  }
}
