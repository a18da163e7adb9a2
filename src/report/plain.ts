// One plain line per event: for CI logs, pipes and anything that is not a terminal.
import { escapeControls } from '../diagnostics/escape.ts';
import type { RunEvent } from '../run/events.ts';
import { blockLine } from './block-line.ts';
import { formatDuration } from './duration.ts';
import {
  hookLabel,
  locator,
  logLines,
  StepTally,
  summaryLine,
  type BlockMeta,
  type Reporter,
  type RunMeta,
  type StepMeta,
} from './types.ts';

export class PlainReporter implements Reporter {
  private readonly step: (id: string) => StepMeta | BlockMeta | undefined;
  private readonly tally: StepTally;

  /** `history`: a resumed run's earlier events, counted in the summary. */
  private readonly meta: RunMeta;
  private readonly write: (text: string) => void;
  constructor(meta: RunMeta, write: (text: string) => void, history: readonly RunEvent[] = []) {
    this.meta = meta;
    this.write = write;
    this.step = locator(meta);
    this.tally = new StepTally(history);
  }

  private where(id: string): string {
    const step = this.step(id);
    return step ? `${this.meta.diagram}:${step.line}:${step.column}` : this.meta.diagram;
  }

  private label(id: string): string {
    return `[${id}] ${this.step(id)?.label ?? ''}`;
  }

  onEvent(event: RunEvent): void {
    const line = this.lineFor(event);
    // Step texts, log lines and error messages come from diagrams and handlers: controls are shown escaped.
    if (line !== null) this.write(`${escapeControls(line)}\n`);
  }

  private lineFor(event: RunEvent): string | null {
    switch (event.type) {
      case 'run-started':
        return `run ${event.runId} started: ${event.diagram} (${event.steps.length} steps)`;
      case 'run-resumed':
        return `run ${event.runId} resumed`;
      case 'step-started':
        return `${event.attempt > 1 ? `retry (attempt ${event.attempt})` : 'start'} ${this.label(event.stepId)}`;
      case 'job-started':
        return `job started ${this.label(event.stepId)} handle=${JSON.stringify(event.handle)}`;
      case 'step-progress':
        return `progress ${this.label(event.stepId)}: ${JSON.stringify(event.part)}`;
      case 'log':
        return logLines(event).join('\n');
      case 'step-finished': {
        this.tally.record(event);
        const base = `${event.status} ${this.label(event.stepId)}`;
        if (event.status === 'passed') return `${base} (${formatDuration(event.durationMs)})`;
        if (event.status === 'skipped') return base;
        return `${base} at ${this.where(event.stepId)}: ${event.error?.message ?? event.status}`;
      }
      case 'hook-started':
        return `start ${hookLabel(event)}`;
      case 'hook-finished': {
        const base = `${event.status} ${hookLabel(event)}`;
        return event.status === 'passed' ? `${base} (${formatDuration(event.durationMs)})` : `${base}: ${event.error?.message ?? 'failed'}`;
      }
      case 'block':
        // A block that failed itself (a condition that threw, a loop's bound) is named like a failed step.
        if (event.what === 'ended' && event.status === 'failed' && event.error)
          return `failed ${this.label(event.blockId)} at ${this.where(event.blockId)}: ${event.error.message}`;
        return blockLine(event);
      case 'state':
        return null;
      case 'run-finished':
        return summaryLine(event.status, event.durationMs, this.tally.counts(), this.meta.journal);
    }
  }

  close(): void {}
}
