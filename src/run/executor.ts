// Runs a Plan: sync calls in order, jobs in the background until their reply joins them,
// expectations when their call finishes, replies as assertions on the answered call, notes in order.
// Everything that happens is an event; the journal and the reporters only subscribe.
import type { JobImplementation, Plan, PlannedStep, RunInfo, StepOptions } from '../bind/types.ts';
import type { JournaledStep, RunEvent, StepStatus } from './events.ts';
import { handlerContext, stepLabel, type RunScope } from './context.ts';
import { Redactor } from './redact.ts';
import { HandlerNeverSettled, StepAbortedError, StepTimeoutError, withRetry } from './retry.ts';
import { JobLeftRunning, JobSet, type OpenJob } from './jobs.ts';
import { errorInfo } from './errors.ts';
import { RunEnding } from './ending.ts';
import { invokeFor, laterJoin, type Invoke } from './plan-steps.ts';
import { HookRunner } from './hooks.ts';
import type { RunOptions, RunOutcome } from './types.ts';

export type { ResumePoint, RunOptions, RunOutcome } from './types.ts';

type StepRun = { readonly ok: true; readonly output: unknown; readonly attempt: number; readonly t0: number } | { readonly ok: false };
/** An event before the executor stamps it with `at` and `runId`. */
type Unstamped = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'at' | 'runId'> : never) : never;

export function runPlan(plan: Plan, options: RunOptions): Promise<RunOutcome> {
  return new Execution(plan, options).run();
}

class Execution {
  private readonly scope: RunScope;
  private readonly controller = new AbortController();
  private readonly finished = new Set<string>();
  private readonly passed = new Set<string>();
  private readonly jobs: JobSet;
  private stopReason: { status: 'failed' | 'interrupted'; stepId?: string } | null = null;
  private lastState: string;
  private readonly ending: RunEnding;
  private readonly hooks: HookRunner;

  private readonly plan: Plan;
  private readonly options: RunOptions;
  constructor(plan: Plan, options: RunOptions) {
    this.plan = plan;
    this.options = options;
    const redactor = options.redactor ?? new Redactor();
    redactor.declare(options.secretNames ?? []);
    redactor.addNamed(options.vars);
    redactor.addNamed(options.env);
    const state = Object.assign(options.state ?? {}, options.resume?.state ?? {});
    this.lastState = JSON.stringify(state);
    const outputs = new Map(options.resume?.passed ?? []);
    for (const id of outputs.keys()) this.passed.add(id);
    this.scope = {
      runId: options.runId,
      run: runInfo(options),
      file: plan.diagram.file,
      vars: options.vars,
      env: options.env,
      config: options.config ?? {},
      outputs,
      state,
      redactor,
      // Nothing is journaled after run-finished (handlers abandoned by a forced end may still log).
      emit: (event) => void (this.ending.ended || options.onEvent(redactor.value(event))),
      now: () => new Date(),
      recorded: new Map([...(options.resume?.progress ?? [])].map(([id, parts]) => [id, [...parts]])),
    };
    this.ending = new RunEnding(options);
    this.jobs = new JobSet(this.scope, options.leaveJobs ?? false, this.ending.cancelGraceMs);
    this.hooks = new HookRunner(options.hooks ?? [], this.scope, options.resume?.hooksPassed);
  }

  async run(): Promise<RunOutcome> {
    this.emitStart();
    const unwatch = this.ending.watch({
      stop: () => this.stop('interrupted'),
      cancelling: () => !this.options.leaveJobs && this.plan.steps.some((s) => this.jobs.has(s.index) && !this.finished.has(s.id)),
      forceEnd: (why) => this.forceEnd(why),
    });
    try {
      return await Promise.race([this.drive(), this.ending.forced]);
    } finally {
      unwatch();
    }
  }

  private async drive(): Promise<RunOutcome> {
    // A failing before-run hook fails the run before any step: every step is then skipped.
    const hookFailed = await this.hooks.before(this.ending.liveness.and(this.controller.signal));
    this.persistState();
    if (hookFailed) this.stop('failed', hookFailed);
    for (const planned of this.plan.steps) {
      if (this.stopReason) break;
      if (this.passed.has(planned.id)) continue;
      await this.execute(planned);
    }
    if (!this.stopReason) await this.jobs.joinAll();
    await this.wrapUp();
    return this.conclude();
  }

