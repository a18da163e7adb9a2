// `--format json`: every event as one JSON line, the journal's own format, on stdout.
import type { RunEvent } from '../run/events.ts';
import type { Reporter } from './types.ts';

export class JsonReporter implements Reporter {
  constructor(private readonly write: (text: string) => void) {}

  onEvent(event: RunEvent): void {
    this.write(`${JSON.stringify(event, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
  }

  close(): void {}
}
