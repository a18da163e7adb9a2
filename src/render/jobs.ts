// Where each job's lifetime ends in the drawing: the reply that joins it (SEMANTICS §3), or the end.
// The journal says which calls were jobs; the pairing rule is static, so it is recomputed here rather
// than importing the binder.
import type { MessageStatement, Step } from '../ast/types.ts';

function isCall(step: Step): step is MessageStatement {
  return step.kind === 'message' && step.line === 'solid';
}

function isReply(step: Step): step is MessageStatement {
  return step.kind === 'message' && step.line === 'dashed';
}

/** The call a reply answers by rule 1: the call just before it, with only notes about its sender between. */
function callJustBefore(steps: readonly Step[], replyIndex: number, reply: MessageStatement): number | null {
  for (let i = replyIndex - 1; i >= 0; i--) {
    const step = steps[i];
    if (!step) return null;
    if (step.kind === 'note' && step.participants.includes(reply.from)) continue;
    return isCall(step) && step.from === reply.to && step.to === reply.from ? i : null;
  }
  return null;
}

/**
 * For each job call (by index into `steps`), the index of the reply that joins it, or null when
 * nothing does (the job is joined at the end of the diagram).
 */
export function jobJoins(steps: readonly Step[], jobIndexes: ReadonlySet<number>): Map<number, number | null> {
  const joins = new Map<number, number | null>();
  const open: number[] = [];
  steps.forEach((step, index) => {
    if (jobIndexes.has(index)) {
      joins.set(index, null);
      open.push(index);
      return;
    }
    if (!isReply(step)) return;
    const direct = callJustBefore(steps, index, step);
    const answered =
      direct ??
      open.find((j) => {
        const call = steps[j];
        return call !== undefined && isCall(call) && call.from === step.to && call.to === step.from;
      });
    if (answered === undefined || !jobIndexes.has(answered)) return;
    joins.set(answered, index);
    open.splice(open.indexOf(answered), 1);
  });
  return joins;
}
