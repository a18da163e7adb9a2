// A Step Functions history event as the reader of executions sees it (history.ts), and the error a
// failure carries.

/** The fields of a Step Functions history event this reads (the SDK's HistoryEvent has them all). */
export interface HistoryEventShape {
  readonly id?: number;
  readonly previousEventId?: number;
  readonly type?: string;
  readonly timestamp?: Date | string;
  readonly stateEnteredEventDetails?: { readonly name?: string; readonly input?: string };
  readonly stateExitedEventDetails?: { readonly name?: string; readonly output?: string };
  readonly taskSucceededEventDetails?: { readonly output?: string };
  readonly taskFailedEventDetails?: Failure;
  readonly taskTimedOutEventDetails?: Failure;
  readonly mapIterationStartedEventDetails?: { readonly name?: string; readonly index?: number };
  readonly executionFailedEventDetails?: Failure;
  readonly executionAbortedEventDetails?: Failure;
  readonly executionTimedOutEventDetails?: Failure;
}

export interface Failure {
  readonly error?: string;
  readonly cause?: string;
}

/** A worker's cause is `Name: message` (the handler's error); without one (moto drops it), the Step Functions error. */
export function errorOf(failure: Failure | undefined): { message: string; name: string } {
  const error = failure?.error ?? 'States.Failed';
  const cause = failure?.cause ?? '';
  if (cause === '') return { message: `${error} (Step Functions recorded no cause)`, name: error };
  const named = /^([A-Za-z_$][\w$]*): ([\s\S]*)$/.exec(cause);
  return named ? { message: named[2] ?? '', name: named[1] ?? error } : { message: cause, name: error };
}

/** A JSON object from a history field; anything else (or nothing) is `{}`. */
export function parse(json: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json ?? '{}');
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
