// The live step list for a terminal: every step with its status and duration, redrawn in place;
// running steps (and open jobs, while other steps run) spin. Colours unless NO_COLOR.
import { clearInterval, setInterval } from 'node:timers';
import { escapeControls } from '../diagnostics/escape.ts';
import { baseId, type RunEvent, type StepStatus } from '../run/events.ts';
import { foldJournal } from '../run/fold.ts';
import { formatDuration } from './duration.ts';
import { hookLabel, logLines, StepTally, summaryLine, type Reporter, type RunMeta } from './types.ts';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const ICON: Record<StepStatus | 'pending', string> = { passed: '✓', failed: '✗', skipped: '-', cancelled: '⊘', pending: '·' };
const COLOUR: Record<StepStatus | 'pending' | 'running', string> = {
  passed: '32',
  failed: '31',
  skipped: '90',
  cancelled: '33',
  pending: '90',
  running: '36',
};

interface Row {
  status: StepStatus | 'pending' | 'running';
  startedAt: number;
  durationMs: number;
  attempt: number;
  note: string;
  /** The loop iteration's id (`s4#2`) when the row shows a step's latest iteration. */
  shownId?: string;
}

export interface LiveOptions {
  readonly noColor: boolean;
  /** Terminal height: longer diagrams show a window around the steps in progress. */
  readonly rows: number;
  readonly tickMs?: number;
  /** Events redraw at most this often (default 50 ms); the spinner tick catches up in between. */
  readonly minRedrawMs?: number;
  /** The run's stop signal: when it fires, the list says so under the steps (a message printed
   *  beside the list would be drawn over, or leave stale lines). */
  readonly interrupt?: AbortSignal;
  /** Earlier events of a resumed run: the steps that passed before are listed as passed. */
  readonly history?: readonly RunEvent[];
}

const STOPPING = 'stopping: cancelling open jobs and closing the journal (press Ctrl-C again to force)';

export class LiveReporter implements Reporter {
  private readonly rows = new Map<string, Row>();
  private readonly tally: StepTally;
  private readonly timer: ReturnType<typeof setInterval>;
  private frame = 0;
  private drawn = 0;
  private lastDraw = 0;
  private header = '';
  private footer: string[] = [];

  private readonly meta: RunMeta;
  private readonly write: (text: string) => void;
  private readonly options: LiveOptions;
  constructor(meta: RunMeta, write: (text: string) => void, options: LiveOptions) {
    this.meta = meta;
    this.write = write;
    this.options = options;
    for (const step of meta.steps) this.rows.set(step.id, { status: 'pending', startedAt: 0, durationMs: 0, attempt: 0, note: '' });
    this.showPassedBefore(options.history ?? []);
    this.tally = new StepTally(options.history ?? []);
    this.timer = setInterval(() => this.tick(), options.tickMs ?? 100);
    this.timer.unref();
    this.write('\x1b[?25l');
    if (options.interrupt?.aborted) this.footer = [this.paint('33', STOPPING)];
    else options.interrupt?.addEventListener('abort', this.onStopping, { once: true });
  }

  /** A resume does not run passed steps again; without this they would stay pending on the list. */
  private showPassedBefore(history: readonly RunEvent[]): void {
    for (const step of foldJournal(history).steps.values()) {
      const row = this.rows.get(step.id);
      if (!row || step.status !== 'passed') continue;
      Object.assign(row, { status: 'passed', durationMs: step.durationMs ?? 0, attempt: step.attempts, note: 'before the resume' });
    }
  }

  private rowOf(id: string): Row | undefined {
    const row = this.rows.get(id) ?? this.rows.get(baseId(id));
    if (row && !this.rows.has(id)) row.shownId = id;
    return row;
  }

  private readonly onStopping = (): void => {
    if (this.footer.length === 0) this.footer = [this.paint('33', STOPPING)];
    this.draw();
  };

  private paint(code: string, text: string): string {
    return this.options.noColor ? text : `\x1b[${code}m${text}\x1b[0m`;
  }

