// Which step of the new version is which step of the old: renamed participants first, then the longest
// common subsequence of normalised step signatures, then moves (the same step elsewhere) and re-wordings
// (a different text between the same neighbours, with the same kind and participants).
import type { Diagram, Step } from '../ast/types.ts';
import { isCallMessage } from '../bind/structure.ts';

export interface Rename {
  readonly was: string;
  readonly now: string;
}

export interface StepPair {
  readonly before: number;
  readonly after: number;
  readonly how: 'same' | 'moved' | 'reworded';
}

export interface Alignment {
  /** Participant ids renamed from BASE to the working tree, and participants whose drawn label changed. */
  readonly renames: readonly Rename[];
  readonly labels: readonly Rename[];
  readonly pairs: readonly StepPair[];
  readonly removed: readonly number[];
  readonly added: readonly number[];
}

/** Text as it binds: surrounding space trimmed (inner spacing is matched by the expressions, so it counts). */
export const normalText = (text: string): string => text.trim();

type Rename1 = (id: string) => string;

/** The kind and participants of a step: what a re-wording keeps. */
function shapeOf(step: Step, name: Rename1): string {
  if (step.kind === 'note') return `note\u0000${step.participants.map(name).join(',')}`;
  return `${isCallMessage(step) ? 'call' : 'reply'}\u0000${name(step.from)}\u0000${name(step.to)}`;
}

export const signatureOf = (step: Step, name: Rename1 = (id) => id): string => `${shapeOf(step, name)}\u0000${normalText(step.text)}`;

const involves = (step: Step, id: string): boolean =>
  step.kind === 'note' ? step.participants.includes(id) : step.from === id || step.to === id;

/** How many steps about `was` in `before` read the same as steps about `now` in `after`, with the name blanked. */
function renameScore(before: Diagram, after: Diagram, was: string, now: string): number {
  const counts = new Map<string, number>();
  for (const step of before.steps) {
    if (!involves(step, was)) continue;
    const key = signatureOf(step, (id) => (id === was ? '\u0001' : id));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let score = 0;
  for (const step of after.steps) {
    if (!involves(step, now)) continue;
    const key = signatureOf(step, (id) => (id === now ? '\u0001' : id));
    const left = counts.get(key) ?? 0;
    if (left > 0) {
      score++;
      counts.set(key, left - 1);
    }
  }
  return score;
}

/** Participants that only one side has, paired when most of their steps read the same under the new name. */
export function findRenames(before: Diagram, after: Diagram): Rename[] {
  const afterIds = new Set(after.participants.map((p) => p.id));
  const beforeIds = new Set(before.participants.map((p) => p.id));
  const gone = before.participants.filter((p) => !afterIds.has(p.id)).map((p) => p.id);
  const fresh = after.participants.filter((p) => !beforeIds.has(p.id)).map((p) => p.id);
  const candidates = gone.flatMap((was) => fresh.map((now) => ({ was, now, score: renameScore(before, after, was, now) })));
  candidates.sort((a, b) => b.score - a.score);
  const renames: Rename[] = [];
  const used = new Set<string>();
  for (const { was, now, score } of candidates) {
    if (score === 0 || used.has(was) || used.has(`\u0001${now}`)) continue;
    const steps = Math.min(before.steps.filter((s) => involves(s, was)).length, after.steps.filter((s) => involves(s, now)).length);
    if (score * 2 < steps) continue;
    renames.push({ was, now });
    used.add(was).add(`\u0001${now}`);
  }
  return renames;
}

/** Index pairs of a longest common subsequence of `a` and `b` (small integers), in order. */
export function lcs(a: readonly number[], b: readonly number[]): [number, number][] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  // lengths[i][j]: LCS length of a[start+i..endA) and b[start+j..endB), in one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lengths[i * (m + 1) + j] =
        a[start + i] === b[start + j]
          ? (lengths[(i + 1) * (m + 1) + j + 1] ?? 0) + 1
          : Math.max(lengths[(i + 1) * (m + 1) + j] ?? 0, lengths[i * (m + 1) + j + 1] ?? 0);
  const pairs: [number, number][] = [];
  for (let k = 0; k < start; k++) pairs.push([k, k]);
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[start + i] === b[start + j]) {
      pairs.push([start + i, start + j]);
      i++;
      j++;
    } else if ((lengths[(i + 1) * (m + 1) + j] ?? 0) >= (lengths[i * (m + 1) + j + 1] ?? 0)) i++;
    else j++;
  }
  for (let k = 0; k < a.length - endA; k++) pairs.push([endA + k, endB + k]);
  return pairs;
}

