import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.ts';
import { DEFAULT_TIMEOUTS } from './timeouts.ts';

const resolve = (raw: unknown, profile?: string) =>
  resolveConfig(raw, { file: 'seqrun.config.ts', root: '/p', profile, locate: () => ({ line: 3, column: 5 }) });

describe('config: timeouts', () => {
  it('fills every default, then the base, then the profile', () => {
    expect(resolve({}).config?.timeouts).toEqual(DEFAULT_TIMEOUTS);
    const { config } = resolve({ timeouts: { call: 60_000, stopGrace: 2_000 }, profiles: { ci: { timeouts: { call: 120_000 } } } }, 'ci');
    expect(config?.timeouts).toEqual({ ...DEFAULT_TIMEOUTS, call: 120_000, stopGrace: 2_000 });
  });

  it('reports a misspelt key, a limit that is not a positive number, and a grace period that never ends', () => {
    const { config, diagnostics } = resolve({ timeouts: { jobs: 1, expect: '5m', cancelGrace: Infinity, note: Infinity } });
    expect(config).toBeNull();
    expect(diagnostics.map((d) => [d.message, d.hint, d.span?.start.line])).toEqual([
      ["Unknown key 'jobs' in timeouts in seqrun.config.ts.", "Did you mean 'job'?", 3],
      [
        "'timeouts.expect' in seqrun.config.ts must be a number of milliseconds above 0 (Infinity: no limit), not 5m.",
        'Write timeouts: { call: 600_000, job: 3_600_000 } (milliseconds).',
        3,
      ],
      [
        "'timeouts.cancelGrace' in seqrun.config.ts must be a number of milliseconds from 1 to 2147483647, not Infinity.",
        'Write timeouts: { call: 600_000, job: 3_600_000 } (milliseconds).',
        3,
      ],
    ]);
  });
});
