// The shape of a diagram's execution, decided statically (SEMANTICS.md sections 3 and 4): which call
// each reply answers, how long each call stays open, which notes are expectations on which call.
import type { Step } from '../ast/types.ts';
import type { StepKind } from './types.ts';

export interface StepShape {
  readonly kind: StepKind;
  readonly answers?: number | null;
  readonly expectationOf?: number;
  readonly joinedAt?: number | null;
  readonly overlaps?: readonly number[];
}

/** A message that is a call: a solid line, or mermaid's `<<->>` (call and reply in one step, dotted or not). */
export function isCallMessage(step: Step): boolean {
  if (step.kind !== 'message') return false;
  return step.line === 'solid' || step.mermaid?.arrow === 'bidirectional-solid' || step.mermaid?.arrow === 'bidirectional-dotted';
}

/** True when the note is about `participant` (one of the participants it is written over or beside). */
const isNoteAbout = (step: Step, participant: string): boolean => step.kind === 'note' && step.participants.includes(participant);

/** Rule 1: the call just before the reply, if it goes from A to B and only notes about B stand between. */
function callJustBefore(steps: readonly Step[], replyIndex: number): number | null {
  const reply = steps[replyIndex];
  if (reply?.kind !== 'message') return null;
  for (let j = replyIndex - 1; j >= 0; j--) {
    const step = steps[j];
    if (step === undefined) return null;
    if (step.kind === 'note') {
      if (isNoteAbout(step, reply.from)) continue;
      return null;
    }
    return isCallMessage(step) && step.from === reply.to && step.to === reply.from ? j : null;
  }
  return null;
}

/**
 * Pairs every reply with the call it answers (rules 1, 2, 3). `explicit`: replies paired by mermaid's
 * activations (`A->>+B` … `B-->>-A`), which take the place of the rules.
 */
function pairReplies(
  steps: readonly Step[],
  modeOf: (index: number) => 'sync' | 'job',
  explicit: ReadonlyMap<number, number>,
): Map<number, number | null> {
  const answers = new Map<number, number | null>();
  const openJobs: number[] = [];
  steps.forEach((step, i) => {
    if (step.kind !== 'message') return;
    if (isCallMessage(step)) {
      if (modeOf(i) === 'job') openJobs.push(i);
      return;
    }
    let answered = explicit.get(i) ?? callJustBefore(steps, i);
    if (answered === null) {
      answered =
        openJobs.find((j) => {
          const call = steps[j];
          return call?.kind === 'message' && call.from === step.to && call.to === step.from;
        }) ?? null;
    }
    const open = answered === null ? -1 : openJobs.indexOf(answered);
    if (open >= 0) openJobs.splice(open, 1);
    answers.set(i, answered);
  });
  return answers;
}

/** The index of the last step at which call `j` is still open (its reply closes it). */
function openUntil(steps: readonly Step[], j: number, reply: number | undefined, mode: 'sync' | 'job'): number {
  if (reply !== undefined) return reply - 1;
  if (mode === 'job') return steps.length - 1;
  const call = steps[j];
  let last = j;
  for (let next = steps[last + 1]; call?.kind === 'message' && next && isNoteAbout(next, call.to); next = steps[last + 1]) last++;
  return last;
}

/** Whether `note` is an expectation on `call`, given that the call is open where the note is written. */
function noteExpects(note: Step, call: Step): boolean {
  if (note.kind !== 'note' || call.kind !== 'message') return false;
  const [first, second] = note.participants;
  if (second === undefined) return call.to === first;
  return (call.from === first && call.to === second) || (call.from === second && call.to === first);
}

/**
 * Computes every step's shape. `modeOf(i)` is the mode of the call at index i (from its handler);
 * `explicit` maps replies to the calls mermaid's activations pair them with.
 */
export function shapeSteps(
  steps: readonly Step[],
  modeOf: (index: number) => 'sync' | 'job',
  explicit: ReadonlyMap<number, number> = new Map(),
): StepShape[] {
  const answers = pairReplies(steps, modeOf, explicit);
  const replyOf = new Map<number, number>();
  for (const [reply, call] of answers) if (call !== null) replyOf.set(call, reply);
  const calls: { index: number; until: number }[] = [];
  steps.forEach((step, i) => {
    if (isCallMessage(step)) calls.push({ index: i, until: openUntil(steps, i, replyOf.get(i), modeOf(i)) });
  });
  // A sweep over the steps keeps the calls open at each step, so notes only look at those.
  let open: { index: number; until: number }[] = [];
  let nextCall = 0;
  const shapes: StepShape[] = steps.map((step, i) => {
    if (open.length > 0) open = open.filter((c) => c.until >= i);
    if (step.kind === 'message') {
      const call = calls[nextCall];
      if (call?.index === i) {
        nextCall++;
        if (call.until > i) open.push(call);
      }
      return isCallMessage(step) ? { kind: 'call' } : { kind: 'reply', answers: answers.get(i) ?? null };
    }
    const latest = open.findLast((c) => noteExpects(step, steps[c.index] as Step));
    return latest ? { kind: 'expect', expectationOf: latest.index } : { kind: 'note' };
  });
  for (const call of calls) {
    if (modeOf(call.index) !== 'job') continue;
    const overlaps: number[] = [];
    for (let k = call.index + 1; k <= call.until; k++) if (shapes[k]?.expectationOf !== call.index) overlaps.push(k);
    shapes[call.index] = { kind: 'call', joinedAt: replyOf.get(call.index) ?? null, overlaps };
  }
  return shapes;
}
