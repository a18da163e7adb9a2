// The plan as an Amazon States Language state machine (issue 13, part 2): every step a Task that hands
// it to a seqrun worker through SQS and waits for the task token; a job and the steps it overlaps as a
// Parallel joined at its reply; mermaid's blocks as Parallel, Map, Choice and Catch (blocks.ts).
// States are built back to front: each piece is compiled knowing the name of the state after it.
import { diagramHash } from '../../ast/meaning.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { Plan, PlanNode, PlannedStep } from '../../bind/types.ts';
import { diagnostic } from '../../syntax/diagnose.ts';
import { ERRORS, HEARTBEAT_SECONDS, lineOf, linesOf, QUEUE_PLACEHOLDER, SEND_AND_WAIT, stateName } from './asl.ts';
import type { Next, State, StateMachine, TaskFields, TaskState, WorkerMessage } from './asl.ts';
import { compileBlock } from './blocks.ts';
import { MESSAGE_FORMAT } from './worker-message.ts';

export interface ExportOptions {
  /** The queue the workers poll; default: the `${SeqrunQueueUrl}` placeholder. */
  readonly queueUrl?: string;
  /** How the diagram is named in the machine's comment (`specs/final.seq`). */
  readonly source?: string;
}

export interface Compiler {
  readonly plan: Plan;
  readonly queueUrl: string;
  readonly hash: string;
  /** How the diagram is named in comments. */
  readonly source: string;
  readonly names: Set<string>;
  readonly diagnostics: Diagnostic[];
  /** Appended to ids in a second copy of a loop's body (the guard cycle beside the Map). */
  readonly copy: string;
  /** True inside a block: a job there must be joined inside it too. */
  readonly nested: boolean;
}

/** One `States` object (the machine's, a branch's or a Map's). */
export type Scope = Record<string, State>;

