// What keeps a run going and what ends it. A handler whose promise never settles and that holds
// nothing in the event loop can never finish: when the loop drains, every wait on handler code fails
// with HandlerNeverSettled. Handlers the run stopped waiting for (timed out, stopped) get a grace
// period to return before the run ends without them.
import { HandlerNeverSettled } from './retry.ts';

/** Subscribes to "the event loop has nothing left to do" (the CLI: process 'beforeExit'); returns the unsubscribe. */
export type LoopDrained = (listener: () => void) => () => void;

export class Liveness {
  private controller = new AbortController();
  /**
   * `and`'s signals by the signal they combine, for the current controller: a step waits on the same
   * combination as the step before it (its scope's), and a new composite signal per step was a good
   * part of a loop iteration's cost.
   */
  private combined = new WeakMap<AbortSignal, AbortSignal>();

  /** Aborted, with a HandlerNeverSettled reason, the next time the event loop drains. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The loop drained: whatever is awaited now can never settle. */
  drained(): void {
    const drained = this.controller;
    this.controller = new AbortController();
    this.combined = new WeakMap();
    drained.abort(new HandlerNeverSettled('handler never settled'));
  }

  /** `signal` combined with another one: the signal to wait on handler code with. */
  and(other: AbortSignal): AbortSignal {
    let signal = this.combined.get(other);
    if (!signal) this.combined.set(other, (signal = AbortSignal.any([other, this.controller.signal])));
    return signal;
  }
}

/** Handler promises still running: a stopping run gives them a grace period to return. */
export class HandlersInFlight {
  /** Each running handler's promise, with the id of its step. */
  private readonly running = new Map<Promise<unknown>, string>();

  /** Runs `invoke` (a handler of step `stepId`) and remembers its promise until it settles. */
  run<T>(stepId: string, invoke: () => T | Promise<T>): Promise<T> {
    const promise = Promise.resolve().then(invoke);
    this.running.set(promise, stepId);
    const forget = (): void => void this.running.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  clear(): void {
    this.running.clear();
  }

  /** The steps whose handlers are still running, once each. */
  stepIds(): string[] {
    return [...new Set(this.running.values())];
  }

  /** Waits until every running handler has settled, at most `graceMs`, or until `drained` aborts. */
  async settled(graceMs: number, drained: AbortSignal): Promise<void> {
    if (this.running.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onDrain = (): void => undefined;
    const bound = new Promise<void>((resolve) => {
      // Not a reason to keep the process alive: if nothing else is, the loop drains and ends the wait.
      timer = setTimeout(resolve, graceMs).unref();
      onDrain = resolve;
      drained.addEventListener('abort', onDrain, { once: true });
    });
    await Promise.race([Promise.allSettled([...this.running.keys()]), bound]);
    clearTimeout(timer);
    drained.removeEventListener('abort', onDrain);
  }
}
