// What reporters know about a run besides its events: the steps as the diagram shows them.
import type { StepKind } from '../bind/types.ts';
import type { HookKind } from '../bind/hooks.ts';
import { baseId, type HookFinished, type HookStarted, type RunEvent, type StepLog, type StepStatus } from '../run/events.ts';
import { formatDuration } from './duration.ts';
import { foldJournal, tallySteps } from '../run/fold.ts';

export interface StepMeta {
  readonly id: string;
  readonly kind: StepKind;
  readonly mode?: 'sync' | 'job';
  /** The step's line as written: `Pay CI->AWS: Trigger CodeBuild (ARM)`. */
  readonly label: string;
  readonly line: number;
  readonly column: number;
}

/** A mermaid block (SEMANTICS.md 7), for a block that failed itself: a condition that threw, a loop's bound, a top-level break. */
export interface BlockMeta {
  readonly id: string;
  /** Its header as written: `loop for each app`. */
  readonly label: string;
  readonly line: number;
  readonly column: number;
}

export interface RunMeta {
  /** The diagram as the user named it, for locations (`specs/final.seq:4:1`). */
  readonly diagram: string;
  readonly steps: readonly StepMeta[];
  /** mermaid blocks; absent or empty for js-sequence diagrams. */
  readonly blocks?: readonly BlockMeta[];
  readonly journal: string;
}

/**
 * Where an id the run names is drawn: a step (`s4`), a loop iteration's step (`s4#2`, drawn as `s4`),
 * or a block (`b0`, `b0#2`). The failed step of a run is any of them.
 */
export function locator(meta: RunMeta): (id: string) => StepMeta | BlockMeta | undefined {
  const byId = new Map<string, StepMeta | BlockMeta>([...meta.steps, ...(meta.blocks ?? [])].map((s) => [s.id, s]));
  return (id) => byId.get(id) ?? byId.get(baseId(id));
}

/** A reporter subscribes to events; `close` is called once after `run-finished`. */
export interface Reporter {
  onEvent(event: RunEvent): void;
  close(): void;
}

export type Tally = Record<StepStatus, number>;

/**
 * The events of a run so far, folded for its summary: each step counted once, with its latest status.
 * Seeded with a resumed run's earlier events, so that the summary counts the whole run ("9 passed"),
 * not only the part after the resume.
 */
export class StepTally {
  private readonly events: RunEvent[];

  constructor(history: readonly RunEvent[] = []) {
    this.events = history.filter(isStepFinished);
  }

  record(event: RunEvent): void {
    if (isStepFinished(event)) this.events.push(event);
  }

  counts(): Tally {
    return tallySteps(foldJournal(this.events));
  }
}

function isStepFinished(event: RunEvent): boolean {
  return event.type === 'step-finished';
}

const HOOK_WHEN = { 'before-run': 'before run', 'after-run': 'after run', 'on-failure': 'on failure' } as const;

/** When a hook runs, as reports say it: `before run: Announce`, `on failure of s4: Page`. */
export function hookWhen(hook: { readonly kind: HookKind; readonly name: string; readonly failedStep?: string | null }): string {
  const of = hook.failedStep === undefined || hook.failedStep === null ? '' : ` of ${hook.failedStep}`;
  return `${HOOK_WHEN[hook.kind]}${of}: ${hook.name}`;
}

/** A hook run as reports name it: `hook [h0] before run: Announce`, `hook [h2] on failure of s4: Page`. */
export function hookLabel(event: HookStarted | HookFinished): string {
  return `hook [${event.hookId}] ${hookWhen({ kind: event.hook, name: event.name, failedStep: event.failedStep ?? null })}`;
}

/**
 * A handler's log line as the terminal shows it: `  s4 │ message` (a hook's under its id, `h0`),
 * `warn:`/`error:` before the message, each line of a multi-line message prefixed alike.
 */
export function logLines(event: StepLog): string[] {
  const level = event.level === 'info' ? '' : `${event.level}: `;
  return `${level}${event.message}`.split(/\r\n|\r|\n/).map((line) => `  ${event.stepId} │ ${line}`);
}

export function summaryLine(status: string, durationMs: number, tally: Tally, journal: string): string {
  const parts = [`${tally.passed} passed`, `${tally.failed} failed`, `${tally.cancelled} cancelled`, `${tally.skipped} skipped`];
  return `run ${status} in ${formatDuration(durationMs)}: ${parts.join(', ')} (journal: ${journal})`;
}