export interface ExportResult {
  /** Null when a diagnostic says what cannot be expressed. */
  readonly machine: StateMachine | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** Compiles a bound plan. Pure; refuses (diagnostics) what Step Functions cannot say as the local engine runs it. */
export function toStateMachine(plan: Plan, options: ExportOptions = {}): ExportResult {
  const c: Compiler = {
    plan,
    queueUrl: options.queueUrl ?? QUEUE_PLACEHOLDER,
    hash: diagramHash(plan.diagram),
    source: options.source ?? plan.diagram.file,
    names: new Set(),
    diagnostics: [],
    copy: '',
    nested: false,
  };
  const States: Scope = {};
  const nodes = plan.tree ?? plan.steps.map((s) => ({ kind: 'step' as const, index: s.index }));
  const StartAt = entryOf(c, States, nodes, null, 'end');
  if (c.diagnostics.length > 0) return { machine: null, diagnostics: c.diagnostics };
  const title = plan.diagram.title ? `: ${plan.diagram.title}` : '';
  const Comment = `seqrun ${c.source}${title} (diagram ${c.hash.slice(0, 12)})`;
  return { machine: { Comment, StartAt, States: inDocumentOrder(States) }, diagnostics: [] };
}

/** States were added back to front: each `States` object (branches and Maps too) reversed reads top down. */
function inDocumentOrder(scope: Scope): Scope {
  const ordered: Scope = {};
  for (const [name, state] of Object.entries(scope).reverse()) {
    if (state.Type === 'Parallel')
      ordered[name] = { ...state, Branches: state.Branches.map((b) => ({ ...b, States: inDocumentOrder(b.States) })) };
    else if (state.Type === 'Map')
      ordered[name] = { ...state, ItemProcessor: { ...state.ItemProcessor, States: inDocumentOrder(state.ItemProcessor.States) } };
    else ordered[name] = state;
  }
  return ordered;
}

/** Adds a state under a name no other state has (ids make names unique; a clash is a bug here). */
export function addState(c: Compiler, scope: Scope, name: string, state: State): string {
  if (c.names.has(name)) throw new Error(`two states named ${JSON.stringify(name)}`);
  c.names.add(name);
  scope[name] = state;
  return name;
}

export const nextOf = (next: string | null): Next => (next === null ? { End: true } : { Next: next });

/** The first state of `nodes` followed by `next`; an empty list is `next`, or a Pass named `emptyName` when nothing follows. */
export function entryOf(c: Compiler, scope: Scope, nodes: readonly PlanNode[], next: string | null, emptyName: string): string {
  let entry = next;
  const units = group(c, nodes);
  for (let i = units.length - 1; i >= 0; i--) entry = compileUnit(c, scope, units[i] as Unit, entry);
  if (entry !== null) return entry;
  return addState(c, scope, emptyName, { Type: 'Pass', Comment: 'nothing to run here', End: true });
}

/** A step, a block, or a job with its expectations and the nodes it overlaps up to its reply. */
type Unit =
  | { readonly kind: 'node'; readonly node: PlanNode }
  | {
      readonly kind: 'job';
      readonly step: PlannedStep;
      readonly expectations: readonly PlannedStep[];
      readonly overlap: readonly PlanNode[];
    };

const stepAt = (c: Compiler, index: number): PlannedStep => c.plan.steps[index] as PlannedStep;
const lineAt = (c: Compiler, index: number): number => stepAt(c, index).step.span.start.line;

function group(c: Compiler, nodes: readonly PlanNode[]): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as PlanNode;
    const planned = node.kind === 'step' ? stepAt(c, node.index) : null;
    if (!planned || planned.mode !== 'job') {
      units.push({ kind: 'node', node });
      continue;
    }
    const join = joinPosition(c, nodes, planned);
    if (join === null) return units;
    const between = nodes.slice(i + 1, join);
    const isOwnExpectation = (n: PlanNode): boolean => n.kind === 'step' && stepAt(c, n.index).expectationOf === planned.index;
    const expectations = between.filter(isOwnExpectation).map((n) => stepAt(c, (n as { index: number }).index));
    units.push({ kind: 'job', step: planned, expectations, overlap: between.filter((n) => !isOwnExpectation(n)) });
    i = join - 1;
  }
  return units;
}

/** Records a diagnostic once (a loop's body is compiled twice: the Map and the guard cycle). */
function report(c: Compiler, found: Diagnostic): void {
  if (!c.diagnostics.some((d) => d.code === found.code && d.span === found.span)) c.diagnostics.push(found);
}

/** Where in `nodes` the job is joined (its reply's position, or the end); null with a diagnostic when not in this list. */
function joinPosition(c: Compiler, nodes: readonly PlanNode[], job: PlannedStep): number | null {
  const text = JSON.stringify(job.step.text);
  const file = c.plan.diagram.file;
  if (job.joinedAt === null || job.joinedAt === undefined) {
    if (!c.nested) return nodes.length;
    const message = `The job ${text} inside a block is joined at the end of the diagram, outside its block: a Step Functions branch cannot leave a job running.`;
    report(c, diagnostic('SEQ371', message, file, job.step.span));
    return null;
  }
  const at = nodes.findIndex((n) => n.kind === 'step' && n.index === job.joinedAt);
  if (at >= 0) return at;
  const message = `The job ${text} (line ${job.step.span.start.line}) is joined at line ${lineAt(c, job.joinedAt)}, outside the block or job it starts in: its lifetime interleaves with another without nesting, which Step Functions' Parallel states cannot express.`;
  report(c, diagnostic('SEQ370', message, file, job.step.span));
  return null;
}

function compileUnit(c: Compiler, scope: Scope, unit: Unit, next: string | null): string {
  if (unit.kind === 'job') return compileJob(c, scope, unit, next);
  if (unit.node.kind === 'step') return compileStep(c, scope, stepAt(c, unit.node.index), next);
  return compileBlock(c, scope, unit.node, next);
}