  /** run-finished, once: by the run itself, or by a forced end (its grace period is over, or a second signal). */
  private conclude(forced?: string): RunOutcome {
    const status = this.stopReason?.status ?? 'passed';
    const failedStepId = this.stopReason?.stepId;
    const reason = this.ending.reason(status, forced);
    const outcome: RunOutcome = {
      status,
      durationMs: this.ending.elapsedMs(),
      ...(failedStepId ? { failedStepId } : {}),
      ...(reason ? { reason } : {}),
    };
    if (!this.ending.ended) this.emit({ type: 'run-finished', ...outcome });
    return this.ending.end(outcome);
  }

  /** Ends the run now, whatever handlers do: what is still open is journaled, then run-finished. */
  private forceEnd(why: string): void {
    if (this.ending.ended) return;
    this.stop('interrupted');
    const running = new Set(this.ending.handlers.stepIds());
    for (const planned of this.plan.steps) {
      if (this.finished.has(planned.id) || this.passed.has(planned.id)) continue;
      // A job whose cancel was never requested is still running: a resume re-attaches it.
      if (this.jobs.has(planned.index))
        this.finish(planned, 'cancelled', 0, -1, {
          error: new JobLeftRunning('still running: the run ended before cancelling it; resume re-attaches it'),
        });
      else if (running.has(planned.id)) this.finish(planned, 'cancelled', 0, -1, { error: new StepAbortedError(why) });
      else this.finish(planned, 'skipped', 0, -1, {});
    }
    this.conclude(why);
  }

  private emit(event: Unstamped, at = new Date().toISOString()): void {
    this.scope.emit({ ...event, at, runId: this.options.runId } as RunEvent);
  }

  private emitStart(): void {
    if (this.options.resume) {
      this.emit({ type: 'run-resumed', pid: this.options.pid ?? 0, ...this.sandbox() });
      return;
    }
    const steps = this.plan.steps.map((p): JournaledStep => ({
      id: p.id,
      kind: p.kind,
      text: p.step.text,
      line: p.step.span.start.line,
      column: p.step.span.start.column,
      // What a reader of the journal needs to draw job lifetimes and resume without the bindings.
      ...(p.kind === 'call' ? { mode: p.mode ?? 'sync' } : {}),
      ...(p.kind === 'call' && p.mode === 'job'
        ? { joinedAt: p.joinedAt === null || p.joinedAt === undefined ? null : (this.plan.steps[p.joinedAt]?.id ?? null) }
        : {}),
    }));
    const { diagram, diagramHash, vars, trigger, profile } = this.options;
    const title = this.plan.diagram.title;
    this.emit(
      {
        type: 'run-started',
        diagram,
        diagramHash,
        title,
        vars: this.scope.redactor.vars(vars),
        trigger: trigger ?? 'unknown',
        ...(profile === undefined ? {} : { profile }),
        steps,
        ...this.sandbox(),
      },
      // The same instant handlers see as ctx.run.startedAt.
      this.scope.run.startedAt,
    );
  }

  private sandbox(): { sandbox?: string } {
    return this.options.sandbox === undefined ? {} : { sandbox: this.options.sandbox };
  }

  private execute(planned: PlannedStep): Promise<unknown> {
    switch (planned.kind) {
      case 'call':
        return planned.mode === 'job' ? this.startJob(planned) : this.runStep(planned, invokeFor(this.plan, planned, this.passed));
      case 'note':
        return this.runStep(planned, invokeFor(this.plan, planned, this.passed));
      case 'expect': {
        const of = planned.expectationOf;
        // An expectation on an open job is checked when the job finishes (see followJob).
        if (of !== undefined && this.jobs.has(of)) return Promise.resolve();
        return this.runStep(planned, invokeFor(this.plan, planned, this.passed), { result: this.resultOf(of) });
      }
      case 'reply':
        return this.reply(planned);
    }
  }

