// One line per mermaid block decision or end (a `block` event), for the plain reporter: which branch
// an alt took, a loop's items and iterations, a critical block's compensation, a par's branch times.
import type { BlockEvent } from '../run/events.ts';
import { formatDuration } from './duration.ts';

export function blockLine(event: BlockEvent): string | null {
  const id = `block ${event.blockId}`;
  switch (event.what) {
    case 'branch':
      return event.branch === -1 ? `${id}: no branch taken` : `${id}: branch ${(event.branch ?? 0) + 1} taken`;
    case 'items':
      return `${id}: ${event.items?.length ?? 0} items to iterate over`;
    case 'guard':
      return `${id}: guard ${event.holds ? 'holds' : 'ends the loop'} before iteration ${event.iteration ?? '?'}`;
    case 'compensation':
      return event.branch === -1
        ? `${id}: no option accepts the error (${event.error?.message ?? 'failed'})`
        : `${id}: compensating with option ${(event.branch ?? 0) + 1} for: ${event.error?.message ?? 'failed'}`;
    case 'ended': {
      const parts = [
        event.iterations === undefined ? '' : `${event.iterations} iterations`,
        event.branchMs ? `branches ${event.branchMs.map((ms) => formatDuration(ms)).join(', ')}` : '',
        event.error ? event.error.message : '',
      ].filter(Boolean);
      return `${id} ${event.status ?? 'ended'}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
    }
  }
}
