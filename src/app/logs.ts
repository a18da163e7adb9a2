// `seqrun logs RUN [STEP]`: a run's handler log lines, read back from its journal. Steps are named as
// the CLI names them everywhere (`s4`, or just `4`); hooks by their ids (`h0`).
import { dirname, resolve } from 'node:path';
import { escapeControls } from '../diagnostics/escape.ts';
import type { RunEvent, StepLog } from '../run/events.ts';
import type { JournalFold } from '../run/fold.ts';
import { isMissing, readRun, runsDir, type RunMissing, type RunRead } from '../run/run-folder.ts';
import { logLines } from '../report/types.ts';
import { EXIT } from './exit-codes.ts';
import type { Io } from './io.ts';

export interface LogsRequest {
  /** A run id, or `latest`. */
  readonly run: string;
  /** `s4`, `4`, a hook's `h0`, or a loop iteration's `s12#3`; undefined: every step. */
  readonly step?: string | undefined;
  readonly configPath?: string | undefined;
  /** `--journal s3://…`: the run read from the S3 journal (where Step Functions workers write) instead of `.seqrun/runs`. */
  readonly journal?: string | undefined;
}

/** The journal id a STEP argument names: a bare number is the step with that number (`4` → `s4`). */
export function stepIdOf(step: string): string {
  return /^\d+$/.test(step) ? `s${step}` : step;
}

/** The ids a run's logs can be asked for: its steps, then the hook runs it journaled. */
function knownIds(fold: JournalFold): string[] {
  return [...fold.steps.keys(), ...fold.hooks.keys()];
}

/** Whether a log line belongs to `id`: the step itself, a loop iteration of it (`s12#3`), or a hook run of that hook (`h2:s4`). */
function belongsTo(event: StepLog, id: string): boolean {
  return event.stepId === id || event.stepId.startsWith(`${id}#`) || event.stepId.startsWith(`${id}:`);
}

/** Lists ranges of ids briefly: `s0-s12, h0, h1`. */
function idList(ids: readonly string[]): string {
  const shown = ids.slice(0, 40).join(', ');
  return ids.length > 40 ? `${shown}, ...` : shown;
}

/** The log lines of `events`, of one step or all, as the terminal shows them (`  s4 │ line`). */
export function logText(events: readonly RunEvent[], id: string | null): string {
  const logs = events.filter((e): e is StepLog => e.type === 'log' && (id === null || belongsTo(e, id)));
  return logs
    .map(
      (e) =>
        `${logLines(e)
          .map((line) => escapeControls(line))
          .join('\n')}\n`,
    )
    .join('');
}

async function projectRoot(cwd: string, configPath: string | undefined): Promise<string> {
  if (configPath) return dirname(resolve(cwd, configPath));
  const { findConfig } = await import('../bind/project.ts');
  const config = await findConfig(cwd);
  return config === null ? resolve(cwd) : dirname(config);
}

/** The run from `.seqrun/runs`, or from the S3 journal with `--journal`; null after saying why S3 could not be read. */
async function findLogged(root: string, request: LogsRequest, io: Io): Promise<RunRead | RunMissing | null> {
  if (request.journal === undefined) return readRun(runsDir(root), request.run);
  const [{ findRun }, { JournalStoreError }] = await Promise.all([import('./journal-store.ts'), import('../store/errors.ts')]);
  try {
    return await findRun(root, request.run, { url: request.journal, leaseSeconds: 60, waitForLease: false }, io.env);
  } catch (error) {
    if (!(error instanceof JournalStoreError)) throw error;
    io.stderr(`seqrun logs: ${escapeControls(error.message)}\n`);
    return null;
  }
}

export async function showLogs(request: LogsRequest, io: Io): Promise<number> {
  const root = await projectRoot(io.cwd, request.configPath);
  const found = await findLogged(root, request, io);
  if (found === null) return EXIT.usage;
  if (isMissing(found)) {
    const where = request.journal ?? runsDir(root);
    const why =
      found.kind === 'no-latest'
        ? `no runs in ${found.runs}; start one with 'seqrun run FILE'`
        : `no journal for run '${found.runId}' (looked for ${found.journal}); run ids are the folder names under ${where}`;
    io.stderr(`seqrun logs: ${escapeControls(why)}\n`);
    return EXIT.usage;
  }
  const id = request.step === undefined ? null : stepIdOf(request.step);
  if (id !== null && !knownIds(found.fold).some((known) => known === id || known.startsWith(`${id}:`))) {
    const known = idList(knownIds(found.fold));
    io.stderr(
      escapeControls(`seqrun logs: run ${found.runId} has no step '${request.step ?? ''}'; name one of ${known} (a number N means sN)\n`),
    );
    return EXIT.usage;
  }
  const text = logText(found.read.events, id);
  if (text === '') io.stderr(`seqrun logs: run ${found.runId}${id === null ? '' : ` step ${id}`} logged nothing\n`);
  io.stdout(text);
  return EXIT.passed;
}
