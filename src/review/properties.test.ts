// Properties of the comparison on generated diagrams: a diagram against itself or its re-format has no
// change, a renamed participant is exactly one change, and an edit is found wherever it is made.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { bind, createRegistry, defineSteps } from '../bind/index.ts';
import type { Handler } from '../bind/types.ts';
import { parseText } from '../syntax/index.ts';
import { comparePlans, type Side } from './compare.ts';

const registry = createRegistry({
  modules: [
    defineSteps((s) => {
      s.call(/^call (\d+)$/, () => undefined);
      s.job(/^job (\d+)$/, { start: async () => 'h', wait: async () => 'done' });
      s.reply(/^reply (\d+)$/, () => undefined);
      s.note(/^note (\d+)$/, () => undefined);
      s.expect(/^check (\d+)$/, () => undefined);
    }),
  ],
}).registry;
const identify = (h: Handler) => ({ kind: h.kind, expression: String(h.expression), file: 'steps.ts', line: 1, hash: 'h' });

const PARTICIPANTS = ['Pay CI', 'AWS', 'GitHub'];
const step = fc.oneof(
  fc
    .tuple(fc.constantFrom(...PARTICIPANTS), fc.constantFrom(...PARTICIPANTS), fc.constantFrom('call', 'job'), fc.nat(5))
    .map(([a, b, k, n]) => ({ text: `${a}->${b}: ${k} ${n}` })),
  fc
    .tuple(fc.constantFrom(...PARTICIPANTS), fc.constantFrom(...PARTICIPANTS), fc.nat(5))
    .map(([a, b, n]) => ({ text: `${a}-->${b}: reply ${n}` })),
  fc
    .tuple(fc.constantFrom('left of', 'right of', 'over'), fc.constantFrom(...PARTICIPANTS), fc.constantFrom('note', 'check'), fc.nat(5))
    .map(([w, p, k, n]) => ({ text: `Note ${w} ${p}: ${k} ${n}` })),
);
const diagramText = fc.array(step, { minLength: 1, maxLength: 25 }).map((steps) => steps.map((s) => s.text).join('\n') + '\n');

function side(text: string): Side {
  const [diagram] = parseText(text, { file: 'generated.seq' }).diagrams;
  if (!diagram) throw new Error(`no diagram in ${text}`);
  return { plan: bind(diagram, registry), identify };
}

/** The same diagram written differently: spaces around arrows and colons, comments and blank lines. */
const reformat = (text: string): string =>
  text
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line.replace(/(-->|->)/, ' $1 ').replace(':', ' :  ')}  \n# comment`))
    .join('\n');

describe('comparePlans on generated diagrams', () => {
  test('a diagram against itself and against its re-format has no change', () => {
    fc.assert(
      fc.property(diagramText, (text) => {
        expect(comparePlans(side(text), side(text))).toEqual([]);
        expect(comparePlans(side(text), side(reformat(text)))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  test('renaming a participant throughout is one rename and nothing else', () => {
    fc.assert(
      fc.property(diagramText, fc.constantFrom(...PARTICIPANTS), (text, who) => {
        fc.pre(text.includes(who));
        const changes = comparePlans(side(text), side(text.replaceAll(who, 'Concourse')));
        expect(changes.map((c) => [c.kind, c.was, c.now])).toEqual([['participant-renamed', who, 'Concourse']]);
      }),
      { numRuns: 150 },
    );
  });

  test('a step removed anywhere is found as the one removed step, never as moves or additions', () => {
    fc.assert(
      fc.property(diagramText, fc.nat(), (text, at) => {
        const lines = text.trimEnd().split('\n');
        const index = at % lines.length;
        const removed = lines.filter((_, i) => i !== index).join('\n') + '\n';
        fc.pre(removed.trim() !== '');
        const changes = comparePlans(side(text), side(removed));
        // The new version is a subsequence of the old: all of it pairs and exactly one old step is left,
        // the removed one or an identical copy of it.
        const gone = changes.filter((c) => c.after === null);
        // (A note's side is drawing only: `Note left of A: x` and `Note over A: x` are the same step.)
        const same = (label = ''): string => label.replace(/^Note (left of|right of|over) /, 'Note ');
        expect(gone.map((c) => same(c.before?.label))).toEqual([same(lines[index])]);
        expect(changes.filter((c) => c.kind === 'step-added' || c.kind === 'step-moved')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
