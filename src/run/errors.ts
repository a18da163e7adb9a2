// What the journal and the reports say about something a handler threw. Handlers may throw anything
// (`throw {message: 'x'}`, `throw undefined`): the report shows what was thrown, never `[object Object]`.
import { inspect } from 'node:util';

export interface ErrorInfo {
  readonly message: string;
  readonly name?: string;
}

function hasMessage(value: unknown): value is { message: string; name?: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** An Error's message and name; a thrown non-Error as its `message` if it has one, else inspected. */
export function errorInfo(thrown: unknown): ErrorInfo {
  if (thrown instanceof Error) return { message: thrown.message, name: thrown.name };
  if (typeof thrown === 'string') return { message: thrown };
  if (hasMessage(thrown)) return { message: thrown.message, ...(typeof thrown.name === 'string' ? { name: thrown.name } : {}) };
  return { message: `threw ${inspect(thrown, { depth: 2, breakLength: Infinity })}, not an Error` };
}
