import { describe, expect, it } from 'vitest';
import { releaseKey } from '../run/lock.ts';
import { varsOf } from './stepfunctions-message.ts';
import { alreadyRunning, executionInput, parsedInput, releaseIn } from './stepfunctions-release.ts';

describe("an execution's release key, in its input", () => {
  const vars = { app: 'card-connector', release: '42' };
  const key = releaseKey({ diagram: 'specs/final.seq', profile: null, vars }, ['app', 'release']);

  it('goes beside the vars, which the workers still read as before (a Map iteration reaches them through `outer`)', () => {
    const input = parsedInput(executionInput(vars, key));
    expect(input).toEqual({ vars, seqrun: { release: key } });
    expect(releaseIn(input)).toBe(key);
    expect(varsOf(input)).toEqual(vars);
    expect(varsOf({ item: 'one', index: 0, outer: input })).toEqual(vars);
  });

  it('is missing from an input another tool or an older seqrun wrote, or one that is not JSON', () => {
    expect(releaseIn(parsedInput('{"vars":{"release":"42"}}'))).toBeNull();
    expect(releaseIn(parsedInput('{"seqrun":{"release":42}}'))).toBeNull();
    expect(releaseIn(parsedInput('[1,2]'))).toBeNull();
    expect(releaseIn(parsedInput('not json'))).toBeNull();
    expect(releaseIn(parsedInput(undefined))).toBeNull();
  });

  it('refuses a second execution of the release on one line: which execution, since when, and what to do', () => {
    const running = {
      name: '20261203T101500000Z-4f2a1c',
      arn: 'arn:aws:states:eu-west-1:123456789012:execution:final:20261203T101500000Z-4f2a1c',
      startedAt: new Date('2026-12-03T10:15:00.000Z'),
      input: null,
    };
    const line = alreadyRunning(running, { diagram: 'specs/final.seq', profile: null, vars, keyVars: ['app', 'release'] });
    expect(line).toBe(
      'seqrun run: execution 20261203T101500000Z-4f2a1c is running this release since 2026-12-03T10:15:00.000Z: specs/final.seq with the same profile and app, release. ' +
        'Two runs of one release would both start its builds and push its tags; follow it with --attach, wait for it to end with --wait-for-lease, ' +
        'or stop it (aws stepfunctions stop-execution --execution-arn arn:aws:states:eu-west-1:123456789012:execution:final:20261203T101500000Z-4f2a1c).\n',
    );
    expect(line.trimEnd().split('\n')).toHaveLength(1);
  });
});
