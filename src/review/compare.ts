// Two plans of one diagram compared in plan terms: which steps came, went, moved or were re-worded, and
// for the steps on both sides, what changed about how they bind and run. Pure.
import type { Plan, PlannedStep } from '../bind/types.ts';
import { align, type Alignment } from './align.ts';
import { compareBlocks } from './blocks.ts';
import { bindingWords, handlerAt, type Identify, optionWords, stepRef, stepWhat } from './describe.ts';
import type { Change, StepRef } from './types.ts';

/** One version of a diagram: its plan, and how its handlers are identified. */
export interface Side {
  readonly plan: Plan;
  readonly identify: Identify;
}

interface Context {
  readonly before: Side;
  readonly after: Side;
  /** Step index at BASE → step index in the working tree, for the steps on both sides. */
  readonly forward: ReadonlyMap<number, number>;
  /** Working-tree indexes of the steps that moved. */
  readonly moved: ReadonlySet<number>;
}

const refAt = (side: Side, index: number | null | undefined): StepRef | null => {
  const planned = index === null || index === undefined ? undefined : side.plan.steps[index];
  return planned ? stepRef(planned) : null;
};

function bindingChanges(ctx: Context, was: PlannedStep, now: PlannedStep): Change[] {
  const before = stepRef(was);
  const after = stepRef(now);
  const a = was.binding;
  const b = now.binding;
  if (a.status === 'bound' && b.status === 'bound') {
    const x = ctx.before.identify(a.handler);
    const y = ctx.after.identify(b.handler);
    if (x.kind !== y.kind || x.expression !== y.expression || x.file !== y.file)
      return [{ kind: 'rebound', before, after, was: bindingWords(a, ctx.before.identify), now: bindingWords(b, ctx.after.identify) }];
    // A call that became a job (or the reverse) has another handler by nature: `call-became-job` says so.
    if (was.mode !== now.mode) return [];
    if (x.hash !== y.hash)
      return [{ kind: 'handler-changed', before, after, was: `${handlerAt(x)} (code ${x.hash})`, now: `${handlerAt(y)} (code ${y.hash})` }];
    if (x.line !== y.line) return [{ kind: 'handler-moved', before, after, was: handlerAt(x), now: handlerAt(y) }];
    return [];
  }
  const wasWords = bindingWords(a, ctx.before.identify);
  const nowWords = bindingWords(b, ctx.after.identify);
  return wasWords === nowWords ? [] : [{ kind: 'rebound', before, after, was: wasWords, now: nowWords }];
}

const joinWords = (ref: StepRef | null): string => (ref ? `line ${ref.line}: ${ref.label}` : 'the end of the diagram');

/** A job's join point and the steps that run while it is open, on both sides. */
function jobChanges(ctx: Context, was: PlannedStep, now: PlannedStep): Change[] {
  const before = stepRef(was);
  const after = stepRef(now);
  const changes: Change[] = [];
  const wasJob = was.kind === 'call' && was.mode === 'job';
  const nowJob = now.kind === 'call' && now.mode === 'job';
  if (was.kind === 'call' && now.kind === 'call' && wasJob !== nowJob)
    changes.push({ kind: nowJob ? 'call-became-job' : 'job-became-call', before, after, was: stepWhat(was), now: stepWhat(now) });
  if (wasJob && nowJob) {
    const mapped = was.joinedAt === null || was.joinedAt === undefined ? null : (ctx.forward.get(was.joinedAt) ?? -1);
    const joinedAt = now.joinedAt ?? null;
    if (mapped !== joinedAt || (joinedAt !== null && ctx.moved.has(joinedAt)))
      changes.push({
        kind: 'join-moved',
        before,
        after,
        was: joinWords(refAt(ctx.before, was.joinedAt)),
        now: joinWords(refAt(ctx.after, now.joinedAt)),
      });
  }
  const wasAlong = new Set((wasJob ? (was.overlaps ?? []) : []).flatMap((i) => (ctx.forward.has(i) ? [ctx.forward.get(i) as number] : [])));
  const nowAlong = new Set(nowJob ? (now.overlaps ?? []) : []);
  const gained = [...nowAlong].filter((i) => !wasAlong.has(i)).flatMap((i) => refAt(ctx.after, i) ?? []);
  const lost = [...wasAlong].filter((i) => !nowAlong.has(i)).flatMap((i) => refAt(ctx.after, i) ?? []);
  if (gained.length > 0) changes.push({ kind: 'concurrency-added', before, after, steps: gained });
  if (lost.length > 0) changes.push({ kind: 'concurrency-removed', before, after, steps: lost });
  return changes;
}

