// Running the project's hooks around a run: before-run hooks before the first step, on-failure hooks
// once per failed step, after-run hooks after the last. Each run of a hook is journaled (hook-started,
// hook-finished) and logs under its own id, so reports show hooks as hooks, never as steps.
import type { Hook, HookContext, HookKind } from '../bind/hooks.ts';
import type { StepInfo } from '../bind/types.ts';
import { logger, type RunScope } from './context.ts';
import { errorInfo } from './errors.ts';
import { withTimeout } from './retry.ts';

/** How the steps of a run ended, as after-run hooks see it. */
export type StepsOutcome = 'passed' | 'failed' | 'interrupted';

interface HookCall {
  readonly hookRun: string;
  readonly signal: AbortSignal;
  readonly extra: Partial<Pick<HookContext, 'failure' | 'outcome'>>;
  readonly failedStep?: string;
}

export class HookRunner {
  /** On-failure hooks still running: the run waits for them before its after-run hooks. */
  private readonly pending = new Set<Promise<void>>();
  private readonly hooks: readonly Hook[];
  private readonly scope: RunScope;
  private readonly passedBefore: ReadonlySet<string>;

  /** `passedBefore`: the hook runs a resumed run's journal says passed (its before-run hooks are not run again). */
  constructor(hooks: readonly Hook[], scope: RunScope, passedBefore: ReadonlySet<string> = new Set()) {
    this.hooks = hooks;
    this.scope = scope;
    this.passedBefore = passedBefore;
  }

  private of(kind: HookKind): Hook[] {
    return this.hooks.filter((h) => h.kind === kind);
  }

  /** Runs the before-run hooks in order until one fails; returns the id of the one that failed, or null. */
  async before(signal: AbortSignal): Promise<string | null> {
    for (const hook of this.of('before-run')) {
      if (this.passedBefore.has(hook.info.id)) continue;
      if (!(await this.invoke(hook, { hookRun: hook.info.id, signal, extra: {} }))) return hook.info.id;
    }
    return null;
  }

  /**
   * Starts the on-failure hooks for a step that failed (or a block that failed by its own label's
   * handler: its id and label), in order; the run goes on stopping meanwhile.
   */
  failed(step: StepInfo, error: unknown, signal: () => AbortSignal): void {
    const hooks = this.of('on-failure');
    if (hooks.length === 0) return;
    const failure = { step, error };
    const chain = (async (): Promise<void> => {
      for (const hook of hooks) {
        const call = { hookRun: `${hook.info.id}:${step.id}`, signal: signal(), extra: { failure }, failedStep: step.id };
        await this.invoke(hook, call);
      }
    })();
    this.pending.add(chain);
    void chain.finally(() => this.pending.delete(chain));
  }

  /** Waits for the on-failure hooks started so far (and those they lead to). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }

  /** Runs every after-run hook, even after one failed; returns the id of the first that failed, or null. */
  async after(outcome: StepsOutcome, signal: () => AbortSignal): Promise<string | null> {
    let failed: string | null = null;
    for (const hook of this.of('after-run')) {
      const ok = await this.invoke(hook, { hookRun: hook.info.id, signal: signal(), extra: { outcome } });
      if (!ok) failed ??= hook.info.id;
    }
    return failed;
  }

  private context(hook: Hook, call: HookCall, signal: AbortSignal): HookContext {
    const { scope } = this;
    return {
      hook: hook.info,
      ...call.extra,
      vars: scope.vars,
      env: scope.env,
      outputs: scope.outputs,
      state: scope.state,
      signal,
      log: logger(scope, call.hookRun),
      secret: (value: string) => scope.redactor.add(value),
      redact: (text: string) => scope.redactor.text(text),
      config: scope.config,
      runId: scope.runId,
      run: scope.run,
    };
  }

  /** One run of a hook, journaled; true when it passed. A hook's failure is journaled, never thrown. */
  private async invoke(hook: Hook, call: HookCall): Promise<boolean> {
    const { info } = hook;
    const base = { runId: this.scope.runId, hookRun: call.hookRun, hookId: info.id, hook: info.kind, name: info.name };
    const step = call.failedStep === undefined ? {} : { failedStep: call.failedStep };
    this.scope.emit({ type: 'hook-started', at: this.scope.now().toISOString(), ...base, ...step });
    const t0 = performance.now();
    let error: unknown = null;
    let failed = false;
    try {
      await withTimeout((signal) => hook.fn(this.context(hook, call, signal)), hook.options.timeoutMs, call.signal);
    } catch (thrown) {
      failed = true;
      error = thrown;
    }
    const durationMs = Math.round(performance.now() - t0);
    const status = failed ? ('failed' as const) : ('passed' as const);
    const at = this.scope.now().toISOString();
    this.scope.emit({ type: 'hook-finished', at, ...base, ...step, status, durationMs, ...(failed ? { error: errorInfo(error) } : {}) });
    return !failed;
  }
}
