// How long something took, as every output shows it: reporters, renders, reports and the plan's time limits.

const twoDigits = (n: number): string => String(n).padStart(2, '0');

/** `850 ms`, `4.2 s`, `2 min 05 s`, `1 h 05 min`: rounded once to the shown unit, so never `60.0 s` or `1 min 60 s`. */
export function formatDuration(ms: number): string {
  const wholeMs = Math.round(ms);
  if (wholeMs < 1000) return `${wholeMs} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${twoDigits(seconds % 60)} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${twoDigits(minutes % 60)} min`;
}
