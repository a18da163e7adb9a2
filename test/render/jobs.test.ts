// Where job lifetimes end (SEMANTICS §3): the reply right after the call, else the earliest open job.
import { describe, expect, it } from 'vitest';
import { jobJoins } from '../../src/render/jobs.ts';
import { buildDiagram } from './build-diagram.ts';

describe('jobJoins', () => {
  const diagram = buildDiagram([
    { kind: 'message', from: 'CI', to: 'AWS', text: 'Trigger ARM build' }, // 0 job
    { kind: 'message', from: 'CI', to: 'AWS', text: 'Trigger x86 build' }, // 1 job
    { kind: 'note', position: 'right', participants: ['AWS'], text: 'Push tag' }, // 2
    { kind: 'message', from: 'AWS', to: 'CI', text: 'Success', line: 'dashed' }, // 3 answers 1 (right after, only a note about AWS between)
    { kind: 'note', position: 'left', participants: ['CI'], text: 'Await' }, // 4
    { kind: 'message', from: 'AWS', to: 'CI', text: 'Success', line: 'dashed' }, // 5 answers 0 (earliest open job)
    { kind: 'message', from: 'CI', to: 'AWS', text: 'Trigger E2E' }, // 6 job, never joined
  ]);

  it('pairs the reply right after a call with it, a later reply with the earliest open job, and leaves the rest to the end', () => {
    expect(jobJoins(diagram.steps, new Set([0, 1, 6]))).toEqual(
      new Map([
        [0, 5],
        [1, 3],
        [6, null],
      ]),
    );
  });

  it('takes the join points the journal recorded when it has them, without asking the binder', () => {
    const journaled = new Map([
      ['s0', 's5'],
      ['s1', 's3'],
      ['s6', null],
    ]);
    expect(jobJoins(diagram.steps, new Set([0, 1, 6]), journaled)).toEqual(
      new Map([
        [0, 5],
        [1, 3],
        [6, null],
      ]),
    );
    // The run's own record wins: here the journal says s1 ran to the end.
    expect(jobJoins(diagram.steps, new Set([1]), new Map([['s1', null]]))).toEqual(new Map([[1, null]]));
  });

  it('ignores replies that answer sync calls', () => {
    expect(jobJoins(diagram.steps, new Set([0]))).toEqual(new Map([[0, 5]]));
  });
});
