// `--format json`: every event as one JSON line, the journal's own format, on stdout.
import type { RunEvent } from '../run/events.ts';
import type { Reporter } from './types.ts';

export class JsonReporter implements Reporter {
  private readonly write: (text: string) => void;
  constructor(write: (text: string) => void) {
    this.write = write;
  }

  onEvent(event: RunEvent): void {
    this.write(`${JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  }

  close(): void {}
}