function interned(): (key: string) => number {
  const ids = new Map<string, number>();
  return (key) => {
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    return id;
  };
}

/** Pairs left over after the common subsequence: the same signature elsewhere (moved), then re-worded within a gap. */
function pairLeftovers(before: readonly Step[], after: readonly Step[], common: readonly [number, number][], name: Rename1): StepPair[] {
  const pairs: StepPair[] = [];
  const takenBefore = new Set(common.map(([i]) => i));
  const takenAfter = new Set(common.map(([, j]) => j));
  const freeAfter = (j: number): boolean => !takenAfter.has(j);
  after.forEach((step, j) => {
    if (!freeAfter(j)) return;
    const signature = signatureOf(step, (id) => id);
    const i = before.findIndex((s, k) => !takenBefore.has(k) && signatureOf(s, name) === signature);
    if (i < 0) return;
    pairs.push({ before: i, after: j, how: 'moved' });
    takenBefore.add(i);
    takenAfter.add(j);
  });
  // A gap: the steps between two consecutive common pairs, on each side.
  const anchors: [number, number][] = [[-1, -1], ...common, [before.length, after.length]];
  for (let g = 0; g + 1 < anchors.length; g++) {
    const [i0, j0] = anchors[g] as [number, number];
    const [i1, j1] = anchors[g + 1] as [number, number];
    for (let j = j0 + 1; j < j1; j++) {
      if (takenAfter.has(j)) continue;
      const shape = shapeOf(after[j] as Step, (id) => id);
      for (let i = i0 + 1; i < i1; i++) {
        if (takenBefore.has(i) || shapeOf(before[i] as Step, name) !== shape) continue;
        pairs.push({ before: i, after: j, how: 'reworded' });
        takenBefore.add(i);
        takenAfter.add(j);
        break;
      }
    }
  }
  return pairs;
}

/** Aligns the steps of two versions of a diagram. Pure. */
export function align(before: Diagram, after: Diagram): Alignment {
  const renames = findRenames(before, after);
  const renamed = new Map(renames.map((r) => [r.was, r.now]));
  const name: Rename1 = (id) => renamed.get(id) ?? id;
  const afterLabels = new Map(after.participants.map((p) => [p.id, p.label]));
  const labels = before.participants.flatMap((p) => {
    const label = afterLabels.get(name(p.id));
    return label !== undefined && label !== p.label && !renamed.has(p.id) ? [{ was: p.label, now: label }] : [];
  });
  const intern = interned();
  const common = lcs(
    before.steps.map((s) => intern(signatureOf(s, name))),
    after.steps.map((s) => intern(signatureOf(s))),
  );
  const pairs: StepPair[] = [
    ...common.map(([i, j]) => ({ before: i, after: j, how: 'same' as const })),
    ...pairLeftovers(before.steps, after.steps, common, name),
  ];
  pairs.sort((x, y) => x.after - y.after);
  const pairedBefore = new Set(pairs.map((p) => p.before));
  const pairedAfter = new Set(pairs.map((p) => p.after));
  return {
    renames,
    labels,
    pairs,
    removed: before.steps.flatMap((_, i) => (pairedBefore.has(i) ? [] : [i])),
    added: after.steps.flatMap((_, j) => (pairedAfter.has(j) ? [] : [j])),
  };
}
