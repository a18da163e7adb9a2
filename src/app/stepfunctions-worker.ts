// A seqrun worker for the Step Functions engine (issue 13, part 2): answers the message a Task sent
// (src/engines/stepfunctions/asl.ts) by running the bound handler with the local engine's context
// (src/run/context.ts). What a run's steps returned and the run state come from the run's S3 journal
// and go back to it (stepfunctions-recorder.ts), not a worker's memory, so any worker answers any step
// of any run. A message delivered again (a worker died, the visibility timeout ran out) re-attaches a
// job already started and answers a step already finished from the journal: neither runs again.
import type { Binding, HandlerContext, Plan, PlannedStep } from '../bind/types.ts';
import { ERRORS, type WorkerMessage } from '../engines/stepfunctions/asl.ts';
import { contextOf, handlerContext, type RunScope } from '../run/context.ts';
import { runRedactor, type Redactor } from '../run/redact.ts';
import { isStopError } from '../run/retry.ts';
import type { S3Store } from '../store/s3-objects.ts';
import { JournalStoreError } from '../store/errors.ts';
import { SharedJournal } from '../store/shared-journal.ts';
import { blockInstanceId, findBlock, labelOf, stepInstanceId, varsOf, withItem } from './stepfunctions-message.ts';
import { StepRecorder } from './stepfunctions-recorder.ts';
import { foldSharedRun, jobKey, type SharedRun } from './stepfunctions-shared-run.ts';

export { pollQueue, type PollOptions } from './stepfunctions-poll.ts';

export type WorkerAnswer = { readonly output: Record<string, unknown> } | { readonly error: string; readonly cause: string };

export interface WorkerOptions {
  /** The diagrams this worker can run, by their hash (`diagramHash`), with the name runs give them. */
  readonly plans: ReadonlyMap<string, { readonly plan: Plan; readonly name: string }>;
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly config: Readonly<Record<string, unknown>>;
  /** The config's `secrets` (names whose values are masked, as the local engine masks them). */
  readonly secretNames?: readonly string[];
  /** The S3 journal (part 1's store) the workers share: each run's outputs, state and started jobs. */
  readonly journal: S3Store;
  /** The environment `journal`'s client was made from (default `env`): `ctx.progress` writes from a thread of its own. */
  readonly journalEnv?: Readonly<Record<string, string | undefined>>;
}

/** How many runs a worker remembers secrets and guards for. */
const MOST_RUNS = 256;

const messageOf = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** One answer's view of its run: the scope its handler gets, and where its events go. */
interface Answering {
  readonly scope: RunScope;
  readonly shared: SharedRun;
  readonly recorder: StepRecorder;
  /** The run's journal says it ended (`seqrun run` wrote run-finished: the execution failed or was stopped). */
  readonly ended: boolean;
}

export class StepFunctionsWorker {
  private readonly options: WorkerOptions;
  private readonly journal: SharedJournal;
  /** Per run: the secrets its handlers marked on this worker (a journal never holds them). */
  private readonly redactors = new Map<string, Redactor>();
  /** Per run and loop block: the guard a loop handler returned, asked again on this worker's later `loop` messages. */
  private readonly guards = new Map<string, () => unknown>();

  constructor(options: WorkerOptions) {
    this.options = options;
    this.journal = new SharedJournal(options.journal, options.journalEnv ?? options.env);
  }

  /** Ends the thread that writes `ctx.progress` parts (when one was started). */
  close(): void {
    this.journal.close();
  }

  async answer(message: WorkerMessage, signal: AbortSignal): Promise<WorkerAnswer> {
    const known = this.options.plans.get(message.diagram);
    if (!known) {
      const cause = `diagram ${message.diagram.slice(0, 12)} is not one this worker has (it has ${[...this.options.plans.keys()].map((h) => h.slice(0, 12)).join(', ') || 'none'}): deploy and start workers from the same commit`;
      return { error: ERRORS.unknownDiagram, cause };
    }
    let answering: Answering;
    try {
      answering = await this.answering(message, known.name);
    } catch (error) {
      const cause = `the run's S3 journal cannot be read, so the step was not run: ${messageOf(error)}`;
      return { error: ERRORS.journal, cause: this.redactorOf(message).text(cause) };
    }
    // A message taken after the run ended (an execution stopped or failed while it waited in the queue,
    // or a retry moto failed before it was taken) runs nothing: its step would act for a run that is over.
    if (answering.ended)
      return { error: ERRORS.final, cause: `run ${message.run} has ended (its journal says so): ${message.step} was not run` };
    try {
      if (message.kind === 'step') return await this.step(known.plan, answering, message, signal);
      return await this.label(known.plan, answering, message, signal);
    } catch (error) {
      const code = error instanceof JournalStoreError ? ERRORS.journal : ERRORS.final;
      return { error: code, cause: answering.scope.redactor.text(messageOf(error)) };
    }
  }

