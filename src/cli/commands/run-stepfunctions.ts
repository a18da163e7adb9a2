// `seqrun run --engine stepfunctions DIAGRAM`: an execution of the machine `seqrun deploy` made for the
// diagram, followed from its history with the reporters and journal of a local run. Exit 0 when it
// succeeds, 1 when it fails (or is stopped from elsewhere), 2 when it is not deployed, was deployed from
// another version of the diagram, is given a secret --var (the workers' to have), or AWS cannot be
// reached, or when an execution of the same release is running (without --attach or --wait-for-lease);
// 130 on Ctrl-C (143 SIGTERM): the execution is stopped.
import type { Io } from '../io.ts';
import { runProcess } from '../run-process.ts';
import { runIo, type RunArgs } from './run.ts';

/** Options of a local run that mean nothing here: refused rather than silently ignored. */
const LOCAL_ONLY = [
  ['dryRun', '--dry-run'],
  ['sandbox', '--sandbox'],
  ['leaveJobs', '--leave-jobs'],
] as const;

export async function runOnStepFunctions(args: RunArgs, vars: Readonly<Record<string, string>>, io: Io): Promise<number> {
  const local = LOCAL_ONLY.filter(([key]) => args[key] === true).map(([, flag]) => flag);
  if (local.length > 0) {
    io.stderr(`seqrun run: ${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} for the local engine, not --engine stepfunctions\n`);
    return 2;
  }
  if (args.attach === true && args.waitForLease) {
    io.stderr('seqrun run: --attach follows the running execution of the release, --wait-for-lease waits for it to end: choose one\n');
    return 2;
  }
  const { runOnStepFunctions: run } = await import('../../app/stepfunctions-run.ts');
  const proc = runProcess(io, io.isTTY && args.format === 'auto');
  try {
    const profile = args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined);
    const whenRunning = args.attach === true ? 'attach' : args.waitForLease ? 'wait' : 'refuse';
    const request = { diagram: args.diagram, vars, configPath: args.config, profile, journal: args.journal, whenRunning } as const;
    const code = await run(request, { format: args.format, junit: args.junit, interrupt: proc.interrupt }, runIo(io, args.maxErrors));
    return proc.exit(code);
  } catch (error) {
    io.stderr(`seqrun run: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return proc.exit(2);
  } finally {
    proc.dispose();
  }
}
