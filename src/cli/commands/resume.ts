// `seqrun resume [RUN-ID]`: continue a run from its journal (default: the one run that did not pass).
import type { CommandSpec } from '../io.ts';
import { runProcess } from '../run-process.ts';
import { parseVars, reportSignals, runOptions, runIo, type RunArgs } from './run.ts';
import { projectInputsHelp } from './inputs-help.ts';

interface ResumeArgs extends Omit<RunArgs, 'diagram' | 'dryRun'> {
  readonly runId?: string;
}

const spec: CommandSpec<ResumeArgs> = {
  command: 'resume [run-id]',
  describe: 'Continue a stopped or killed run from its journal: finished steps are kept, open jobs re-attached',
  builder: (y) =>
    runOptions(y)
      .positional('run-id', {
        type: 'string',
        describe: "The run to resume, or 'latest' (default: the one run that did not pass; several: they are listed)",
      })
      .option('sandbox', {
        type: 'boolean',
        default: false,
        describe:
          'Against a fresh sandbox, as run --sandbox; a sandbox starts empty, so only a run that did nothing in its own can continue',
      }),
  helpMore: (args, io) => projectInputsHelp(args, io),
  run: async (args, io) => {
    const vars = parseVars(args.var);
    if (typeof vars === 'string') {
      io.stderr(`seqrun resume: ${vars}\n`);
      return 2;
    }
    const { resumeRun } = await import('../../app/start.ts');
    const proc = runProcess(io, io.isTTY && args.format === 'auto');
    try {
      const request = {
        runId: args.runId,
        vars,
        configPath: args.config,
        profile: args.profile,
        journal: args.journal,
        waitForLease: args.waitForLease,
      };
      const report = { format: args.format, junit: args.junit, leaveJobs: args.leaveJobs, ...reportSignals(proc, io.env) };
      if (!args.sandbox) return proc.exit(await resumeRun(request, report, runIo(io, args.maxErrors)));
      const { withSandboxAround } = await import('../../app/sandbox-around.ts');
      return proc.exit(
        await withSandboxAround('resume', io, { vars, signal: proc.interrupt }, (around) =>
          resumeRun(request, report, runIo(io, args.maxErrors), around),
        ),
      );
    } finally {
      proc.dispose();
    }
  },
};
export default spec;