  private redactorOf(message: WorkerMessage): Redactor {
    let redactor = this.redactors.get(message.run);
    if (!redactor) {
      const vars = { ...this.options.vars, ...varsOf(message.input) };
      redactor = runRedactor(vars, this.options.env, this.options.secretNames ?? []);
      this.redactors.set(message.run, redactor);
      // A long-lived worker sees many runs: the oldest one's secrets and guards are let go.
      if (this.redactors.size > MOST_RUNS) {
        const oldest = this.redactors.keys().next().value as string;
        this.redactors.delete(oldest);
        for (const key of this.guards.keys()) if (key.startsWith(`${oldest} `)) this.guards.delete(key);
      }
    }
    return redactor;
  }

  /** The run as its journal has it now (the segments other workers added since this one last looked). */
  private async answering(message: WorkerMessage, diagram: string): Promise<Answering> {
    const view = await this.journal.read(message.run);
    const shared = foldSharedRun(view.events);
    const redactor = this.redactorOf(message);
    const state = JSON.parse(JSON.stringify(shared.state)) as Record<string, unknown>;
    const recorder = new StepRecorder(this.journal, message.run, redactor, state);
    const runId = message.run;
    const first = view.events[0]?.at ?? new Date().toISOString();
    const profile = typeof this.options.config['profile'] === 'string' ? this.options.config['profile'] : null;
    const scope: RunScope = {
      runId,
      run: { id: runId, diagram, profile, startedAt: first, resumed: false },
      file: diagram,
      vars: { ...this.options.vars, ...varsOf(message.input) },
      env: this.options.env,
      config: this.options.config,
      outputs: new Map(shared.outputs),
      state,
      redactor,
      emit: recorder.emit,
      now: () => new Date(),
      recorded: new Map([...shared.progress].map(([id, parts]) => [id, [...parts]])),
    };
    return { scope, shared, recorder, ended: view.events.some((e) => e.type === 'run-finished') };
  }

  private async step(plan: Plan, answering: Answering, message: WorkerMessage, signal: AbortSignal): Promise<WorkerAnswer> {
    const base = plan.steps.find((s) => s.id === message.step);
    if (!base || base.binding.status !== 'bound')
      return { error: ERRORS.final, cause: `step ${message.step} is not a bound step of the diagram` };
    const { scope, shared, recorder } = answering;
    const id = stepInstanceId(plan, base.index, message.input);
    const planned = id === base.id ? base : { ...base, id };
    const done = shared.finished.get(id);
    if (done?.status === 'passed') return { output: {} };
    if (done?.status === 'failed') return { error: ERRORS.final, cause: done.error?.message ?? `${id} failed` };
    const related = base.kind === 'expect' ? base.expectationOf : base.kind === 'reply' ? base.answers : undefined;
    const result =
      related === undefined || related === null
        ? undefined
        : { value: scope.outputs.get(stepInstanceId(plan, related, message.input, base.index)) };
    const attempt = message.attempt + 1;
    recorder.begin(id, attempt, shared.started.get(id) === attempt);
    const ctx = withItem(handlerContext(scope, planned, attempt, signal, result), message.input);
    const t0 = performance.now();
    const ended = (status: 'passed' | 'failed', extra: { output?: unknown; error?: { message: string; name?: string } }) =>
      recorder.finished({ stepId: id, status, attempt, durationMs: Math.round(performance.now() - t0), ...extra }, scope.state);
    let value: unknown;
    try {
      value = await this.invoke(planned, base.binding, ctx, answering, attempt);
    } catch (error) {
      const cause = scope.redactor.text(messageOf(error));
      // The worker is stopping: the step did not end, its message goes back to the queue (pollQueue).
      if (signal.aborted) return { error: ERRORS.final, cause: `the worker stopped while ${id} ran` };
      if (planned.refused) return (await ended('passed', {}), { output: {} });
      const retry = planned.options.retry;
      const retryable = retry ? (retry.retryOn ? retry.retryOn(error) : !isStopError(error)) : false;
      // A failure the machine retries is an attempt, not the step's end (as in the local engine's journal).
      if (retryable) await recorder.logged({ stepId: id, level: 'warn', message: `attempt ${attempt} failed: ${cause}` });
      else await ended('failed', { error: { message: cause, ...(error instanceof Error ? { name: error.name } : {}) } });
      return { error: retryable ? ERRORS.failed : ERRORS.final, cause };
    }
    if (planned.refused) {
      const cause = `${planned.step.text}: expected to be refused, but it succeeded`;
      await ended('failed', { error: { message: cause } });
      return { error: ERRORS.final, cause };
    }
    await ended('passed', value === undefined ? {} : { output: value });
    return { output: {} };
  }