  private resultOf(index: number | null | undefined): { value: unknown } {
    const call = index === null || index === undefined ? undefined : this.plan.steps[index];
    return { value: call ? this.scope.outputs.get(call.id) : undefined };
  }

  private async reply(planned: PlannedStep): Promise<void> {
    const callIndex = planned.answers;
    if (callIndex !== null && callIndex !== undefined) await this.jobs.join(callIndex);
    if (this.stopReason) return;
    await this.runStep(planned, invokeFor(this.plan, planned, this.passed), { result: this.resultOf(callIndex) });
  }

  private async startJob(planned: PlannedStep): Promise<void> {
    const binding = planned.binding;
    if (binding.status !== 'bound' || !('job' in binding.handler)) {
      await this.runStep(planned, invokeFor(this.plan, planned, this.passed));
      return;
    }
    const job: JobImplementation = binding.handler.job;
    const restored = this.options.resume?.openJobs;
    let run: StepRun;
    if (restored?.has(planned.id)) {
      const handle = restored.get(planned.id);
      // Re-attach: never start a job whose handle is journaled.
      const attach: Invoke = async (ctx) => (await job.attach?.(ctx, handle), handle);
      run = await this.runStep(planned, attach, {
        finish: false,
        options: { ...(planned.options.timeoutMs ? { timeoutMs: planned.options.timeoutMs } : {}) },
      });
    } else {
      const start: Invoke = async (ctx) => {
        const handle = await this.jobs.track(Promise.resolve(job.start(ctx, ...binding.args)));
        // Journaled before anything else happens, so a crash from here on leaves the handle behind.
        this.emit({ type: 'job-started', stepId: planned.id, handle });
        this.scope.recorded.delete(planned.id); // the handle covers what was recorded on the way
        if (ctx.signal.aborted) this.jobs.cancelLate(planned, job, handle, this.ending.liveness.signal);
        return handle;
      };
      run = await this.runStep(planned, start, { finish: false });
    }
    if (!run.ok) return;
    const open = this.jobs.add(planned, job, run.output, run.t0);
    open.done = this.followJob(open);
  }

  private async followJob(open: OpenJob): Promise<void> {
    const { planned } = open;
    let result: unknown;
    try {
      result = await this.jobs.wait(open, this.ending.liveness.and(this.controller.signal));
    } catch (thrown) {
      if (this.stopReason) return; // the wrap-up reports it cancelled
      const error = thrown instanceof HandlerNeverSettled ? this.ending.neverSettled(planned, "the job's wait") : thrown;
      open.state = error instanceof StepTimeoutError ? 'timed-out' : 'finished';
      this.finish(planned, 'failed', 1, open.t0, { error });
      const join = laterJoin(this.plan, planned);
      if (join)
        this.finish(join, 'failed', 0, -1, { error: new Error(`${stepLabel(planned)} did not succeed: ${errorInfo(error).message}`) });
      this.stop('failed', (join ?? planned).id);
      return;
    }
    open.state = 'finished';
    this.finish(planned, 'passed', 1, open.t0, { output: result });
    this.persistState();
    for (const expectation of this.plan.steps.filter((s) => s.kind === 'expect' && s.expectationOf === planned.index)) {
      if (this.stopReason) return;
      if (this.passed.has(expectation.id)) continue;
      const run = await this.runStep(expectation, invokeFor(this.plan, expectation, this.passed), { result: { value: result } });
      if (!run.ok) return;
    }
  }

