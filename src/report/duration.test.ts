import { describe, expect, it } from 'vitest';
import { formatDuration } from './duration.ts';

describe('formatDuration', () => {
  it('shows milliseconds, tenths of seconds, minutes and seconds, hours and minutes', () => {
    expect(
      [0, 1, 999.4, 999.6, 1500, 59_940, 59_960, 65_000, 125_000, 3_599_400, 3_599_600, 3_900_000, 36_000_000].map(formatDuration),
    ).toEqual([
      '0 ms',
      '1 ms',
      '999 ms',
      '1.0 s',
      '1.5 s',
      '59.9 s',
      '1 min 00 s',
      '1 min 05 s',
      '2 min 05 s',
      '59 min 59 s',
      '1 h 00 min',
      '1 h 05 min',
      '10 h 00 min',
    ]);
  });
});
