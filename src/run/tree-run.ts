// The executor's side of a mermaid plan's tree: step instances per loop iteration (`s4#2`), the
// block label handlers' calls, the blocks' journaled decisions (and those a resume takes over), and
// why the run ended when a block ended it (a `break`, a condition that threw).
import type { BlockHandler, Plan, PlanNode, PlannedLabel, PlannedStep, StepInfo } from '../bind/types.ts';
import { BlockRunner, type BlockHost, type BlockRecord } from './blocks.ts';
import { contextOf, type RunScope } from './context.ts';
import { errorInfo } from './errors.ts';
import type { BlockEvent } from './events.ts';
import { stepIdAt, type FailScope, type Frame } from './fail-scope.ts';
import { withTimeout } from './retry.ts';
import type { HandlerContext } from '../bind/types.ts';

/** A loop or condition handler's time limit unless it sets one (it decides; it should not do the work). */
const LABEL_TIMEOUT_MS = 5 * 60_000;

/** What the tree needs from the executor. */
export interface TreeHost {
  step(planned: PlannedStep, frame: Frame): Promise<void>;
  context(planned: PlannedStep, signal: AbortSignal, frame: Frame): HandlerContext;
  stopJobs(scope: FailScope): Promise<void>;
  /** Stops the run, failed, at `stepId` (a block's id). */
  stop(stepId: string): void;
  /** A block failed by its own label's handler: the on-failure hooks hear of it as of a failed step. */
  failed(at: StepInfo, error: Error): void;
  signal(frame: Frame): AbortSignal;
}

function decisionKey(blockId: string, what: BlockEvent['what'], iteration?: number): string {
  return `${blockId}|${what}|${iteration ?? ''}`;
}

/** How many loops each step index sits in. */
function loopDepths(nodes: readonly PlanNode[], depth: number, into: Map<number, number>): Map<number, number> {
  for (const node of nodes) {
    switch (node.kind) {
      case 'step':
        if (depth > 0) into.set(node.index, depth);
        break;
      case 'loop':
        loopDepths(node.body, depth + 1, into);
        break;
      case 'par':
      case 'alt':
      case 'opt':
        for (const b of node.branches) loopDepths(b.body, depth, into);
        break;
      case 'critical':
        loopDepths(node.body.body, depth, into);
        for (const b of node.options) loopDepths(b.body, depth, into);
        break;
      case 'break':
        loopDepths(node.branch.body, depth, into);
        break;
    }
  }
  return into;
}

export class TreeRun {
  private readonly plan: Plan;
  private readonly scope: RunScope;
  private readonly host: TreeHost;
  private readonly depth: Map<number, number>;
  private readonly decisions = new Map<string, BlockEvent>();
  private readonly instances = new Map<string, PlannedStep>();
  private readonly iterated = new Set<number>();
  /** Why a block failed or ended the run, by block id: run-finished's reason when the run failed there. */
  private readonly endings = new Map<string, string>();

  constructor(plan: Plan, scope: RunScope, journaled: readonly BlockEvent[] | undefined, host: TreeHost) {
    this.plan = plan;
    this.scope = scope;
    this.host = host;
    this.depth = plan.tree ? loopDepths(plan.tree, 0, new Map()) : new Map();
    for (const event of journaled ?? []) this.decisions.set(decisionKey(event.blockId, event.what, event.iteration), event);
  }

  /** The id of step `index` in the loop iterations `suffix` names. */
  idOf(index: number, suffix: string): string {
    return stepIdAt(index, suffix, this.depth.get(index) ?? 0);
  }

  /** The step as it runs in the iterations `suffix` names: itself outside loops, else a copy with its iteration id. */
  instance(base: PlannedStep, suffix: string): PlannedStep {
    const id = this.idOf(base.index, suffix);
    if (id === base.id) return base;
    let copy = this.instances.get(id);
    if (!copy) this.instances.set(id, (copy = { ...base, id }));
    this.iterated.add(base.index);
    return copy;
  }

  /** Every step and every iteration instance made so far. */
  allSteps(): PlannedStep[] {
    return [...this.plan.steps, ...this.instances.values()];
  }

  /** A loop body's step that ran as iteration instances: its own id never runs. */
  ranAsIterations(planned: PlannedStep): boolean {
    return planned.id === `s${planned.index}` && this.iterated.has(planned.index);
  }

  /** Why the block `failedId` ended the run (a `break`, a condition or loop handler that failed), if it is a block. */
  reason(failedId: string | undefined): string | undefined {
    return failedId === undefined ? undefined : this.endings.get(failedId);
  }

  async run(root: Frame): Promise<void> {
    const runner = new BlockRunner(this.blockHost(), this.plan.diagram.file);
    await runner.walk(this.plan.tree ?? [], root);
  }

  private blockHost(): BlockHost {
    return {
      step: (index, frame) => {
        const base = this.plan.steps[index];
        return base ? this.host.step(this.instance(base, frame.suffix), frame) : Promise.resolve();
      },
      evaluate: (label, blockId, frame, error) => this.evaluate(label, blockId, frame, error),
      record: (event) => this.record(event),
      decided: (blockId, what, iteration) => this.decisions.get(decisionKey(blockId, what, iteration)),
      stopJobs: (scope) => this.host.stopJobs(scope),
      breakRun: (blockId, reason) => {
        this.endings.set(blockId, `break: ${reason}`);
        this.host.stop(blockId);
      },
      failBlock: (frame, blockId, label, error) => {
        this.record({ blockId, what: 'ended', status: 'failed', error: errorInfo(error) });
        this.endings.set(blockId, error.message);
        this.host.failed(this.labelInfo(label, blockId), error);
        frame.scope.fail(blockId, error);
      },
      now: () => performance.now(),
    };
  }

  private record(event: BlockRecord): void {
    this.scope.emit({ type: 'block', at: this.scope.now().toISOString(), runId: this.scope.runId, ...event });
  }

  /** A block label as handlers and hooks see a step: its block id, handler kind, text and place. */
  private labelInfo(label: PlannedLabel, blockId: string): StepInfo {
    const { line, column } = label.span.start;
    const kind = label.binding?.status === 'bound' ? (label.binding.handler as BlockHandler).kind : 'condition';
    return { id: blockId, kind, text: label.text, file: this.plan.diagram.file, line, column };
  }

  private async evaluate(label: PlannedLabel, blockId: string, frame: Frame, error?: unknown): Promise<unknown> {
    const binding = label.binding;
    if (binding?.status !== 'bound')
      throw new Error(`the label is not bound to exactly one handler (${binding?.status}); run 'seqrun check'`);
    const handler = binding.handler as BlockHandler;
    const info = this.labelInfo(label, blockId);
    const signal = this.host.signal(frame);
    return withTimeout(
      (s) => {
        const ctx: HandlerContext = { ...contextOf(this.scope, info, 1, s), ...(error === undefined ? {} : { error }) };
        const inLoop = frame.iteration === undefined ? ctx : { ...ctx, item: frame.item, iteration: frame.iteration };
        return Promise.resolve(handler.fn(inLoop, ...binding.args));
      },
      handler.options.timeoutMs ?? LABEL_TIMEOUT_MS,
      signal,
    );
  }
}
