// The slice of Amazon States Language (https://states-language.net/spec.html) the exporter writes,
// state names that carry the diagram's lines, and the message a Task hands to a seqrun worker.

export type Next = { readonly Next: string } | { readonly End: true };

interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
}

export interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath: string | null;
  readonly Next: string;
}

export interface TaskFields {
  readonly Type: 'Task';
  readonly Comment: string;
  readonly Resource: string;
  readonly Parameters: Readonly<Record<string, unknown>>;
  readonly ResultPath: string | null;
  readonly TimeoutSeconds: number;
  readonly HeartbeatSeconds?: number;
  readonly Retry?: readonly Retrier[];
}

export type TaskState = TaskFields & Next;

export type PassState = { readonly Type: 'Pass'; readonly Comment: string; readonly ResultPath?: null } & Next;

export interface ChoiceRule {
  readonly Variable: string;
  readonly BooleanEquals?: boolean;
  readonly IsPresent?: boolean;
  readonly Next: string;
}

export interface ChoiceState {
  readonly Type: 'Choice';
  readonly Comment: string;
  readonly Choices: readonly ChoiceRule[];
  readonly Default: string;
}

export interface FailState {
  readonly Type: 'Fail';
  readonly Comment: string;
  readonly Error: string;
  readonly Cause: string;
}

export interface Branch {
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

export type ParallelState = {
  readonly Type: 'Parallel';
  readonly Comment: string;
  readonly Branches: readonly Branch[];
  readonly ResultPath: null;
  readonly Catch?: readonly Catcher[];
} & Next;

export type MapState = {
  readonly Type: 'Map';
  readonly Comment: string;
  readonly ItemsPath: string;
  readonly ItemSelector: Readonly<Record<string, string>>;
  readonly MaxConcurrency: number;
  readonly ItemProcessor: Branch & { readonly ProcessorConfig: { readonly Mode: 'INLINE' } };
  readonly ResultPath: null;
  readonly Catch?: readonly Catcher[];
} & Next;

export type State = TaskState | PassState | ChoiceState | FailState | ParallelState | MapState;

export interface StateMachine {
  readonly Comment: string;
  readonly StartAt: string;
  readonly States: Record<string, State>;
}

/** The SQS integration that waits for the worker to answer with the task token. */
export const SEND_AND_WAIT = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';

/** The queue when none is given: a DefinitionSubstitutions placeholder that `deploy` (or CloudFormation) fills in. */
export const QUEUE_PLACEHOLDER = '${SeqrunQueueUrl}';

/** Job tasks expect a heartbeat at least this often (a worker beats at a third of it). */
export const HEARTBEAT_SECONDS = 60;

/**
 * What the worker sends back with SendTaskFailure: `StepFailed` may be retried (the step's retry policy
 * accepted the error), `StepFailedFinal` never is; `Break` leaves a loop or ends the run (`break`);
 * `JournalUnavailable`: the run's S3 journal could not be read or written, so the step was not run or
 * its end not recorded; `UnknownDiagram`: the worker has no diagram with the message's hash;
 * `InvalidMessage`: the message has a task token but is not one a worker can run (another format
 * version, a field missing: worker-message.ts), so nothing was run.
 */
export const ERRORS = {
  failed: 'seqrun.StepFailed',
  final: 'seqrun.StepFailedFinal',
  break: 'seqrun.Break',
  critical: 'seqrun.CriticalFailed',
  journal: 'seqrun.JournalUnavailable',
  unknownDiagram: 'seqrun.UnknownDiagram',
  invalidMessage: 'seqrun.InvalidMessage',
};

/** What a Task hands to a worker: which step of which diagram, the token to answer, the run and the state's input. */
export interface WorkerMessage {
  readonly seqrun: 1;
  readonly diagram: string;
  /** A step id (`s4`), a loop (`b0`) or a condition (`b2.0`: block b2's branch 0). */
  readonly step: string;
  readonly kind: 'step' | 'loop' | 'condition';
  readonly token: string;
  readonly run: string;
  readonly attempt: number;
  /** The state's input: a Map iteration's `item` and `index`, loop and condition answers, a critical block's error. */
  readonly input: unknown;
}

/** ASL's limit on a state name. */
export const MAX_NAME = 80;

/**
 * `s4 L5 Trigger CodeBuild (ARM and x86)`: an id, the diagram's line(s), the text (control bytes and
 * runs of white space made one space, shortened with … to fit 80 characters with its suffix).
 */
export function stateName(id: string, lines: string, text: string, suffix = ''): string {
  const head = `${id} ${lines} `;
  const clean = text.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  const room = MAX_NAME - head.length - suffix.length;
  const body = [...clean].length <= room ? clean : `${[...clean].slice(0, Math.max(0, room - 1)).join('')}…`;
  return `${head}${body}${suffix}`;
}

export const lineOf = (line: number): string => `L${line}`;
export const linesOf = (first: number, last: number): string => (first === last ? `L${first}` : `L${first}-L${last}`);
