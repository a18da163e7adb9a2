// How a run ends, and the words that say why. It ends on its own; after a stop request (Ctrl-C,
// SIGTERM) within its grace period, whatever handlers do; at once on a second signal. A handler
// that can never settle (the event loop drained while it was pending) fails with its location.
import { relative } from 'node:path';
import { DEFAULT_TIMEOUTS } from '../bind/timeouts.ts';
import type { PlannedStep } from '../bind/types.ts';
import { HandlersInFlight, Liveness } from './liveness.ts';
import { HandlerNeverSettled } from './retry.ts';
import type { RunOptions, RunOutcome } from './types.ts';

/** What the executor does when the outside says stop. */
export interface StopHooks {
  /** Stop the run: abort every running handler's signal. */
  stop(): void;
  /** True while open jobs are to be cancelled: the grace period is then the longer one. */
  cancelling(): boolean;
  /** End the run now, journaling what is still open. */
  forceEnd(why: string): void;
}

function signalName(signal: AbortSignal | undefined): string {
  return typeof signal?.reason === 'string' ? signal.reason : 'a stop request';
}

export class RunEnding {
  readonly liveness = new Liveness();
  readonly handlers = new HandlersInFlight();
  readonly stopGraceMs: number;
  readonly cancelGraceMs: number;
  /** Settles with the outcome when the run is forced to end before its own wrap-up is done. */
  readonly forced: Promise<RunOutcome>;
  private settleForced: (outcome: RunOutcome) => void = () => undefined;
  private outcome: RunOutcome | null = null;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private readonly t0 = performance.now();
  private readonly options: RunOptions;

  constructor(options: RunOptions) {
    this.options = options;
    this.stopGraceMs = options.stopGraceMs ?? DEFAULT_TIMEOUTS.stopGrace;
    this.cancelGraceMs = options.cancelTimeoutMs ?? DEFAULT_TIMEOUTS.cancelGrace;
    this.forced = new Promise((resolve) => (this.settleForced = resolve));
  }

  get ended(): boolean {
    return this.outcome !== null;
  }

  elapsedMs(): number {
    return Math.round(performance.now() - this.t0);
  }

  /** Subscribes to what ends a run from outside; returns the unsubscribe. */
  watch(hooks: StopHooks): () => void {
    const { interrupt, force, onLoopDrained } = this.options;
    const onInterrupt = (): void => {
      hooks.stop();
      const graceMs = hooks.cancelling() ? this.cancelGraceMs : this.stopGraceMs;
      const why = `${signalName(interrupt)}, and the ${graceMs} ms grace period ran out: ended without waiting any longer`;
      // Not a reason to stay alive: if nothing else is, the run has ended or the loop drained.
      this.deadline = setTimeout(() => hooks.forceEnd(why), graceMs).unref();
    };
    // A second signal forces the end; so does the journal store when it stops (its reason says so).
    const onForce = (): void => {
      const reason = signalName(force);
      hooks.forceEnd(/^SIG[A-Z]+$/.test(reason) ? `${reason} again: forced to stop at once` : reason);
    };
    if (interrupt?.aborted) onInterrupt();
    else interrupt?.addEventListener('abort', onInterrupt, { once: true });
    force?.addEventListener('abort', onForce, { once: true });
    const unsubscribe = onLoopDrained?.(() => {
      // Nothing can settle the handlers still running: none is waited for, or reported abandoned.
      this.handlers.clear();
      this.liveness.drained();
    });
    return () => {
      interrupt?.removeEventListener('abort', onInterrupt);
      force?.removeEventListener('abort', onForce);
      unsubscribe?.();
      clearTimeout(this.deadline);
    };
  }

  /** Records the outcome (the first one wins) and returns it. */
  end(outcome: RunOutcome): RunOutcome {
    this.outcome ??= outcome;
    clearTimeout(this.deadline);
    this.settleForced(this.outcome);
    return this.outcome;
  }

  /** Why the run ended as it did, when that is more than its status says. */
  reason(status: RunOutcome['status'], forced: string | undefined): string | undefined {
    const parts = forced ? [forced] : status === 'interrupted' ? [signalName(this.options.interrupt)] : [];
    const abandoned = this.handlers.stepIds();
    if (abandoned.length > 0) parts.push(`abandoned the handlers of ${abandoned.join(', ')}: still running after their signal was aborted`);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }

  /** The error of a handler that can never settle, with the place it was registered. */
  neverSettled(planned: PlannedStep, what: string): HandlerNeverSettled {
    const binding = planned.binding;
    const source = binding.status === 'bound' ? binding.handler.source : undefined;
    const file = source && this.options.root ? relative(this.options.root, source.file) || source.file : source?.file;
    const at = source ? ` (${file}:${source.line}:${source.column})` : '';
    return new HandlerNeverSettled(
      `${what} never settled${at}: its promise is still pending and nothing is left that could settle it (no timer, socket or child process); make it resolve or reject, or await what it starts`,
    );
  }
}
