import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.ts';

const resolve = (raw: unknown, profile?: string) =>
  resolveConfig(raw, { file: 'seqrun.config.ts', root: '/p', profile, locate: () => ({ line: 7, column: 3 }) });

describe('config: journal', () => {
  it('is null by default, a URL gets the default lease, and a profile overrides the base', () => {
    expect(resolve({}).config?.journal).toBeNull();
    expect(resolve({ journal: 's3://b/p' }).config?.journal).toEqual({ url: 's3://b/p', leaseSeconds: 60 });
    const { config } = resolve({ journal: 's3://b/p', profiles: { ci: { journal: { url: 's3://c', leaseSeconds: 30 } } } }, 'ci');
    expect(config?.journal).toEqual({ url: 's3://c', leaseSeconds: 30 });
  });

  it('refuses what is not an s3:// location, a lease that is not a number of seconds, and unknown keys', () => {
    const messages = (raw: unknown) => resolve(raw).diagnostics.map((d) => [d.message, d.span?.start.line]);
    expect(messages({ journal: '/var/journals' })).toEqual([["'journal' in seqrun.config.ts must be an s3:// location.", 7]]);
    expect(messages({ journal: { url: 's3://b', leaseSeconds: 0 } })).toEqual([
      ["'journal.leaseSeconds' in seqrun.config.ts must be a number of seconds, at least 1.", 7],
    ]);
    expect(messages({ journal: { url: 's3://b', lease: 5 } })[0]?.[0]).toMatch(/Unknown key 'lease'/);
  });
});
