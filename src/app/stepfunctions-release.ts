// One execution of a release at a time on Step Functions. An execution's input carries the release key
// `seqrun run` derived for it (src/run/lock.ts, as the local engine's lock and the S3 lease are keyed),
// beside the vars the workers read: `{"vars": {...}, "seqrun": {"release": "<key>"}}`. Before it starts
// one, `seqrun run --engine stepfunctions` looks among the machine's RUNNING executions for one with its
// key; what it then does (refuse, follow it, wait for it) is stepfunctions-start.ts.
import { DescribeExecutionCommand, ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { escapeControls } from '../diagnostics/escape.ts';
import { sameRelease, TWO_RUNS, type Release } from './release-lock.ts';

/** An execution of the release that is still running. */
export interface RunningExecution {
  readonly name: string;
  readonly arn: string;
  readonly startedAt: Date;
  /** Its input, parsed (null when it is not JSON): its vars are the run's. */
  readonly input: unknown;
}

/** The execution input: the run's vars, which the workers hand to handlers, and its release key. */
export function executionInput(vars: Readonly<Record<string, string>>, release: string): string {
  return JSON.stringify({ vars, seqrun: { release } });
}

/** The input parsed, or null when it is not JSON. */
export function parsedInput(input: string | undefined): unknown {
  try {
    return JSON.parse(input ?? 'null') as unknown;
  } catch {
    return null;
  }
}

/** The release key an execution input carries; null for one started by another tool or an older seqrun. */
export function releaseIn(input: unknown): string | null {
  const seqrun = (input as { seqrun?: { release?: unknown } } | null)?.seqrun;
  return typeof seqrun?.release === 'string' ? seqrun.release : null;
}

/**
 * The machine's RUNNING execution of release `key`, the earliest started when there are several (all
 * pages of ListExecutions, then DescribeExecution of each for its input); null when there is none.
 */
export async function runningRelease(sfn: SFNClient, stateMachineArn: string, key: string): Promise<RunningExecution | null> {
  const running: { arn: string; name: string; startedAt: Date }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING', maxResults: 100, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const e of page.executions ?? [])
      if (e.executionArn) running.push({ arn: e.executionArn, name: e.name ?? e.executionArn, startedAt: e.startDate ?? new Date(0) });
    nextToken = page.nextToken;
  } while (nextToken);
  running.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  for (const execution of running) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.arn }));
    // It may have ended between the two calls: then it no longer holds the release.
    if (described.status !== 'RUNNING') continue;
    const input = parsedInput(described.input);
    if (releaseIn(input) === key) return { ...execution, input };
  }
  return null;
}

/** The refusal of a second execution of the release: which one runs it, since when, and what to do. */
export function alreadyRunning(running: RunningExecution, release: Release): string {
  const since = running.startedAt.toISOString();
  return (
    `seqrun run: execution ${escapeControls(running.name)} is running this release since ${since}: ${sameRelease(release)}. ` +
    `${TWO_RUNS}; follow it with --attach, wait for it to end with --wait-for-lease, ` +
    `or stop it (aws stepfunctions stop-execution --execution-arn ${escapeControls(running.arn)}).\n`
  );
}

/** Whether the execution has ended; an execution AWS no longer knows has. */
export async function hasEnded(sfn: SFNClient, executionArn: string): Promise<boolean> {
  try {
    const { status } = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    return status !== 'RUNNING';
  } catch (error) {
    if (error instanceof Error && error.name === 'ExecutionDoesNotExist') return true;
    throw error;
  }
}
