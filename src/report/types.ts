// What reporters know about a run besides its events: the steps as the diagram shows them.
import type { StepKind } from '../bind/types.ts';
import type { RunEvent, StepStatus } from '../run/events.ts';
import { formatDuration } from './duration.ts';

export interface StepMeta {
  readonly id: string;
  readonly kind: StepKind;
  readonly mode?: 'sync' | 'job';
  /** The step's line as written: `Pay CI->AWS: Trigger CodeBuild (ARM)`. */
  readonly label: string;
  readonly line: number;
  readonly column: number;
}

export interface RunMeta {
  /** The diagram as the user named it, for locations (`specs/final.seq:4:1`). */
  readonly diagram: string;
  readonly steps: readonly StepMeta[];
  readonly journal: string;
}

/** A reporter subscribes to events; `close` is called once after `run-finished`. */
export interface Reporter {
  onEvent(event: RunEvent): void;
  close(): void;
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

/**
 * Each step's latest status. Seeded with a resumed run's earlier events, so that the summary counts
 * the whole run ("9 passed"), not only the part after the resume.
 */
export class StepTally {
  private readonly latest = new Map<string, StepStatus>();

  constructor(history: readonly RunEvent[] = []) {
    for (const event of history) this.record(event);
  }

  record(event: RunEvent): void {
    if (event.type === 'step-finished') this.latest.set(event.stepId, event.status);
  }

  counts(): Tally {
    const tally: Tally = { passed: 0, failed: 0, skipped: 0, cancelled: 0 };
    for (const status of this.latest.values()) tally[status] += 1;
    return tally;
  }
}

export function summaryLine(status: string, durationMs: number, tally: Tally, journal: string): string {
  const parts = [`${tally.passed} passed`, `${tally.failed} failed`, `${tally.cancelled} cancelled`, `${tally.skipped} skipped`];
  return `run ${status} in ${formatDuration(durationMs)}: ${parts.join(', ')} (journal: ${journal})`;
}
