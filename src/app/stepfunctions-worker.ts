// A seqrun worker for the Step Functions engine (issue 13, part 2): answers the message a Task sent
// (src/engines/stepfunctions/asl.ts) by running the bound handler with the local engine's context
// (src/run/context.ts), and the poll loop that takes messages from SQS and reports to Step Functions.
// Not yet: the S3 journal (a redelivered job step starts its job again), the CLI command.
import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Binding, HandlerContext, Plan, PlanNode, PlannedBlock, PlannedLabel, PlannedStep } from '../bind/types.ts';
import { ERRORS, HEARTBEAT_SECONDS, type WorkerMessage } from '../engines/stepfunctions/asl.ts';
import { contextOf, handlerContext, type RunScope } from '../run/context.ts';
import { Redactor } from '../run/redact.ts';
import { isStopError } from '../run/retry.ts';
import type { JobStarted } from '../run/events.ts';
import { nextSegment, readS3Journal, writeSegment } from '../store/s3-journal.ts';
import type { S3Store } from '../store/s3-objects.ts';

export type WorkerAnswer = { readonly output: Record<string, unknown> } | { readonly error: string; readonly cause: string };

export interface WorkerOptions {
  /** The diagrams this worker can run, by their hash (`diagramHash`), with the name runs give them. */
  readonly plans: ReadonlyMap<string, { readonly plan: Plan; readonly name: string }>;
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly config: Readonly<Record<string, unknown>>;
  /**
   * The S3 journal (part 1's store) where a started job's handle is recorded before it is awaited: a
   * message delivered again (another worker, a worker that died) re-attaches the job, never starts it again.
   */
  readonly journal?: S3Store;
}

interface RunMemory {
  readonly scope: RunScope;
  /** Guard loops' guards by block id, asked again on each later `loop` message. */
  readonly guards: Map<string, () => unknown>;
}

const messageOf = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** Answers messages; what a run's steps return stays in memory, per run id (one worker per run for now). */
export class StepFunctionsWorker {
  private readonly runs = new Map<string, RunMemory>();
  private readonly options: WorkerOptions;
  constructor(options: WorkerOptions) {
    this.options = options;
  }

  async answer(message: WorkerMessage, signal: AbortSignal): Promise<WorkerAnswer> {
    const known = this.options.plans.get(message.diagram);
    if (!known) {
      const cause = `diagram ${message.diagram.slice(0, 12)} is not one this worker has (it has ${[...this.options.plans.keys()].map((h) => h.slice(0, 12)).join(', ') || 'none'}): deploy and start workers from the same commit`;
      return { error: 'seqrun.UnknownDiagram', cause };
    }
    const memory = this.memoryOf(message.run, known.name, varsOf(message.input));
    try {
      if (message.kind === 'step') return await this.step(known.plan, memory.scope, message, signal);
      return await this.label(known.plan, memory, message, signal);
    } catch (error) {
      return { error: ERRORS.final, cause: memory.scope.redactor.text(messageOf(error)) };
    }
  }

  private memoryOf(runId: string, diagram: string, vars: Readonly<Record<string, string>>): RunMemory {
    const known = this.runs.get(runId);
    if (known) return known;
    const scope: RunScope = {
      runId,
      run: { id: runId, diagram, profile: null, startedAt: new Date().toISOString(), resumed: false },
      file: diagram,
      vars: { ...this.options.vars, ...vars },
      env: this.options.env,
      config: this.options.config,
      outputs: new Map(),
      state: {},
      redactor: new Redactor(),
      emit: () => undefined,
      now: () => new Date(),
      recorded: new Map(),
    };
    const memory = { scope, guards: new Map<string, () => unknown>() };
    this.runs.set(runId, memory);
    return memory;
  }