function pairChanges(ctx: Context, i: number, j: number, how: 'same' | 'moved' | 'reworded'): Change[] {
  const was = ctx.before.plan.steps[i] as PlannedStep;
  const now = ctx.after.plan.steps[j] as PlannedStep;
  const before = stepRef(was);
  const after = stepRef(now);
  const changes: Change[] = [];
  if (how === 'moved') changes.push({ kind: 'step-moved', before, after, was: `line ${before.line}`, now: `line ${after.line}` });
  if (how === 'reworded') changes.push({ kind: 'step-reworded', before, after, was: was.step.text, now: now.step.text });
  if (was.kind !== now.kind && (was.kind === 'expect' || now.kind === 'expect')) {
    const expected = now.kind === 'expect';
    const of = refAt(ctx.after, now.expectationOf);
    changes.push({
      kind: expected ? 'expectation-added' : 'expectation-dropped',
      before,
      after,
      was: stepWhat(was),
      now: expected && of ? `expectation on line ${of.line}: ${of.label}` : stepWhat(now),
    });
  }
  changes.push(...bindingChanges(ctx, was, now), ...jobChanges(ctx, was, now));
  const wasOptions = optionWords(was);
  const nowOptions = optionWords(now);
  if (wasOptions !== nowOptions) changes.push({ kind: 'options-changed', before, after, was: wasOptions, now: nowOptions });
  return changes;
}

function oneSided(side: Side, index: number, present: 'added' | 'removed'): Change {
  const planned = side.plan.steps[index] as PlannedStep;
  const ref = stepRef(planned);
  const expectation = planned.kind === 'expect';
  const words = `${stepWhat(planned)}, bound to ${bindingWords(planned.binding, side.identify)}`;
  if (present === 'added') return { kind: expectation ? 'expectation-added' : 'step-added', before: null, after: ref, now: words };
  return { kind: expectation ? 'expectation-dropped' : 'step-removed', before: ref, after: null, was: words };
}

/** The changes from `before` to `after`, in the order of the working tree's lines (removed steps at their old place). */
export function comparePlans(before: Side, after: Side, alignment: Alignment = align(before.plan.diagram, after.plan.diagram)): Change[] {
  const forward = new Map(alignment.pairs.map((p) => [p.before, p.after]));
  const moved = new Set(alignment.pairs.flatMap((p) => (p.how === 'moved' ? [p.after] : [])));
  const ctx: Context = { before, after, forward, moved };
  const renames: Change[] = [...alignment.renames, ...alignment.labels].map((r) => ({
    kind: 'participant-renamed',
    before: null,
    after: null,
    was: r.was,
    now: r.now,
  }));
  const steps = [
    ...alignment.pairs.map((p) => ({ at: p.after, changes: pairChanges(ctx, p.before, p.after, p.how) })),
    ...alignment.added.map((j) => ({ at: j, changes: [oneSided(after, j, 'added')] })),
    // A removed step sorts after the step of the working tree that followed the common step before it.
    ...alignment.removed.map((i) => ({ at: removedPlace(alignment, i), changes: [oneSided(before, i, 'removed')] })),
  ];
  steps.sort((x, y) => x.at - y.at);
  return [...renames, ...steps.flatMap((s) => s.changes), ...compareBlocks(before, after, forward)];
}

/** Where a removed step shows among the working tree's steps: just after the paired step before it. */
function removedPlace(alignment: Alignment, index: number): number {
  let place = -0.5;
  for (const p of alignment.pairs) if (p.before < index && p.after + 0.5 > place) place = p.after + 0.5;
  return place;
}
