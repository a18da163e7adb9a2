// What `seqrun run` and `seqrun resume` need from the process: signals, the event loop draining, and
// an exit that does not wait for handlers the run gave up on.
import { signalExit } from '../app/exit-codes.ts';
import type { LoopDrained } from '../run/liveness.ts';
import type { Io } from './io.ts';

export interface RunProcess {
  /** Aborted by the first Ctrl-C or SIGTERM; its reason is the signal's name. */
  readonly interrupt: AbortSignal;
  /** Aborted by a second one, just before the process exits. */
  readonly force: AbortSignal;
  readonly onLoopDrained: LoopDrained;
  /** The run is over and its journal closed: exit with `code`, even while abandoned handlers keep the event loop alive. */
  exit(code: number): number;
  dispose(): void;
}

/** Lets a run notice that nothing is left in the event loop (Node would otherwise exit, code 13, mid-run). */
const onLoopDrained: LoopDrained = (listener) => {
  const onDrained = (): void => {
    listener();
    // Node emits 'beforeExit' again only if the loop came alive: one more turn lets the run go on
    // (its time limits do not hold the loop) and notice the next drain too.
    setImmediate(() => undefined);
  };
  process.on('beforeExit', onDrained);
  return () => void process.off('beforeExit', onDrained);
};

/**
 * Ctrl-C (or SIGTERM): the first stops the run gracefully, the second ends it at once: the run
 * journals what is still open and run-finished, then seqrun exits (130 for SIGINT, 143 for SIGTERM).
 * With the live list on screen, the list itself says it is stopping: a line beside it would break its redraw.
 */
export function runProcess(io: Io, liveList = false): RunProcess {
  const interrupt = new AbortController();
  const force = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (!interrupt.signal.aborted) {
      if (!liveList) io.stderr('\nseqrun: stopping: cancelling open jobs and closing the journal (press Ctrl-C again to force)\n');
      interrupt.abort(name);
      return;
    }
    force.abort(name);
    if (io.isTTY) io.stdout('\x1b[?25h\n');
    io.stderr('seqrun: forced to stop; the journal says so, and `seqrun resume` continues the run\n');
    process.exit(signalExit(name));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    interrupt: interrupt.signal,
    force: force.signal,
    onLoopDrained,
    exit: (code) => {
      // Unref'd: when nothing holds the loop, Node exits on its own first, output flushed.
      setTimeout(() => process.exit(code), 200).unref();
      return code;
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