  private async step(plan: Plan, scope: RunScope, message: WorkerMessage, signal: AbortSignal): Promise<WorkerAnswer> {
    const planned = plan.steps.find((s) => s.id === message.step);
    if (!planned || planned.binding.status !== 'bound')
      return { error: ERRORS.final, cause: `step ${message.step} is not a bound step of the diagram` };
    const related = planned.kind === 'expect' ? planned.expectationOf : planned.kind === 'reply' ? planned.answers : undefined;
    const result = related === undefined || related === null ? undefined : { value: scope.outputs.get(`s${related}`) };
    const ctx = withItem(handlerContext(scope, planned, message.attempt + 1, signal, result), message.input);
    let value: unknown;
    try {
      value = await this.invoke(planned, planned.binding, ctx, message);
    } catch (error) {
      if (planned.refused) return { output: {} };
      const retry = planned.options.retry;
      const retryable = retry ? (retry.retryOn ? retry.retryOn(error) : !isStopError(error)) : false;
      return { error: retryable ? ERRORS.failed : ERRORS.final, cause: scope.redactor.text(messageOf(error)) };
    }
    if (planned.refused) return { error: ERRORS.final, cause: `${planned.step.text}: expected to be refused, but it succeeded` };
    scope.outputs.set(planned.id, value);
    return { output: {} };
  }

  private async invoke(
    planned: PlannedStep,
    binding: Extract<Binding, { status: 'bound' }>,
    ctx: HandlerContext,
    message: WorkerMessage,
  ): Promise<unknown> {
    const { handler, args } = binding;
    if ('fn' in handler) return handler.fn(ctx, ...args);
    if (!('job' in handler)) throw new Error(`${planned.id} has no handler to run`);
    const { index } = (message.input ?? {}) as { index?: unknown };
    const stepId = typeof index === 'number' ? `${planned.id}#${index + 1}` : planned.id;
    const journal = this.options.journal;
    const recorded = journal ? await startedJob(journal, message.run, stepId) : undefined;
    if (recorded) {
      await handler.job.attach?.(ctx, recorded.handle);
      return handler.job.wait(ctx, recorded.handle);
    }
    const handle: unknown = await handler.job.start(ctx, ...args);
    if (journal) await recordJob(journal, { type: 'job-started', at: new Date().toISOString(), runId: message.run, stepId, handle });
    return handler.job.wait(ctx, handle);
  }

  private async label(plan: Plan, memory: RunMemory, message: WorkerMessage, signal: AbortSignal): Promise<WorkerAnswer> {
    const [blockId = '', branch] = message.step.split('.');
    const block = findBlock(plan.tree ?? [], blockId);
    const label = block && labelOf(block, Number(branch ?? 0));
    if (!block || !label || label.binding?.status !== 'bound')
      return { error: ERRORS.final, cause: `${message.step} is not a bound block label` };
    const { line, column } = label.span.start;
    const info = {
      id: message.step,
      kind: message.kind === 'loop' ? ('loop' as const) : ('condition' as const),
      text: label.text,
      file: memory.scope.file,
      line,
      column,
    };
    const input = (message.input ?? {}) as { error?: unknown };
    const ctx: HandlerContext = {
      ...withItem(contextOf(memory.scope, info, 1, signal), message.input),
      ...(input.error ? { error: input.error } : {}),
    };
    const handler = label.binding.handler;
    if (!('fn' in handler)) return { error: ERRORS.final, cause: `${message.step} is not bound to a loop or condition handler` };
    if (message.kind === 'condition') return { output: { holds: Boolean(await handler.fn(ctx, ...label.binding.args)) } };
    const known = memory.guards.get(blockId);
    const answer = known ?? (await handler.fn(ctx, ...label.binding.args));
    if (typeof answer === 'function') {
      memory.guards.set(blockId, answer as () => unknown);
      return { output: { continue: Boolean(await (answer as () => unknown)()) } };
    }
    const items = [...(answer as Iterable<unknown>)];
    const most = block.kind === 'loop' ? block.maxIterations : items.length;
    if (items.length > most)
      return { error: ERRORS.final, cause: `the loop ${label.text} has ${items.length} items, more than its ${most}` };
    return { output: { items } };
  }
}

/** The last `job-started` of `stepId` in the run's S3 journal. */
async function startedJob(journal: S3Store, runId: string, stepId: string): Promise<JobStarted | undefined> {
  const read = await readS3Journal(journal, runId);
  return read?.events.filter((e): e is JobStarted => e.type === 'job-started' && e.stepId === stepId).pop();
}

