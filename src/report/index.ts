// Reporters subscribe to run events; this picks them from the command line's wishes.
import { JsonReporter } from './json.ts';
import { JunitReporter } from './junit.ts';
import { LiveReporter } from './live.ts';
import { PlainReporter } from './plain.ts';
import type { Reporter, RunMeta } from './types.ts';
import type { RunEvent } from '../run/events.ts';

export type { Reporter, RunMeta, StepMeta } from './types.ts';
export { junitXml } from './junit.ts';

export interface ReporterChoice {
  readonly format: 'auto' | 'plain' | 'json';
  /** A terminal that is not CI: the live list. */
  readonly tty: boolean;
  readonly noColor: boolean;
  readonly rows: number;
  readonly write: (text: string) => void;
  readonly junit?: { readonly save: (xml: string) => void; readonly history: readonly RunEvent[] };
  /** The run's stop signal, which the live list shows. */
  readonly interrupt?: AbortSignal;
  /** Earlier events of a resumed run, which the live list shows. */
  readonly history?: readonly RunEvent[];
}

export function createReporters(meta: RunMeta, choice: ReporterChoice): Reporter[] {
  const reporters: Reporter[] = [];
  if (choice.format === 'json') reporters.push(new JsonReporter(choice.write));
  else if (choice.format === 'auto' && choice.tty)
    reporters.push(
      new LiveReporter(meta, choice.write, {
        noColor: choice.noColor,
        rows: choice.rows,
        ...(choice.interrupt ? { interrupt: choice.interrupt } : {}),
        ...(choice.history ? { history: choice.history } : {}),
      }),
    );
  else reporters.push(new PlainReporter(meta, choice.write, choice.history));
  if (choice.junit) reporters.push(new JunitReporter(meta, choice.junit.save, choice.junit.history));
  return reporters;
}