  onEvent(event: RunEvent): void {
    // A loop iteration's step (`s4#2`) shows on its step's row, under its own id.
    const row = 'stepId' in event ? this.rowOf(event.stepId) : undefined;
    switch (event.type) {
      case 'run-started':
      case 'run-resumed':
        this.header = escapeControls(`seqrun ${event.type === 'run-started' ? 'run' : 'resume'} ${event.runId}  ${this.meta.diagram}`, {
          singleLine: true,
        });
        break;
      case 'step-started':
        if (row) Object.assign(row, { status: 'running', startedAt: Date.now(), attempt: event.attempt });
        break;
      case 'job-started':
        if (row) row.note = 'job';
        break;
      case 'step-finished':
        this.tally.record(event);
        if (row) Object.assign(row, { status: event.status, durationMs: event.durationMs, note: event.error?.message ?? row.note });
        break;
      case 'run-finished':
        this.footer = [summaryLine(event.status, event.durationMs, this.tally.counts(), this.meta.journal)];
        break;
      case 'log':
        this.printAbove(logLines(event).map((line) => escapeControls(line, { singleLine: true })));
        return;
      case 'hook-finished': {
        const icon = this.paint(COLOUR[event.status], ICON[event.status]);
        const message = escapeControls(event.error?.message ?? 'failed', { singleLine: true });
        const how =
          event.status === 'passed'
            ? this.paint('90', `  ${formatDuration(event.durationMs)}`)
            : this.paint(COLOUR.failed, `  — ${message}`);
        this.printAbove([`${icon} ${escapeControls(hookLabel(event), { singleLine: true })}${how}`]);
        return;
      }
      default:
        return;
    }
    if (Date.now() - this.lastDraw >= (this.options.minRedrawMs ?? 50)) this.draw();
  }

  private tick(): void {
    this.frame = (this.frame + 1) % SPINNER.length;
    this.draw();
  }

  private line(id: string, label: string, row: Row): string {
    const icon = row.status === 'running' ? (SPINNER[this.frame] ?? '*') : ICON[row.status];
    const elapsed = row.status === 'running' ? Date.now() - row.startedAt : row.durationMs;
    const time = row.status === 'pending' || row.status === 'skipped' ? '' : `  ${formatDuration(elapsed)}`;
    const retry = row.attempt > 1 ? `  (attempt ${row.attempt})` : '';
    // Step texts and error messages come from diagrams and handlers: controls (and line breaks, which
    // would break the redraw) are shown escaped.
    const shown = escapeControls(row.note, { singleLine: true });
    const note = shown ? `  ${row.status === 'running' || row.status === 'passed' ? shown : `— ${shown}`}` : '';
    const text = `${this.paint(COLOUR[row.status], icon)} ${escapeControls(label, { singleLine: true })}${this.paint('90', `${time}${retry}`)}${note ? this.paint(COLOUR[row.status], note) : ''}`;
    return `${this.paint('90', (row.shownId ?? id).padEnd(5))}${text}`;
  }

  /** The rows to show: all of them, or a window ending just past the last step that started. */
  private visible(all: boolean): string[] {
    const budget = all ? Number.POSITIVE_INFINITY : Math.max(5, this.options.rows - this.footer.length - 2);
    const steps = this.meta.steps;
    let last = 0;
    steps.forEach((s, i) => {
      if (this.rows.get(s.id)?.status !== 'pending') last = i;
    });
    const end = Math.min(steps.length, Math.max(last + 2, budget));
    const start = Math.max(0, end - budget);
    return steps.slice(start, end).map((s) => this.line(s.id, s.label, this.rows.get(s.id) as Row));
  }

  /**
   * Lines that stay (handler logs, finished hooks; their text already escaped) go above the list: the
   * list is cleared, the lines written where it was, and the list drawn again under them.
   */
  private printAbove(lines: readonly string[]): void {
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[0J` : '';
    this.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    this.drawn = 0;
    this.draw();
  }

  /** Redraws in place; the last frame shows every step, since it stays on screen. */
  private draw(final = false): void {
    const lines = [this.header, ...this.visible(final), ...this.footer];
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
    this.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    this.drawn = lines.length;
    this.lastDraw = Date.now();
  }

  close(): void {
    clearInterval(this.timer);
    this.options.interrupt?.removeEventListener('abort', this.onStopping);
    this.draw(true);
    this.write('\x1b[?25h');
  }
}
