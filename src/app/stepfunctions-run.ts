// `seqrun run --engine stepfunctions`: starts an execution of the machine `seqrun deploy` made for the
// diagram (the run id is its name, the --var values its input: never a secret one, those are the
// workers', stepfunctions-vars.ts) and follows its history. The history is the run's journal: read
// back as run events (src/engines/stepfunctions/history.ts), they go to the same reporters and the same
// journal as a local run's, so `seqrun render --run` and `seqrun logs` read it.
// In the S3 journal the workers write the steps; this command adds the run's own events.
import { DescribeStateMachineCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { escapeControls } from '../diagnostics/escape.ts';
import { HistoryReader, type RunStart } from '../engines/stepfunctions/history.ts';
import { toStateMachine } from '../engines/stepfunctions/compile.ts';
import type { StateMachine } from '../engines/stepfunctions/asl.ts';
import { SeqrunError } from '../errors.ts';
import { releaseKey } from '../run/lock.ts';
import { journaledSteps } from '../run/plan-steps.ts';
import type { Redactor } from '../run/redact.ts';
import { newRunId } from '../run/run-id.ts';
import { JournalStoreError } from '../store/errors.ts';
import type { RunEvent } from '../run/events.ts';
import type { SharedJournal } from '../store/shared-journal.ts';
import { EXIT } from './exit-codes.ts';
import { RunJournal, type StepFunctionsReport } from './stepfunctions-journal.ts';
import type { RunIo } from './io.ts';
import { journalChoice, stopped } from './journal-store.ts';
import type { Prepared } from './prepare.ts';
import { trigger } from './session.ts';
import { showForRun } from './show-diagnostics.ts';
import { prepareRun } from './prepare-run.ts';
import { releaseOfRun } from './release-lock.ts';
import { sfnClient } from './stepfunctions-clients.ts';
import { executionInputs } from './stepfunctions-vars.ts';
import { findMachine, machineName } from './stepfunctions-deploy.ts';
import { HistoryTail } from './stepfunctions-history-tail.ts';
import { Outages, STOPPED } from './aws-outages.ts';
import { endpointName } from '../packs/aws/errors.ts';
import { varsOf } from './stepfunctions-message.ts';
import { alreadyRunning, executionInput } from './stepfunctions-release.ts';
import { beginRelease, type WhenRunning } from './stepfunctions-start.ts';

export type { StepFunctionsReport } from './stepfunctions-journal.ts';

/** Why an execution cannot be started: no machine for the diagram, or one deployed from another version of it. */
export class StepFunctionsRunError extends SeqrunError {
  override readonly name = 'StepFunctionsRunError';
  declare readonly code: 'NOT_DEPLOYED' | 'OTHER_VERSION';

  constructor(message: string, code: 'NOT_DEPLOYED' | 'OTHER_VERSION', options?: ErrorOptions) {
    super(message, code, options);
  }
}

export interface StepFunctionsRunRequest {
  readonly diagram: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
  /** `--journal s3://…` (over the config's `journal`): the run's own events are appended there, beside the workers' (stepfunctions-run-share.ts). */
  readonly journal?: string | undefined;
  /** When an execution of the same release is running: refuse (default), follow it (`--attach`), or wait for it (`--wait-for-lease`). */
  readonly whenRunning?: WhenRunning | undefined;
  /** How often the history is read (default 500 ms). */
  readonly pollMs?: number | undefined;
  /** The waits between tries of a history read that failed for a while (default 1 s doubling to 30 s): tests shorten them. */
  readonly outageWaits?: { readonly firstMs: number; readonly longestMs: number } | undefined;
}

const hashIn = (comment: string | undefined): string | null => /\(diagram ([0-9a-f]{12})\)/.exec(comment ?? '')?.[1] ?? null;

/** The deployed machine of the diagram; refused when there is none or it was deployed from another version of it. */
async function deployedMachine(sfn: SFNClient, prepared: Prepared, machine: StateMachine): Promise<string> {
  const name = machineName(prepared.plan.diagram);
  const arn = await findMachine(sfn, name);
  const deploy = `seqrun deploy --engine stepfunctions ${prepared.display}`;
  if (!arn) throw new StepFunctionsRunError(`no state machine named ${name}: run ${deploy} first`, 'NOT_DEPLOYED');
  const { definition = '{}' } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  const deployed = hashIn((JSON.parse(definition) as { Comment?: string }).Comment);
  const ours = hashIn(machine.Comment);
  if (deployed !== ours)
    throw new StepFunctionsRunError(
      `the state machine ${name} was deployed from another version of ${prepared.display} (diagram ${deployed ?? 'unknown'}, this one is ${ours ?? 'unknown'}): its states would not match the steps. Run ${deploy} again, and restart the workers with the same diagram`,
      'OTHER_VERSION',
    );
  return arn;
}

/** The diagram bound, its inputs applied and its machine compiled; an exit code when it cannot run. */
async function bound(request: StepFunctionsRunRequest, io: RunIo) {
  const ready = await prepareRun(request, io, executionInputs);
  if (typeof ready === 'number') return ready;
  const compiled = toStateMachine(ready.prepared.plan, { source: ready.prepared.display });
  if (!compiled.machine) return showForRun(compiled.diagnostics, io).then(() => EXIT.usage);
  return { ...ready, machine: compiled.machine };
}

export async function runOnStepFunctions(request: StepFunctionsRunRequest, report: StepFunctionsReport, io: RunIo): Promise<number> {
  const ready = await bound(request, io);
  if (typeof ready === 'number') return ready;
  const { prepared, redactor, machine } = ready;
  const sfn = sfnClient(io.env);
  const choice = journalChoice(request.journal, prepared.project.config, false);
  // The S3 journal once opened (before StartExecution, or to attach); closed at the end.
  const opened: { shared: SharedJournal | null } = { shared: null };
  try {
    const stateMachineArn = await deployedMachine(sfn, prepared, machine);
    const runId = newRunId();
    const start = runStart(prepared, redactor.vars(ready.vars), io);
    const release = releaseOfRun(prepared, ready.vars, redactor);
    const key = releaseKey(release, release.keyVars);
    const begun = await beginRelease({
      sfn,
      stateMachineArn,
      key,
      runId,
      // No secret var is among them (executionInputs): AWS keeps the input in the execution's history.
      input: executionInput(ready.vars, key),
      whenRunning: request.whenRunning ?? 'refuse',
      choice,
      // The S3 journal starts with run-started before any worker can write a step of the run there.
      beforeStart: async () => {
        if (choice)
          opened.shared = await openStore(choice.url, io.env, {
            runId,
            started: redactor.value({ type: 'run-started', at: new Date().toISOString(), runId, ...start }),
          });
      },
      refusal: (running) => alreadyRunning(running, release),
      stderr: io.stderr,
      pid: io.pid,
      env: io.env,
      signal: report.interrupt,
    });
    if (typeof begun === 'number') return begun;
    const context = { request, report, io };
    if (begun.kind === 'started')
      return await following(sfn, begun.executionArn, { ...ready, runId, start, shared: opened.shared, fresh: false }, context);
    // --attach: the release's execution is followed as if this command had started it; its journal in S3 has begun.
    const { execution } = begun;
    io.stderr(
      `seqrun run: execution ${escapeControls(execution.name)} is running this release since ${execution.startedAt.toISOString()}; following it\n`,
    );
    if (choice) opened.shared = await openStore(choice.url, io.env, null);
    const attached = { ...start, vars: redactor.vars(varsOf(execution.input)) };
    return await following(
      sfn,
      execution.arn,
      { ...ready, runId: execution.name, start: attached, shared: opened.shared, fresh: true },
      context,
    );
  } catch (error) {
    if (!(error instanceof StepFunctionsRunError || error instanceof JournalStoreError)) throw error;
    io.stderr(`seqrun run: ${escapeControls(error.message)}\n`);
    return EXIT.usage;
  } finally {
    sfn.destroy();
    opened.shared?.close();
    opened.shared?.store.client.destroy();
  }
}

/** What `run-started` says of a new run of `prepared`: the same as a local run's. */
function runStart(prepared: Prepared, vars: Readonly<Record<string, string>>, io: RunIo): RunStart {
  return {
    diagram: prepared.diagramRef,
    diagramHash: prepared.hash,
    title: prepared.plan.diagram.title,
    vars,
    trigger: trigger(io.env),
    profile: prepared.project.config.profile,
    steps: journaledSteps(prepared.plan),
  };
}

interface Followed {
  readonly prepared: Prepared;
  readonly redactor: Redactor;
  readonly machine: StateMachine;
  readonly runId: string;
  readonly start: RunStart;
  readonly shared: SharedJournal | null;
  /** The local journal is written afresh from the history (a follower attached to a run another began). */
  readonly fresh: boolean;
}

/** Follows the execution to its end: its events reported and journaled; the run's exit code. */
async function following(
  sfn: SFNClient,
  executionArn: string,
  run: Followed,
  context: { readonly request: StepFunctionsRunRequest; readonly report: StepFunctionsReport; readonly io: RunIo },
): Promise<number> {
  const { prepared, redactor, runId } = run;
  const { request, report, io } = context;
  const reader = new HistoryReader(prepared.plan, run.machine, runId, run.start);
  const journal = new RunJournal(prepared, runId, { io, report, redactor, shared: run.shared, fresh: run.fresh });
  try {
    const outages = new Outages({
      service: 'Step Functions',
      operation: 'GetExecutionHistory',
      endpoint: await endpointName(sfn),
      note: (line) => io.stderr(`seqrun run: ${escapeControls(line)}\n`),
      signal: report.interrupt,
      ...(request.outageWaits ? { waits: request.outageWaits } : {}),
    });
    return await journal.closing(() =>
      follow(sfn, executionArn, reader, journal, { signal: report.interrupt, pollMs: request.pollMs ?? 500, outages }),
    );
  } catch (error) {
    // The history could not be read: the execution goes on without us; say where it and its journal are.
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr(
      `seqrun run: stopped following ${executionArn} (${escapeControls(why)}); the execution goes on in Step Functions, and its events so far are in ${journal.path}\n`,
    );
    return EXIT.usage;
  }
}

/**
 * The run's S3 journal, shared with the workers. A run that starts the execution (`begin`) names itself
 * in `runs/latest` and writes its first segment, `run-started`; one that attaches finds both there.
 */
async function openStore(
  url: string,
  env: RunIo['env'],
  begin: { readonly runId: string; readonly started: RunEvent } | null,
): Promise<SharedJournal> {
  const [{ parseS3Location }, { s3Client }, { writeLatest }, { SharedJournal }] = await Promise.all([
    import('../store/location.ts'),
    import('../store/s3-objects.ts'),
    import('../store/s3-journal.ts'),
    import('../store/shared-journal.ts'),
  ]);
  const shared = new SharedJournal({ client: s3Client(env), location: parseS3Location(url) }, env);
  if (begin === null) return shared;
  try {
    await writeLatest(shared.store, begin.runId);
    await shared.append(begin.runId, () => [begin.started]);
  } catch (error) {
    shared.store.client.destroy();
    throw error;
  }
  return shared;
}

/**
 * Reads the history until the run has finished, or until `signal` aborts: then the execution is stopped.
 * A read that fails for a while (the endpoint down, throttling) is tried again through `outages`.
 */
async function follow(
  sfn: SFNClient,
  executionArn: string,
  reader: HistoryReader,
  journal: RunJournal,
  options: { readonly signal: AbortSignal; readonly pollMs: number; readonly outages: Outages },
): Promise<void> {
  const tail = new HistoryTail(sfn, executionArn);
  while (!reader.finished) {
    if (options.signal.aborted) {
      const stop = new StopExecutionCommand({ executionArn, error: 'seqrun.Interrupted', cause: 'stopped from the command line' });
      const refused = await sfn.send(stop).then(
        () => null,
        (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
      );
      if (refused !== null)
        journal.note(`the execution ${executionArn} could not be stopped (${refused}): stop it with aws stepfunctions stop-execution`);
      // What happened before the stop took effect, when the history can still be read; the run ends here
      // whatever the execution still does.
      await tail.next().then(
        (events) => journal.write(reader.read(events)),
        () => undefined,
      );
      const why = typeof options.signal.reason === 'string' ? options.signal.reason : 'stop request';
      await journal.write(reader.finish('interrupted', new Date(), why));
      return;
    }
    const events = await options.outages.call(() => tail.next());
    if (events !== STOPPED) await journal.write(reader.read(events));
    if (!reader.finished) await stopped(options.pollMs, options.signal);
  }
}
