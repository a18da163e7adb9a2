// How the long-lived AWS callers (the Step Functions worker's queue, `seqrun run`'s reading of the
// execution's history) get through failures that pass: an endpoint down for a while, throttling, a 5xx.
// They wait and try again (1 s, doubling to 30 s) for as long as it lasts, saying once when it starts and
// once when it ends; a failure that will not pass (credentials, access denied, a queue or execution that
// does not exist) is thrown at once. The SDK's own retries (3 attempts) come first.
import { describeAwsError, isPassing } from '../packs/aws/errors.ts';
import { stopped } from './journal-store.ts';

const FIRST_WAIT_MS = 1_000;
const LONGEST_WAIT_MS = 30_000;

export interface OutageOptions {
  /** The service and call, and the endpoint they go to, as error messages name them (`SQS`, `ReceiveMessage`, `http://…`). */
  readonly service: string;
  readonly operation: string;
  readonly endpoint: string;
  /** A line for the user: the outage began (with why and the next try), or ended. */
  readonly note: (line: string) => void;
  readonly signal: AbortSignal;
  /** The waits between tries (default 1 s doubling to 30 s): tests shorten them. */
  readonly waits?: { readonly firstMs: number; readonly longestMs: number };
}

/** What `throughOutages` gives back when the signal aborted while it waited. */
export const STOPPED = Symbol('stopped');

/** One caller's outages: `call` runs an AWS call through them. */
export class Outages {
  private readonly options: OutageOptions;
  /** When the current outage began (null: none). */
  private since: number | null = null;

  constructor(options: OutageOptions) {
    this.options = options;
  }

  /** `call`'s answer, after as many waits as a passing failure needs; STOPPED when the signal aborts; a lasting failure thrown, described. */
  async call<T>(call: () => Promise<T>): Promise<T | typeof STOPPED> {
    const { service, operation, endpoint, note, signal } = this.options;
    const waits = this.options.waits ?? { firstMs: FIRST_WAIT_MS, longestMs: LONGEST_WAIT_MS };
    for (let wait = waits.firstMs; ; wait = Math.min(wait * 2, waits.longestMs)) {
      if (signal.aborted) return STOPPED;
      try {
        const answer = await call();
        if (this.since !== null) {
          note(`${service} ${operation} answers again, after ${Math.round((Date.now() - this.since) / 1000)} s`);
          this.since = null;
        }
        return answer;
      } catch (error) {
        if (signal.aborted) return STOPPED;
        const described = describeAwsError(error, service, operation, endpoint);
        if (!isPassing(error)) throw described;
        if (this.since === null) {
          this.since = Date.now();
          note(`${described.message}; trying again, for as long as it lasts (first in ${wait / 1000} s)`);
        }
        if (await stopped(wait, signal)) return STOPPED;
      }
    }
  }
}
