// What `seqrun run --engine stepfunctions --journal s3://…` adds to the run's S3 journal, which the
// workers write too (docs/semantics.md, "The journal in S3"). The workers journal the steps they answer
// (stepfunctions-recorder.ts): each attempt's step-started, the handler's log lines, progress and jobs,
// the step's end with its output, the state. The run adds what only the execution's history says: its
// run-started (written before the execution starts), the blocks' decisions and ends, run-finished, and
// of the steps only what no worker journaled: a step no worker runs (a built-in Success), an attempt that
// timed out or whose retries ran out, a step the run's end cancelled or skipped. A worker writes its
// events before it answers Step Functions, so when the history says a step ended, the worker's account
// is in the journal already; the run reads it there and does not write the step a second time.
// A run that attaches to a running execution (`--attach`) reads its history from the start, and another
// follower may have journaled its first part: the blocks' events and run-finished already there are not
// written again either.
import type { BlockEvent, RunEvent, StepFinished, StepLog, StepStarted } from '../run/events.ts';

/** A retry's warning, as the history reader and the worker both word it: `attempt 2 failed: …`. */
const RETRY = /^attempt (\d+) failed\b/;

/** What the journal holds of the steps, to tell which history events it has already. */
interface Journaled {
  readonly runStarted: boolean;
  readonly runFinished: boolean;
  /** `b1#2 guard 3`: a block's event (blockKey). */
  readonly blocks: ReadonlySet<string>;
  /** `s4@2`: an attempt's step-started. */
  readonly started: ReadonlySet<string>;
  /** `s4@2 passed`: an attempt's end and status. */
  readonly finished: ReadonlySet<string>;
  /** `s4@2`: a log line saying that attempt failed. */
  readonly retries: ReadonlySet<string>;
}

function journaledOf(events: readonly RunEvent[]): Journaled {
  const started = new Set<string>();
  const finished = new Set<string>();
  const retries = new Set<string>();
  const blocks = new Set<string>();
  let runStarted = false;
  let runFinished = false;
  for (const event of events) {
    if (event.type === 'run-started') runStarted = true;
    else if (event.type === 'run-finished') runFinished = true;
    else if (event.type === 'block') blocks.add(blockKey(event));
    else if (event.type === 'step-started') started.add(`${event.stepId}@${event.attempt}`);
    else if (event.type === 'step-finished') finished.add(`${event.stepId}@${event.attempt} ${event.status}`);
    else if (event.type === 'log') {
      const attempt = RETRY.exec(event.message)?.[1];
      if (attempt !== undefined) retries.add(`${event.stepId}@${attempt}`);
    }
  }
  return { runStarted, runFinished, started, finished, retries, blocks };
}

/** A block's event, once per run: each block instance (`b1#2`) says each thing once, a guard once per iteration. */
const blockKey = (event: BlockEvent): string => `${event.blockId} ${event.what} ${event.iteration ?? ''}`;

/**
 * Follows one run's history-derived events, batch by batch. A history step-started is held back: it is
 * written only with the step's end, when no worker journaled that attempt.
 */
export class RunShare {
  private readonly starts = new Map<string, StepStarted>();

  /**
   * Takes the next batch of the run's history-derived events; returns what of it goes to the journal,
   * given the journal's events (called again with a newer journal when another writer got in first).
   */
  take(history: readonly RunEvent[]): (journal: readonly RunEvent[]) => RunEvent[] {
    const held = new Map(this.starts);
    for (const event of history) if (event.type === 'step-started') this.starts.set(event.stepId, event);
    return (journal) => added(history, journaledOf(journal), new Map(held));
  }
}

function added(history: readonly RunEvent[], journaled: Journaled, held: Map<string, StepStarted>): RunEvent[] {
  const out: RunEvent[] = [];
  for (const event of history) {
    if (event.type === 'step-started') held.set(event.stepId, event);
    else if (event.type === 'step-finished') out.push(...stepEnd(event, journaled, held.get(event.stepId)));
    else if (event.type === 'log') {
      if (!isJournaledRetry(event, journaled)) out.push(event);
    } else if (event.type === 'block') {
      if (!journaled.blocks.has(blockKey(event))) out.push(event);
    } else if (event.type === 'run-started') {
      if (!journaled.runStarted) out.push(event);
    } else if (event.type === 'run-finished') {
      if (!journaled.runFinished) out.push(event);
    } else out.push(event);
  }
  return out;
}

/** A step's end from the history, with its attempt's start, unless a worker journaled that end. */
function stepEnd(event: StepFinished, journaled: Journaled, start: StepStarted | undefined): RunEvent[] {
  const attempt = `${event.stepId}@${event.attempt}`;
  if (journaled.finished.has(`${attempt} ${event.status}`)) return [];
  const withStart = start !== undefined && start.attempt === event.attempt && !journaled.started.has(attempt);
  return withStart ? [start, event] : [event];
}

function isJournaledRetry(event: StepLog, journaled: Journaled): boolean {
  const attempt = RETRY.exec(event.message)?.[1];
  return attempt !== undefined && journaled.retries.has(`${event.stepId}@${attempt}`);
}