/** Appends the event as a segment of its own; a segment number another worker took is tried again with the next. */
async function recordJob(journal: S3Store, event: JobStarted): Promise<void> {
  for (let tries = 0; tries < 20; tries++) {
    if (await writeSegment(journal, event.runId, await nextSegment(journal, event.runId), `${JSON.stringify(event)}\n`)) return;
  }
  throw new Error(`could not record the job ${event.stepId} in the journal: 20 segment numbers taken in a row`);
}

/** The run's `--var` values: the execution's input (`seqrun run` puts them there), reached through Map iterations' `outer`. */
function varsOf(input: unknown): Readonly<Record<string, string>> {
  let at = input as { vars?: unknown; outer?: unknown } | null | undefined;
  for (let depth = 0; at && typeof at === 'object' && depth < 100; depth++) {
    if (at.vars && typeof at.vars === 'object') return at.vars as Record<string, string>;
    at = at.outer as typeof at;
  }
  return {};
}

/** A Map iteration's item and 1-based iteration number, from the state input. */
function withItem(ctx: HandlerContext, input: unknown): HandlerContext {
  const { item, index } = (input ?? {}) as { item?: unknown; index?: unknown };
  return typeof index === 'number' ? { ...ctx, item, iteration: index + 1 } : ctx;
}

function findBlock(nodes: readonly PlanNode[], id: string): PlannedBlock | undefined {
  for (const node of nodes) {
    if (node.kind === 'step') continue;
    if (node.id === id) return node;
    const bodies =
      node.kind === 'loop'
        ? [node.body]
        : node.kind === 'break'
          ? [node.branch.body]
          : node.kind === 'critical'
            ? [node.body.body, ...node.options.map((o) => o.body)]
            : node.branches.map((b) => b.body);
    for (const body of bodies) {
      const found = findBlock(body, id);
      if (found) return found;
    }
  }
  return undefined;
}

function labelOf(block: PlannedBlock, branch: number): PlannedLabel | undefined {
  if (block.kind === 'loop') return block.label;
  if (block.kind === 'break') return block.branch.label;
  if (block.kind === 'critical') return block.options[branch]?.label;
  if (block.kind === 'par') return undefined;
  return block.branches[branch]?.label;
}

export interface PollOptions {
  readonly sqs: SQSClient;
  readonly sfn: SFNClient;
  readonly queueUrl: string;
  readonly worker: StepFunctionsWorker;
  readonly signal: AbortSignal;
  /** Long-poll wait (default 20 s, SQS's most). */
  readonly waitSeconds?: number;
  /** Beats for a running step (default SendTaskHeartbeat; moto refuses it with InvalidToken, so tests pass their own). */
  readonly heartbeat?: (token: string) => Promise<void>;
  /** How often a running step beats (default a third of the machine's HeartbeatSeconds). */
  readonly heartbeatEveryMs?: number;
}

/** Takes messages until `signal` aborts: each answered to Step Functions, then deleted from the queue. */
export async function pollQueue(options: PollOptions): Promise<void> {
  const { sqs, sfn, queueUrl, worker, signal } = options;
  const heartbeat =
    options.heartbeat ?? ((taskToken: string) => sfn.send(new SendTaskHeartbeatCommand({ taskToken })).then(() => undefined));
  while (!signal.aborted) {
    const received = await sqs
      .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: options.waitSeconds ?? 20 }), {
        abortSignal: signal,
      })
      .catch((error: unknown) => {
        if (signal.aborted) return { Messages: [] };
        throw error;
      });
    for (const m of received.Messages ?? []) {
      const message = JSON.parse(m.Body ?? '{}') as WorkerMessage;
      const beat = setInterval(
        () => void heartbeat(message.token).catch(() => undefined),
        options.heartbeatEveryMs ?? (HEARTBEAT_SECONDS * 1000) / 3,
      );
      const answer = await worker.answer(message, signal).finally(() => clearInterval(beat));
      if ('error' in answer)
        await sfn.send(new SendTaskFailureCommand({ taskToken: message.token, error: answer.error, cause: answer.cause }));
      else await sfn.send(new SendTaskSuccessCommand({ taskToken: message.token, output: JSON.stringify(answer.output) }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}
