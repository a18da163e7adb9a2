import { describe, expect, it } from 'vitest';
import { defineSteps } from '../bind/define.ts';
import { bind } from '../bind/plan.ts';
import { createRegistry } from '../bind/registry.ts';
import { parseText } from '../syntax/files.ts';
import { blockInstanceId, iterationsOf, loopsAround, stepInstanceId } from './stepfunctions-message.ts';

const steps = defineSteps((s) => {
  s.call('Notify {word}', () => undefined);
  s.loop('for each app in {word}', (_ctx, list) => String(list).split(','));
  s.loop('while more', () => () => false);
});

function planOf(text: string) {
  const [parsed] = parseText(text, { file: '/p/loops.mmd' }).diagrams;
  if (!parsed) throw new Error('no diagram');
  return bind(parsed, createRegistry({ modules: [steps] }).registry);
}

describe("a worker message's step instance", () => {
  const plan = planOf(
    [
      'sequenceDiagram',
      'CI->>Slack: Notify start',
      'loop for each app in web,api',
      'CI->>Slack: Notify app',
      'loop while more',
      'CI->>Slack: Notify inner',
      'end',
      'end',
    ].join('\n'),
  );

  it('names the loops around a step, outermost first', () => {
    expect(loopsAround(plan.tree ?? [], 0)).toEqual([]);
    expect(loopsAround(plan.tree ?? [], 1)).toEqual(['b0']);
    expect(loopsAround(plan.tree ?? [], 2)).toEqual(['b0', 'b1']);
  });

  it("takes a Map iteration's index and a guard cycle's iteration from the state input", () => {
    const mapIteration = { item: 'api', index: 1, outer: { vars: {}, loop_b0: { items: ['web', 'api'] } } };
    expect(stepInstanceId(plan, 0, {})).toBe('s0');
    expect(stepInstanceId(plan, 1, mapIteration)).toBe('s1#2');
    const inGuard = { ...mapIteration, loop_b1: { continue: true, iteration: 3 } };
    expect(iterationsOf(['b0', 'b1'], inGuard)).toEqual([2, 3]);
    expect(stepInstanceId(plan, 2, inGuard)).toBe('s2#2#3');
    // An expectation's call outside the inner loop: its id keeps only the iterations around it.
    expect(stepInstanceId(plan, 1, inGuard, 2)).toBe('s1#2');
  });

  it('numbers a Map inside a Map from each iteration input and the outer one it carries: s2#1#2, as the local engine does', () => {
    const maps = planOf(
      ['sequenceDiagram', 'loop for each app in web,api', 'loop for each app in x,y', 'CI->>Slack: Notify app', 'end', 'end'].join('\n'),
    );
    const outer = { item: 'web', index: 0, outer: { vars: {}, loop_b0: { items: ['web', 'api'] } } };
    const inner = { item: 'y', index: 1, outer: { ...outer, loop_b1: { items: ['x', 'y'] } } };
    expect(stepInstanceId(maps, 0, inner)).toBe('s0#1#2');
    // The inner loop's handler is asked once per outer iteration: its instance names it.
    expect(blockInstanceId(maps, 'b1', outer)).toBe('b1#1');
    expect(blockInstanceId(maps, 'b0', {})).toBe('b0');
  });
});
