// Reading the body of a message a worker takes from the queue. A Task's message (WorkerMessage, written
// by compile.ts's messageBody) is the usual one, but anything sent to the queue is input: a message sent
// by hand, by another tool, a body cut short. What the worker does with each kind is stepfunctions-poll.ts's.
import type { WorkerMessage } from './asl.ts';

/** The message format this seqrun writes and reads (`seqrun` in the body). */
export const MESSAGE_FORMAT = 1;

export type ReadMessage =
  | { readonly kind: 'message'; readonly message: WorkerMessage }
  /** A task token, but not a message this worker can run: its task can be failed with `problem`. */
  | { readonly kind: 'invalid'; readonly token: string; readonly problem: string }
  /** No task token (not JSON, not an object, no `token`): there is nobody to answer. */
  | { readonly kind: 'unreadable'; readonly problem: string };

const KINDS: readonly WorkerMessage['kind'][] = ['step', 'loop', 'condition'];

/** A value as a problem quotes it: JSON, cut to a few dozen characters. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** What is wrong with a body that has a token, one phrase per field; empty when nothing is. */
function problemsOf(body: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  const { seqrun } = body;
  if (seqrun === undefined) problems.push(`it has no "seqrun" format number (this worker reads format ${MESSAGE_FORMAT})`);
  else if (seqrun !== MESSAGE_FORMAT)
    problems.push(
      `its format is "seqrun": ${quoted(seqrun)}, and this worker reads format ${MESSAGE_FORMAT}: deploy the machine and start its workers with the same seqrun version`,
    );
  for (const field of ['diagram', 'step', 'run'] as const)
    if (!isText(body[field]))
      problems.push(`"${field}" is ${body[field] === undefined ? 'missing' : `${quoted(body[field])}, not a non-empty string`}`);
  if (!KINDS.includes(body['kind'] as WorkerMessage['kind']))
    problems.push(`"kind" is ${body['kind'] === undefined ? 'missing' : quoted(body['kind'])}, not one of ${KINDS.join(', ')}`);
  const { attempt } = body;
  if (!(typeof attempt === 'number' && Number.isInteger(attempt) && attempt >= 0))
    problems.push(`"attempt" is ${attempt === undefined ? 'missing' : `${quoted(attempt)}, not a whole number from 0`}`);
  return problems;
}

/** The message in `body`, or why it is not one, and whether its task can still be answered. Never throws. */
export function readWorkerMessage(body: string | undefined): ReadMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { kind: 'unreadable', problem: body ? 'its body is not JSON' : 'its body is empty' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { kind: 'unreadable', problem: `its body is JSON but not an object (${Array.isArray(parsed) ? 'an array' : quoted(parsed)})` };
  const fields = parsed as Record<string, unknown>;
  const { token } = fields;
  if (!isText(token))
    return {
      kind: 'unreadable',
      problem: `it has no task token (${token === undefined ? '"token" is missing' : `"token" is ${quoted(token)}`})`,
    };
  const problems = problemsOf(fields);
  if (problems.length > 0) return { kind: 'invalid', token, problem: problems.join('; ') };
  const { diagram, step, kind, run, attempt, input } = fields as unknown as WorkerMessage;
  return { kind: 'message', message: { seqrun: MESSAGE_FORMAT, diagram, step, kind, token, run, attempt, input } };
}
