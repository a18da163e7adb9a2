// `seqrun run --engine stepfunctions`: starts an execution of the deployed machine (the run id is its
// name) and follows its history, one line per state entered, finished or failed, until it ends.
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { escapeControls } from '../diagnostics/escape.ts';
import { sfnClient } from './stepfunctions-clients.ts';
import { findMachine } from './stepfunctions-deploy.ts';

export interface ExecutionRequest {
  /** The machine's name, as `seqrun deploy` gave it. */
  readonly machine: string;
  readonly runId: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  readonly print: (line: string) => void;
  readonly pollMs?: number;
}

export type ExecutionEnd = {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'NOT_DEPLOYED' | 'INTERRUPTED';
  readonly cause?: string;
};

/** One line for the events a reader follows: states entered and left, tasks failed, the end. */
export function historyLine(event: HistoryEvent): string | null {
  const clean = (text: string | undefined): string => escapeControls(text ?? '');
  if (event.stateEnteredEventDetails?.name) return `→ ${clean(event.stateEnteredEventDetails.name)}`;
  if (event.stateExitedEventDetails?.name) return `✔ ${clean(event.stateExitedEventDetails.name)}`;
  const failed = event.taskFailedEventDetails ?? event.taskTimedOutEventDetails;
  if (failed) return `✖ ${clean(failed.error)}: ${clean(failed.cause)}`;
  if (event.executionFailedEventDetails)
    return `✖ run failed: ${clean(event.executionFailedEventDetails.error)}: ${clean(event.executionFailedEventDetails.cause)}`;
  return null;
}

export async function runExecution(env: Readonly<Record<string, string | undefined>>, request: ExecutionRequest): Promise<ExecutionEnd> {
  const sfn = sfnClient(env);
  try {
    const stateMachineArn = await findMachine(sfn, request.machine);
    if (!stateMachineArn)
      return { status: 'NOT_DEPLOYED', cause: `no state machine named ${request.machine}: run seqrun deploy --engine stepfunctions first` };
    const input = JSON.stringify({ vars: request.vars });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: request.runId, input }));
    request.print(`run ${request.runId} on ${request.machine}`);
    let seen = 0;
    for (;;) {
      // The status first, then the history: an ended execution's last events are printed before it returns.
      const { status = 'RUNNING', cause } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      const events = await history(sfn, executionArn ?? '');
      for (const event of events.slice(seen)) {
        const line = historyLine(event);
        if (line) request.print(line);
      }
      seen = events.length;
      if (status !== 'RUNNING' && status !== 'PENDING_REDRIVE')
        return { status: status as ExecutionEnd['status'], ...(cause ? { cause } : {}) };
      if (request.signal.aborted) {
        await sfn.send(new StopExecutionCommand({ executionArn, error: 'seqrun.Interrupted', cause: 'stopped from the command line' }));
        return { status: 'INTERRUPTED' };
      }
      await new Promise((resolve) => setTimeout(resolve, request.pollMs ?? 500));
    }
  } finally {
    sfn.destroy();
  }
}

async function history(sfn: ReturnType<typeof sfnClient>, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