function compileStep(c: Compiler, scope: Scope, planned: PlannedStep, next: string | null): string {
  const line = lineOf(planned.step.span.start.line);
  const name = stateName(planned.id + c.copy, line, planned.step.text);
  if (planned.binding.status === 'builtin')
    return addState(c, scope, name, { Type: 'Pass', Comment: 'built-in Success: the call it answers finished', ...nextOf(next) });
  return addState(c, scope, name, stepTask(c, planned, next));
}

/** The job's task, then its expectations; beside them, in a Parallel, the steps that run while it runs. */
function compileJob(c: Compiler, scope: Scope, unit: Extract<Unit, { kind: 'job' }>, next: string | null): string {
  const chain = (target: Scope, after: string | null): string => {
    let entry = after;
    for (const e of [...unit.expectations].reverse()) entry = compileStep(c, target, e, entry);
    return compileStep(c, target, unit.step, entry);
  };
  if (unit.overlap.length === 0) return chain(scope, next);
  const { step } = unit;
  const first = step.step.span.start.line;
  const last = step.joinedAt === null || step.joinedAt === undefined ? c.plan.diagram.span.end.line : lineAt(c, step.joinedAt);
  const jobStates: Scope = {};
  const jobEntry = chain(jobStates, null);
  const overlapStates: Scope = {};
  const overlapEntry = entryOf(
    c,
    overlapStates,
    unit.overlap,
    null,
    stateName(step.id + c.copy, linesOf(first, last), 'nothing', ' (while)'),
  );
  const name = stateName(step.id + c.copy, linesOf(first, last), `while ${step.step.text} runs`);
  return addState(c, scope, name, {
    Type: 'Parallel',
    Comment: `the job on line ${first} and the steps that run until it is joined on line ${last}`,
    Branches: [
      { StartAt: jobEntry, States: jobStates },
      { StartAt: overlapEntry, States: overlapStates },
    ],
    ResultPath: null,
    ...nextOf(next),
  });
}

/** The message a worker receives; the `.$` fields are filled in by Step Functions. */
export function messageBody(c: Compiler, step: string, kind: WorkerMessage['kind']): Record<string, unknown> {
  return {
    seqrun: MESSAGE_FORMAT,
    diagram: c.hash,
    step,
    kind,
    'token.$': '$$.Task.Token',
    'run.$': '$$.Execution.Name',
    'attempt.$': '$$.State.RetryCount',
    'input.$': '$',
  };
}

/** A task that sends `body` to the queue and waits for the worker's answer. */
export function sendTask(
  c: Compiler,
  body: Record<string, unknown>,
  extra: Omit<TaskFields, 'Type' | 'Resource' | 'Parameters'> & Next,
): TaskState {
  return { Type: 'Task', Resource: SEND_AND_WAIT, Parameters: { QueueUrl: c.queueUrl, MessageBody: body }, ...extra };
}

const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

function stepTask(c: Compiler, planned: PlannedStep, next: string | null): TaskState {
  const { timeoutMs, retry } = planned.options;
  const timeout = seconds(timeoutMs ?? 3_600_000);
  const job = planned.mode === 'job';
  const heartbeat = job && timeout > HEARTBEAT_SECONDS ? { HeartbeatSeconds: HEARTBEAT_SECONDS } : {};
  const retries =
    retry && retry.attempts > 1
      ? {
          Retry: [
            {
              ErrorEquals: [ERRORS.failed],
              IntervalSeconds: seconds(retry.backoffMs ?? 1000),
              MaxAttempts: retry.attempts - 1,
              BackoffRate: retry.factor ?? 2,
            },
          ],
        }
      : {};
  const Comment = `${planned.kind}${job ? ' (job)' : ''} at ${c.source}:${planned.step.span.start.line}`;
  return sendTask(c, messageBody(c, planned.id, 'step'), {
    Comment,
    ResultPath: null,
    TimeoutSeconds: timeout,
    ...heartbeat,
    ...retries,
    ...nextOf(next),
  });
}
