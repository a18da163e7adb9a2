// A run drawn onto a mermaid diagram's blocks (SEMANTICS.md 7): the branch an alt/opt took and those
// it skipped, a loop's iteration count, a par's branch times, a critical block's compensation. Read
// from the journal's `block` events; a loop's body step is drawn with what its iterations did.
import type { BlockStatement } from '../ast/types.ts';
import { baseId, type BlockEvent } from '../run/events.ts';
import { formatDuration } from '../report/duration.ts';
import type { RunView, StepView } from './run-view.ts';

function eventsOf(blocks: readonly BlockEvent[], id: string): BlockEvent[] {
  return blocks.filter((e) => baseId(e.blockId) === id);
}

function loopLabel(label: string, events: readonly BlockEvent[]): string {
  const ended = events.filter((e) => e.what === 'ended');
  const iterations = ended.reduce((n, e) => n + (e.iterations ?? 0), 0);
  if (ended.some((e) => e.status === 'failed')) return `${label} (failed after ${iterations} iterations)`;
  // No events: a journal from before blocks were journaled, or a loop the run never reached.
  if (events.length === 0) return label;
  if (ended.length === 0) return `${label} (stopped)`;
  return `${label} (${iterations} ${iterations === 1 ? 'iteration' : 'iterations'})`;
}

/** The sections' labels with the run: taken or skipped, timed, compensating. */
function sectionLabels(block: BlockStatement, events: readonly BlockEvent[]): string[] {
  const labels = block.sections.map((s) => s.label);
  switch (block.block) {
    case 'loop':
      return labels.map((l, i) => (i === 0 ? loopLabel(l, events) : l));
    case 'alt':
    case 'opt':
    case 'break': {
      const taken = new Set(events.filter((e) => e.what === 'branch').map((e) => e.branch));
      if (taken.size === 0) return labels;
      return labels.map((l, i) => `${l}${l === '' ? '' : ' '}(${taken.has(i) ? 'taken' : 'skipped'})`);
    }
    case 'par':
    case 'par_over': {
      const ended = events.find((e) => e.what === 'ended' && e.branchMs);
      return labels.map((l, i) => {
        const ms = ended?.branchMs?.[i];
        return ms === undefined ? l : `${l} (${formatDuration(ms)})`;
      });
    }
    case 'critical': {
      const chosen = events.find((e) => e.what === 'compensation');
      if (!chosen)
        return events.some((e) => e.what === 'ended' && e.status === 'passed')
          ? labels.map((l, i) => (i === 0 ? `${l} (passed)` : `${l} (skipped)`))
          : labels;
      return labels.map((l, i) => {
        if (i === 0) return `${l} (failed: ${chosen.error?.message ?? 'error'})`;
        return `${l}${l === '' ? '' : ' '}(${i - 1 === chosen.branch ? 'compensation ran' : 'skipped'})`;
      });
    }
    case 'rect':
      return labels;
  }
}

/** The block with its labels marked by the run; `id` its plan id (`b0`, `b1`, … in document order, rect not counted). */
export function markBlock(block: BlockStatement, id: string, run: RunView): BlockStatement {
  const labels = sectionLabels(block, eventsOf(run.blocks, id));
  return { ...block, sections: block.sections.map((s, i) => ({ ...s, label: labels[i] ?? s.label })) };
}

const WORST: readonly StepView['status'][] = ['failed', 'cancelled', 'running', 'passed', 'skipped', 'not-run'];

/** A loop body step's view from its iterations (`s4#1`, `s4#2`, …): the worst status, the summed time. */
export function iterationsView(run: RunView, index: number): StepView | null {
  const prefix = `s${index}#`;
  const views = [...run.steps.values()].filter((v) => v.id.startsWith(prefix));
  const [first] = views;
  if (!first) return null;
  const status = WORST.find((s) => views.some((v) => v.status === s)) ?? first.status;
  const durationMs = views.reduce((sum, v) => sum + (v.durationMs ?? 0), 0);
  return { ...first, id: `s${index}`, status, durationMs, attempts: Math.max(...views.map((v) => v.attempts)) };
}