  private async runStep(
    planned: PlannedStep,
    invoke: Invoke,
    opts: { result?: { value: unknown }; finish?: boolean; options?: StepOptions } = {},
  ): Promise<StepRun> {
    const t0 = performance.now();
    let attempt = 0;
    try {
      const output = await withRetry(
        (n, signal) => this.ending.handlers.run(planned.id, () => invoke(handlerContext(this.scope, planned, n, signal, opts.result))),
        opts.options ?? planned.options,
        this.ending.liveness.and(this.controller.signal),
        {
          onAttempt: (n) => {
            attempt = n;
            this.emit({ type: 'step-started', stepId: planned.id, attempt: n });
          },
          onRetry: (n, error, delayMs) =>
            this.emit({
              type: 'log',
              stepId: planned.id,
              level: 'warn',
              message: `attempt ${n} failed: ${errorInfo(error).message}; retrying in ${delayMs} ms`,
            }),
        },
        this.options.random,
      );
      if (opts.finish !== false) this.finish(planned, 'passed', attempt, t0, { output });
      return { ok: true, output, attempt, t0 };
    } catch (thrown) {
      const error = thrown instanceof HandlerNeverSettled ? this.ending.neverSettled(planned, 'handler') : thrown;
      if (this.stopReason) this.finish(planned, 'cancelled', attempt, t0, { error });
      else {
        this.finish(planned, 'failed', attempt, t0, { error });
        this.stop('failed', planned.id);
      }
      return { ok: false };
    } finally {
      this.persistState();
    }
  }

  private finish(
    planned: PlannedStep,
    status: StepStatus,
    attempt: number,
    t0: number,
    extra: { output?: unknown; error?: unknown },
  ): void {
    if (this.finished.has(planned.id)) return;
    this.finished.add(planned.id);
    if (status === 'passed') {
      this.passed.add(planned.id);
      this.scope.outputs.set(planned.id, extra.output);
      this.scope.recorded.delete(planned.id);
    }
    const durationMs = t0 < 0 ? 0 : Math.round(performance.now() - t0);
    this.emit({
      type: 'step-finished',
      stepId: planned.id,
      status,
      attempt,
      durationMs,
      ...(status === 'passed' && extra.output !== undefined ? { output: extra.output } : {}),
      // `throw undefined` is still a throw: the report says what was thrown.
      ...('error' in extra ? { error: errorInfo(extra.error) } : {}),
    });
    if (status === 'failed') this.hooks.failed(planned, extra.error, () => this.ending.liveness.signal);
  }

  private stop(status: 'failed' | 'interrupted', stepId?: string): void {
    if (this.stopReason) return;
    this.stopReason = { status, ...(stepId ? { stepId } : {}) };
    const why = status === 'interrupted' ? 'the run was interrupted' : `the run stopped: step ${stepId} failed`;
    this.controller.abort(new Error(why));
  }

  private persistState(): void {
    const json = JSON.stringify(this.scope.state);
    if (json === this.lastState) return;
    this.lastState = json;
    this.emit({ type: 'state', state: JSON.parse(json) as Record<string, unknown> });
  }

  /**
   * After the last step or a stop: let background work settle, cancel (or leave) open jobs while the
   * handlers the run stopped waiting for get their grace period, skip what never ran.
   */
  private async wrapUp(): Promise<void> {
    await this.jobs.settleAll();
    const record = (open: OpenJob, status: StepStatus, error: Error): void => this.finish(open.planned, status, 1, open.t0, { error });
    const drained = this.ending.liveness.signal;
    await Promise.all([this.jobs.stopOpen(record, drained), this.ending.handlers.settled(this.ending.stopGraceMs, drained)]);
    for (const planned of this.plan.steps) {
      if (!this.finished.has(planned.id) && !this.passed.has(planned.id)) this.finish(planned, 'skipped', 0, -1, {});
    }
    // After-run hooks see every step ended and every on-failure hook done; each runs, a failure fails the run.
    await this.hooks.settled();
    const afterFailed = await this.hooks.after(this.stopReason?.status ?? 'passed', () => this.ending.liveness.signal);
    this.persistState();
    if (afterFailed) this.stop('failed', afterFailed);
  }
}

/** `ctx.run`: the run as handlers see it, the same across resumes but for `resumed`. */
function runInfo(options: RunOptions): RunInfo {
  const reportUrl = options.reportUrl?.replaceAll('{runId}', encodeURIComponent(options.runId));
  return {
    id: options.runId,
    diagram: options.diagram,
    profile: options.profile ?? null,
    startedAt: options.resume?.started?.at ?? new Date().toISOString(),
    resumed: options.resume !== undefined,
    ...(reportUrl === undefined ? {} : { reportUrl }),
  };
}
