// How `seqrun run --engine stepfunctions` begins: the check for a running execution of the same release
// (stepfunctions-release.ts), then StartExecution, and what it does when there is one: refuse (exit 2),
// follow it (`--attach`), or wait for it to end and check again (`--wait-for-lease`). With an S3 journal
// the check and the start happen under the release's S3 lease (src/store/lease.ts), taken just for them,
// so two runs that begin at the same moment cannot both find nothing and both start; without one, the
// window is the time between ListExecutions and StartExecution.
import { hostname } from 'node:os';
import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { escapeControls } from '../diagnostics/escape.ts';
import { EXIT } from './exit-codes.ts';
import { describeHolder, stopped, storeFor, type JournalChoice } from './journal-store.ts';
import { TWO_RUNS } from './release-lock.ts';
import { hasEnded, runningRelease, type RunningExecution } from './stepfunctions-release.ts';

/** `--attach` follows the running execution; `--wait-for-lease` waits for it; else a second one is refused. */
export type WhenRunning = 'refuse' | 'attach' | 'wait';

export type Begun =
  { readonly kind: 'started'; readonly executionArn: string } | { readonly kind: 'attached'; readonly execution: RunningExecution };

export interface BeginRequest {
  readonly sfn: SFNClient;
  readonly stateMachineArn: string;
  /** The release key, and the new execution's name and input. */
  readonly key: string;
  readonly runId: string;
  readonly input: string;
  readonly whenRunning: WhenRunning;
  /** The S3 journal, whose lease closes the race; null: none. */
  readonly choice: JournalChoice | null;
  /** Done just before StartExecution, under the lease (the S3 journal's `run-started`). */
  readonly beforeStart: () => Promise<void>;
  /** The refusal line for a running execution of the release. */
  readonly refusal: (running: RunningExecution) => string;
  readonly stderr: (text: string) => void;
  readonly pid: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  /** How often a wait looks at the running execution, and at a lease another run holds. */
  readonly waitPollMs?: number;
  readonly leasePollMs?: number;
}

/** How long a run waits for another run's check-and-start to release the lease before it says who holds it. */
export const LEASE_BUSY_MS = 20_000;

/** Starts the run's execution, or finds the release's running one; an exit code when the run is refused or stopped waiting. */
export async function beginRelease(request: BeginRequest): Promise<Begun | number> {
  let said = false;
  for (;;) {
    const found = await underStartLease(request, async (): Promise<Begun | RunningExecution> => {
      const running = await runningRelease(request.sfn, request.stateMachineArn, request.key);
      if (running === null) return { kind: 'started', executionArn: await start(request) };
      return request.whenRunning === 'attach' ? { kind: 'attached', execution: running } : running;
    });
    if (typeof found === 'number' || 'kind' in found) return found;
    if (request.whenRunning === 'refuse') {
      request.stderr(request.refusal(found));
      return EXIT.usage;
    }
    if (!said)
      request.stderr(
        `seqrun run: waiting for execution ${escapeControls(found.name)} of this release (running since ${found.startedAt.toISOString()}) to end\n`,
      );
    said = true;
    if (!(await ending(request, found.arn))) {
      request.stderr('seqrun run: stopped waiting for the release; nothing was started\n');
      return EXIT.interrupted;
    }
  }
}

async function start(request: BeginRequest): Promise<string> {
  await request.beforeStart();
  const { stateMachineArn, runId: name, input } = request;
  const { executionArn = '' } = await request.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input }));
  return executionArn;
}

/** Waits until the execution has ended: true, or false when the signal aborted first. */
async function ending(request: BeginRequest, executionArn: string): Promise<boolean> {
  for (;;) {
    if (await hasEnded(request.sfn, executionArn)) return true;
    if (await stopped(request.waitPollMs ?? 2_000, request.signal)) return false;
  }
}

/**
 * `fn` under the release's S3 lease when there is an S3 journal, released as soon as `fn` is done. A
 * lease another run holds is waited for (its own check and start take a moment): up to LEASE_BUSY_MS,
 * or for as long as it is held with `--wait-for-lease`; then the holder is named (exit 2).
 */
async function underStartLease<T>(request: BeginRequest, fn: () => Promise<T>): Promise<T | number> {
  const { choice } = request;
  if (choice === null) return fn();
  const store = await storeFor(choice.url, request.env);
  const { takeLease } = await import('../store/lease.ts');
  const lease = { runId: request.runId, pid: request.pid, ttlMs: choice.leaseSeconds * 1000, host: hostname() };
  const until = Date.now() + LEASE_BUSY_MS;
  try {
    for (;;) {
      const taken = await takeLease(store, request.key, lease);
      if (taken.ok) {
        if (taken.tookOver)
          request.stderr(`seqrun run: took over the lease of ${describeHolder(taken.tookOver)}: it ran out or its process is gone\n`);
        try {
          return await fn();
        } finally {
          await taken.lease.release();
        }
      }
      if (request.whenRunning !== 'wait' && Date.now() > until) {
        request.stderr(
          `seqrun run: ${describeHolder(taken.holder)} (${choice.url}). ${TWO_RUNS}; ` +
            `wait for it (--wait-for-lease), or, when that run is on the local engine, stop it and continue it with 'seqrun resume ${taken.holder.runId} --journal ${choice.url}'.\n`,
        );
        return EXIT.usage;
      }
      if (await stopped(request.leasePollMs ?? 250, request.signal)) {
        request.stderr('seqrun run: stopped waiting for the lease; nothing was started\n');
        return EXIT.interrupted;
      }
    }
  } finally {
    store.client.destroy();
  }
}