  /** The handler; a job is started once per attempt (its handle journaled before it is awaited) and re-attached after. */
  private async invoke(
    planned: PlannedStep,
    binding: Extract<Binding, { status: 'bound' }>,
    ctx: HandlerContext,
    answering: Answering,
    attempt: number,
  ): Promise<unknown> {
    const { handler, args } = binding;
    if ('fn' in handler) return handler.fn(ctx, ...args);
    if (!('job' in handler)) throw new Error(`${planned.id} has no handler to run`);
    const recorded = answering.shared.jobs.get(jobKey(planned.id, attempt));
    if (recorded) {
      ctx.log.info(`re-attached to the job this step started before (its message was delivered again)`);
      await handler.job.attach?.(ctx, recorded.handle);
      return handler.job.wait(ctx, recorded.handle);
    }
    const handle: unknown = await handler.job.start(ctx, ...args);
    try {
      await answering.recorder.jobStarted(planned.id, handle, answering.scope.state);
    } catch (error) {
      // A job nobody can find again must not run on: a redelivered message would start another.
      await handler.job.cancel?.(ctx, handle).catch(() => undefined);
      throw error;
    }
    return handler.job.wait(ctx, handle);
  }

  private async label(plan: Plan, answering: Answering, message: WorkerMessage, signal: AbortSignal): Promise<WorkerAnswer> {
    const [blockId = '', branch] = message.step.split('.');
    const block = findBlock(plan.tree ?? [], blockId);
    const label = block && labelOf(block, Number(branch ?? 0));
    if (!block || !label || label.binding?.status !== 'bound')
      return { error: ERRORS.final, cause: `${message.step} is not a bound block label` };
    const { scope } = answering;
    const { line, column } = label.span.start;
    const info = {
      id: message.step,
      kind: message.kind === 'loop' ? ('loop' as const) : ('condition' as const),
      text: label.text,
      file: scope.file,
      line,
      column,
    };
    const input = (message.input ?? {}) as Record<string, unknown> & { error?: unknown };
    const ctx: HandlerContext = {
      ...withItem(contextOf(scope, info, 1, signal), message.input),
      ...(input.error ? { error: input.error } : {}),
    };
    const handler = label.binding.handler;
    if (!('fn' in handler)) return { error: ERRORS.final, cause: `${message.step} is not bound to a loop or condition handler` };
    if (message.kind === 'condition') return { output: { holds: Boolean(await handler.fn(ctx, ...label.binding.args)) } };
    // The loop's instance: a loop inside another's iterations asks its handler again in each of them.
    const key = `${message.run} ${blockInstanceId(plan, blockId, message.input)}`;
    const known = this.guards.get(key);
    const answer = known ?? (await handler.fn(ctx, ...label.binding.args));
    if (typeof answer === 'function') {
      this.guards.set(key, answer as () => unknown);
      // The iteration number rides in the answer ($.loop_<id>): the body's steps get ids of their own per iteration.
      const previous = (input[`loop_${blockId}`] as { iteration?: unknown } | undefined)?.iteration;
      const iteration = (typeof previous === 'number' ? previous : 0) + 1;
      return { output: { continue: Boolean(await (answer as () => unknown)()), iteration } };
    }
    const items = [...(answer as Iterable<unknown>)];
    const most = block.kind === 'loop' ? block.maxIterations : items.length;
    if (items.length > most)
      return { error: ERRORS.final, cause: `the loop ${label.text} has ${items.length} items, more than its ${most}` };
    return { output: { items } };
  }
}
