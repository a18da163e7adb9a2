import { describe, expect, it } from 'vitest';
import { FailScope, stepIdAt } from './fail-scope.ts';

describe('FailScope', () => {
  it('a block scope stops with the run, fails alone, and once closed no longer follows the run', () => {
    const stops: string[] = [];
    const root = new FailScope(null, (id) => stops.push(id));
    const inner = new FailScope(root, null);
    inner.fail('s3', new Error('boom'));
    expect([inner.stopped, root.stopped, stops]).toEqual([true, false, []]);
    expect(inner.failure?.stepId).toBe('s3');

    const closed = new FailScope(root, null);
    const open = new FailScope(root, null);
    closed.close();
    root.controller.abort(new Error('interrupted'));
    expect([open.stopped, closed.stopped]).toEqual([true, false]);
  });

  it('jobs started in a nested block count for every enclosing block', () => {
    const root = new FailScope(null, () => undefined);
    const outer = new FailScope(root, null);
    const inner = new FailScope(outer, null);
    inner.addJob('s4#2');
    expect([...inner.jobIds, ...outer.jobIds]).toEqual(['s4#2', 's4#2']);
  });

  it('names a step by the iterations of the loops around it', () => {
    expect(stepIdAt(4, '', 0)).toBe('s4');
    expect(stepIdAt(4, '#2', 0)).toBe('s4');
    expect(stepIdAt(4, '#2#3', 1)).toBe('s4#2');
    expect(stepIdAt(4, '#2#3', 2)).toBe('s4#2#3');
  });
});
