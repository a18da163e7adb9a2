// Runs a Plan: sync calls in order, jobs in the background until their reply joins them,
// expectations when their call finishes, replies as assertions on the answered call, notes in order.
// Everything that happens is an event; the journal and the reporters only subscribe.
import type { HandlerContext, JobImplementation, Plan, PlannedStep, RunInfo, StepOptions } from '../bind/types.ts';
import type { RunEvent, StepStatus } from './events.ts';
import { handlerContext, stepInfo, stepLabel, type RunScope } from './context.ts';
import { Redactor } from './redact.ts';
import { HandlerNeverSettled, StepAbortedError, StepTimeoutError, withRetry } from './retry.ts';
import { JobLeftRunning, JobSet, type OpenJob } from './jobs.ts';
import { errorInfo } from './errors.ts';
import { RunEnding } from './ending.ts';
import { invokeFor, journaledSteps, laterJoin, type Invoke } from './plan-steps.ts';
import { FailScope, type Frame } from './fail-scope.ts';
import { TreeRun } from './tree-run.ts';
import { refusing } from './refused.ts';
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
  /** The run's failure scope: a failure here stops the run. */
  private readonly root: FailScope;
  private readonly rootFrame: Frame;
  /** A mermaid plan's tree: its blocks, per-iteration step instances, journaled decisions. */
  private readonly tree: TreeRun;
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
    this.root = new FailScope(null, (stepId) => this.stop('failed', stepId), this.controller);
    this.rootFrame = { scope: this.root, suffix: '' };
    this.tree = new TreeRun(plan, this.scope, options.resume?.decisions, {
      step: (planned, frame) => this.stepIn(planned, frame),
      context: (planned, signal, frame) => this.contextIn(planned, signal, frame),
      stopJobs: (scope) =>
        this.jobs.stopOpen(
          (o, status, error) => this.finish(o.planned, status, 1, o.t0, { error }),
          this.ending.liveness.signal,
          scope.jobIds,
        ),
      stop: (stepId) => this.stop('failed', stepId),
      failed: (at, error) => this.hooks.failed(at, error, () => this.ending.liveness.signal),
      signal: (frame) => this.ending.liveness.and(frame.scope.signal),
    });
    this.hooks = new HookRunner(options.hooks ?? [], this.scope, options.resume?.hooksPassed);
  }

  async run(): Promise<RunOutcome> {
    this.emitStart();
    const unwatch = this.ending.watch({
      stop: () => this.stop('interrupted'),
      cancelling: () => !this.options.leaveJobs && this.jobs.anyRunning(this.finished),
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
    if (this.plan.tree && !this.stopReason) await this.tree.run(this.rootFrame);
    for (const planned of this.plan.tree ? [] : this.plan.steps) {
      if (this.stopReason) break;
      if (this.passed.has(planned.id)) continue;
      await this.execute(planned, this.rootFrame);
    }
    if (!this.stopReason) await this.jobs.joinAll();
    await this.wrapUp();
    return this.conclude();
  }

  /** run-finished, once: by the run itself, or by a forced end (its grace period is over, or a second signal). */
  private conclude(forced?: string): RunOutcome {
    const status = this.stopReason?.status ?? 'passed';
    const failedStepId = this.stopReason?.stepId;
    const reason = this.ending.reason(status, forced) ?? this.tree.reason(failedStepId);
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
    for (const planned of this.tree.allSteps()) {
      if (this.finished.has(planned.id) || this.passed.has(planned.id) || this.tree.ranAsIterations(planned)) continue;
      // A job whose cancel was never requested is still running: a resume re-attaches it.
      if (this.jobs.has(planned.id))
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
    const steps = journaledSteps(this.plan);
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

  /** A step of a plan's tree, unless it passed before a resume. */
  private async stepIn(planned: PlannedStep, frame: Frame): Promise<void> {
    if (this.passed.has(planned.id)) return;
    await this.execute(planned, frame);
  }

  /** The function a step runs: its handler, wrapped when the step must be refused (`-x`). */
  private invoke(planned: PlannedStep, frame: Frame): Invoke {
    const invoke = invokeFor(this.plan, planned, this.passed, (index) => this.tree.idOf(index, frame.suffix));
    return planned.refused ? refusing(planned, invoke) : invoke;
  }

  private execute(planned: PlannedStep, frame: Frame): Promise<unknown> {
    switch (planned.kind) {
      case 'call':
        return planned.mode === 'job' ? this.startJob(planned, frame) : this.runStep(planned, this.invoke(planned, frame), { frame });
      case 'note':
        return this.runStep(planned, this.invoke(planned, frame), { frame });
      case 'expect': {
        const of = planned.expectationOf;
        // An expectation on an open job is checked when the job finishes (see followJob).
        if (of !== undefined && this.jobs.has(this.tree.idOf(of, frame.suffix))) return Promise.resolve();
        return this.runStep(planned, this.invoke(planned, frame), { result: this.resultOf(of, frame), frame });
      }
      case 'reply':
        return this.reply(planned, frame);
    }
  }

  private resultOf(index: number | null | undefined, frame: Frame): { value: unknown } {
    if (index === null || index === undefined) return { value: undefined };
    return { value: this.scope.outputs.get(this.tree.idOf(index, frame.suffix)) };
  }

  private async reply(planned: PlannedStep, frame: Frame): Promise<void> {
    const callIndex = planned.answers;
    if (callIndex !== null && callIndex !== undefined) await this.jobs.join(this.tree.idOf(callIndex, frame.suffix));
    if (frame.scope.stopped) return;
    await this.runStep(planned, this.invoke(planned, frame), { result: this.resultOf(callIndex, frame), frame });
  }

  private async startJob(planned: PlannedStep, frame: Frame): Promise<void> {
    const binding = planned.binding;
    if (binding.status !== 'bound' || !('job' in binding.handler)) {
      await this.runStep(planned, this.invoke(planned, frame), { frame });
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
        frame,
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
      run = await this.runStep(planned, start, { finish: false, frame });
    }
    if (!run.ok) return;
    const open = this.jobs.add(planned, job, run.output, run.t0);
    frame.scope.addJob(planned.id);
    open.done = this.followJob(open, frame);
  }

  private async followJob(open: OpenJob, frame: Frame): Promise<void> {
    const { planned } = open;
    let result: unknown;
    try {
      result = await this.jobs.wait(open, this.ending.liveness.and(frame.scope.signal));
    } catch (thrown) {
      if (frame.scope.stopped) return; // the wrap-up (or its block) reports it cancelled
      const error = thrown instanceof HandlerNeverSettled ? this.ending.neverSettled(planned, "the job's wait") : thrown;
      open.state = error instanceof StepTimeoutError ? 'timed-out' : 'finished';
      this.finish(planned, 'failed', 1, open.t0, { error });
      const laterReply = laterJoin(this.plan, planned);
      const join = laterReply && this.tree.instance(laterReply, frame.suffix);
      if (join)
        this.finish(join, 'failed', 0, -1, { error: new Error(`${stepLabel(planned)} did not succeed: ${errorInfo(error).message}`) });
      frame.scope.fail((join ?? planned).id, error);
      return;
    }
    open.state = 'finished';
    this.finish(planned, 'passed', 1, open.t0, { output: result });
    this.persistState();
    for (const base of this.plan.steps.filter((s) => s.kind === 'expect' && s.expectationOf === planned.index)) {
      if (frame.scope.stopped) return;
      const expectation = this.tree.instance(base, frame.suffix);
      if (this.passed.has(expectation.id)) continue;
      const run = await this.runStep(expectation, this.invoke(expectation, frame), { result: { value: result }, frame });
      if (!run.ok) return;
    }
  }

  /** A handler's context in a frame: inside a loop, its item and iteration. */
  private contextIn(planned: PlannedStep, signal: AbortSignal, frame: Frame, n = 1, result?: { value: unknown }): HandlerContext {
    const ctx = handlerContext(this.scope, planned, n, signal, result);
    return frame.iteration === undefined ? ctx : { ...ctx, item: frame.item, iteration: frame.iteration };
  }

  private async runStep(
    planned: PlannedStep,
    invoke: Invoke,
    opts: { result?: { value: unknown }; finish?: boolean; options?: StepOptions; frame?: Frame } = {},
  ): Promise<StepRun> {
    const t0 = performance.now();
    const frame = opts.frame ?? this.rootFrame;
    let attempt = 0;
    try {
      const output = await withRetry(
        (n, signal) => this.ending.handlers.run(planned.id, () => invoke(this.contextIn(planned, signal, frame, n, opts.result))),
        // A refused step is tried once: its failure is what passes it.
        planned.refused ? { ...(opts.options ?? planned.options), retry: { attempts: 1 } } : (opts.options ?? planned.options),
        this.ending.liveness.and(frame.scope.signal),
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
      if (frame.scope.stopped) this.finish(planned, 'cancelled', attempt, t0, { error });
      else {
        this.finish(planned, 'failed', attempt, t0, { error });
        frame.scope.fail(planned.id, error);
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
    if (status === 'failed') this.hooks.failed(stepInfo(this.scope.file, planned), extra.error, () => this.ending.liveness.signal);
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
    for (const planned of this.tree.allSteps()) {
      // A loop's body step ran as its iterations' instances (`s4#1`, `s4#2`), not as itself.
      if (this.finished.has(planned.id) || this.passed.has(planned.id) || this.tree.ranAsIterations(planned)) continue;
      this.finish(planned, 'skipped', 0, -1, {});
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
