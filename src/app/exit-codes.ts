// seqrun's exit codes, in one place: the application maps a run's outcome to them, the CLI a forced stop.

export const EXIT = { passed: 0, failed: 1, usage: 2, journalStopped: 3, interrupted: 130, terminated: 143 } as const;

/** A run stopped by a signal exits as shells report a process killed by it: 128 + its number. */
export function signalExit(signal: unknown): number {
  return signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted;
}
