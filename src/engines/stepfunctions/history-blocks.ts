// The mermaid blocks' side of reading an execution's history (history.ts): the answers of block label
// Tasks (a loop's items or guard, conditions) become the `block` decisions the local engine journals,
// and the containers' exits (a par's Parallel, a loop's Map or guard cycle, a critical body, a break's
// Fail) become their `ended` events.
import type { PlannedBlock } from '../../bind/types.ts';
import type { BlockEvent } from '../../run/events.ts';
import { errorOf, parse, type HistoryEventShape } from './history-shape.ts';
import type { StateRole } from './roles.ts';

export type BlockRecord = Omit<BlockEvent, 'type' | 'at' | 'runId'>;

export interface BlockHost {
  block(fields: BlockRecord, at: number): void;
  /** A block failed the run (its label's handler failed), with why. */
  failed(id: string, reason: string): void;
  /** A critical block's option runs: what failed inside its body no longer fails the run. */
  forgive(blockId: string): void;
}

/** A guard loop under way: the iterations it is in (`base`), how many answers, the last one. */
interface Guard {
  readonly base: string;
  n: number;
  holds: boolean;
}

/** A Parallel or Map as it ran: its iterations, when it was entered, its branches' last event times. */
export interface ContainerRun {
  readonly suffix: string;
  readonly at: number;
  readonly last: readonly number[];
  readonly iterations: number;
}

type ErrorInfo = { message: string; name: string };

export class BlockReader {
  private readonly host: BlockHost;
  private readonly guards = new Map<string, Guard>();
  /** Critical blocks whose body failed (by id with iterations): the error their options are asked about. */
  private readonly compensating = new Map<string, ErrorInfo>();
  private broke: { id: string; reason: string } | null = null;

  constructor(host: BlockHost) {
    this.host = host;
  }

  /** The guard loop `blockId` is running, if any. */
  guard(blockId: string): Guard | undefined {
    return this.guards.get(blockId);
  }

  /** The last break taken: a run failed by `seqrun.Break` ends there. */
  get lastBreak(): { id: string; reason: string } | null {
    return this.broke;
  }

  /** A label Task's event (`suffix`: the iterations it runs in). */
  label(event: HistoryEventShape, type: string, role: Extract<StateRole, { kind: 'label' }>, suffix: string, at: number): void {
    const { block, branch } = role;
    const blockId = `${block.id}${suffix}`;
    if (type === 'TaskFailed' || type === 'TaskTimedOut') {
      const error = errorOf(event.taskFailedEventDetails ?? event.taskTimedOutEventDetails);
      const id = `${block.id}${block.kind === 'loop' ? (this.guards.get(block.id)?.base ?? suffix) : suffix}`;
      this.host.block({ blockId: id, what: 'ended', status: 'failed', error }, at);
      this.host.failed(id, error.message);
      return;
    }
    if (type !== 'TaskSucceeded') return;
    const answer = parse(event.taskSucceededEventDetails?.output);
    if (block.kind === 'loop' && Array.isArray(answer['items']))
      return this.host.block({ blockId, what: 'items', items: answer['items'] }, at);
    if (block.kind === 'loop' && typeof answer['continue'] === 'boolean') return this.onGuard(block, answer['continue'], suffix, at);
    if (typeof answer['holds'] === 'boolean') this.onCondition(block, branch, answer['holds'], blockId, at);
  }

  private onGuard(block: PlannedBlock, holds: boolean, suffix: string, at: number): void {
    let guard = this.guards.get(block.id);
    // The first answer (outside the cycle) starts the loop; later ones come from inside it.
    if (!guard || !guard.holds) this.guards.set(block.id, (guard = { base: suffix, n: 0, holds: true }));
    guard.n += 1;
    guard.holds = holds;
    this.host.block({ blockId: `${block.id}${guard.base}`, what: 'guard', iteration: guard.n, holds }, at);
  }

  /** The branch an alt/opt/break takes, or a critical block's compensation, once the conditions asked so far decide it. */
  private onCondition(block: PlannedBlock, branch: number, holds: boolean, blockId: string, at: number): void {
    if (block.kind === 'break') return this.host.block({ blockId, what: 'branch', branch: holds ? 0 : -1 }, at);
    const branches = block.kind === 'critical' ? block.options : block.kind === 'alt' || block.kind === 'opt' ? block.branches : null;
    if (!branches) return;
    const next = branches[branch + 1];
    // Not holding: the next branch decides, unless it is a bare else (taken) or there is none.
    const chosen = holds ? branch : next === undefined ? -1 : next.label.binding === null ? branch + 1 : null;
    if (chosen === null) return;
    if (block.kind === 'critical') return this.compensate(blockId, chosen, at);
    this.host.block({ blockId, what: 'branch', branch: chosen }, at);
  }

  private compensate(blockId: string, branch: number, at: number): void {
    const error = this.compensating.get(blockId) ?? { message: 'failed', name: 'Error' };
    this.compensating.delete(blockId);
    this.host.block({ blockId, what: 'compensation', branch, error }, at);
    if (branch >= 0) this.host.forgive(blockId);
  }

  /** A container exited (or a break's Fail entered); `failed`: it exited by a caught failure. */
  exited(event: HistoryEventShape, role: StateRole, container: ContainerRun | null, suffix: string, failed: boolean, at: number): void {
    if (!('block' in role)) return;
    const blockId = `${role.block.id}${container?.suffix ?? suffix}`;
    const since = container?.at ?? at;
    switch (role.kind) {
      case 'par': {
        const branchMs = role.starts.map((_, i) => Math.max(0, (container?.last[i] ?? at) - since));
        return this.host.block({ blockId, what: 'ended', status: 'passed', branchMs, durationMs: Math.max(0, at - since) }, at);
      }
      case 'map':
        return this.host.block({ blockId, what: 'ended', status: 'passed', iterations: container?.iterations ?? 0 }, at);
      case 'guard-cycle': {
        const guard = this.guards.get(role.block.id);
        const iterations = guard ? guard.n - (guard.holds ? 0 : 1) : 0;
        if (guard) guard.holds = false;
        return this.host.block({ blockId, what: 'ended', status: 'passed', iterations }, at);
      }
      case 'critical':
        return this.criticalExited(role.block, blockId, event, failed, at);
      case 'break': {
        const id = `${role.block.id}${suffix}`;
        this.broke = { id, reason: `break: ${role.block.kind === 'break' ? role.block.branch.label.text : ''}` };
        return this.host.block({ blockId: id, what: 'ended', status: 'broke' }, at);
      }
      default:
        return;
    }
  }

  private criticalExited(block: PlannedBlock, blockId: string, event: HistoryEventShape, failed: boolean, at: number): void {
    if (!failed) return this.host.block({ blockId, what: 'ended', status: 'passed' }, at);
    if (block.kind !== 'critical') return;
    const caught = parse(event.stateExitedEventDetails?.output)['error'] as { Error?: string; Cause?: string } | undefined;
    this.compensating.set(
      blockId,
      errorOf({ ...(caught?.Error ? { error: caught.Error } : {}), ...(caught?.Cause ? { cause: caught.Cause } : {}) }),
    );
    const [first] = block.options;
    // Options with no condition accept any error: no handler is asked.
    if (first === undefined) this.compensate(blockId, -1, at);
    else if (first.label.binding === null) this.compensate(blockId, 0, at);
  }
}
