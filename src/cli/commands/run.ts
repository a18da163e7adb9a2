// `seqrun run FILE` (and the short form `seqrun FILE`): bind the diagram and execute it.
import type { Argv } from '../args.ts';
import type { RunIo } from '../../app/io.ts';
import type { CommandSpec, Io } from '../io.ts';
import { drillKill } from '../drill.ts';
import { runProcess, type RunProcess } from '../run-process.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';
import { projectInputsHelp } from './inputs-help.ts';

export interface RunArgs {
  readonly diagram: string;
  readonly var: readonly string[];
  readonly dryRun: boolean;
  readonly format: 'auto' | 'plain' | 'json';
  readonly junit?: string;
  readonly leaveJobs: boolean;
  readonly config?: string;
  readonly profile?: string;
  readonly sandbox?: boolean;
  readonly maxErrors?: number;
  readonly journal?: string;
  readonly waitForLease: boolean;
  readonly engine?: 'local' | 'stepfunctions';
  readonly attach?: boolean;
}

/** Options `run` and `resume` share. */
export function runOptions(y: Argv): Argv {
  return y
    .option('var', { type: 'string', array: true, default: [], describe: 'A run variable NAME=VALUE (repeatable)' })
    .option('format', {
      choices: ['auto', 'plain', 'json'] as const,
      default: 'auto' as const,
      describe: 'auto: live list on a terminal, plain lines otherwise; json: NDJSON events',
    })
    .option('junit', { type: 'string', describe: 'Also write a JUnit XML report (one test case per step) to this file' })
    .option('leave-jobs', {
      type: 'boolean',
      default: false,
      describe: 'When the run stops, leave open jobs running instead of cancelling them',
    })
    .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
    .option('profile', { type: 'string', describe: 'A config profile' })
    .option('journal', {
      type: 'string',
      describe: "Also journal to S3 (s3://BUCKET/PREFIX), holding a lease on the release there; over the config's journal",
    })
    .option('wait-for-lease', {
      type: 'boolean',
      default: false,
      describe:
        'With an S3 journal: wait while another run holds the release, instead of refusing (--engine stepfunctions: wait for its running execution to end)',
    })
    .option('max-errors', MAX_ERRORS_OPTION);
}

/** Parses `--var` values; a malformed one is a usage error. */
export function parseVars(values: readonly string[]): Record<string, string> | string {
  const vars: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) return `--var '${value}' is not NAME=VALUE`;
    vars[value.slice(0, eq).trim()] = value.slice(eq + 1);
  }
  return vars;
}

/** The report options that come from the process: its stop signals, the event loop and the kill drills' hook. */
export function reportSignals(proc: RunProcess, env: Io['env']) {
  return { interrupt: proc.interrupt, force: proc.force, onLoopDrained: proc.onLoopDrained, afterJournal: drillKill(env) };
}

export function runIo(io: Io, maxErrors?: number): RunIo {
  return { ...io, rows: process.stdout.rows || 24, pid: process.pid, maxErrors };
}

const spec: CommandSpec<RunArgs> = {
  command: ['run <diagram>', '$0 <diagram>'],
  describe: 'Run a diagram (a .seq file or doc.md#diagram); `seqrun FILE` is short for `seqrun run FILE`',
  builder: (y) =>
    runOptions(y)
      .positional('diagram', { type: 'string', describe: 'A .seq file or doc.md#slug' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Bind and print what would run; execute nothing' })
      .option('engine', {
        type: 'string',
        choices: ['local', 'stepfunctions'],
        default: 'local',
        describe: 'Where it runs: here, or an execution of the Step Functions machine `seqrun deploy` made (docs/engines.md)',
      })
      .option('attach', {
        type: 'boolean',
        default: false,
        describe: 'With --engine stepfunctions: when an execution of this release is running, follow it instead of refusing',
      })
      .option('sandbox', {
        type: 'boolean',
        default: false,
        describe: 'Start the local sandbox (seqrun sandbox up), run against it, then stop it',
      }),
  helpMore: (args, io) => projectInputsHelp(args, io),
  run: async (args, io) => {
    // Bare `seqrun`: the command line has already said a command or diagram is missing.
    if (typeof args.diagram !== 'string' || args.diagram === '') return 2;
    const vars = parseVars(args.var);
    if (typeof vars === 'string') {
      io.stderr(`seqrun run: ${vars}\n`);
      return 2;
    }
    if (args.engine === 'stepfunctions') return (await import('./run-stepfunctions.ts')).runOnStepFunctions(args, vars, io);
    if (args.attach === true) {
      io.stderr(
        'seqrun run: --attach is for --engine stepfunctions; on the local engine a second run of a release waits with --wait-for-lease\n',
      );
      return 2;
    }
    const { startRun } = await import('../../app/start.ts');
    const proc = runProcess(io, io.isTTY && args.format === 'auto' && !args.dryRun);
    try {
      const request = {
        diagram: args.diagram,
        vars,
        dryRun: args.dryRun,
        configPath: args.config,
        profile: args.profile,
        journal: args.journal,
        waitForLease: args.waitForLease,
      };
      const report = { format: args.format, junit: args.junit, leaveJobs: args.leaveJobs, ...reportSignals(proc, io.env) };
      if (!args.sandbox || args.dryRun) return proc.exit(await startRun(request, report, runIo(io, args.maxErrors)));
      const { withSandboxAround } = await import('../../app/sandbox-around.ts');
      return proc.exit(
        await withSandboxAround('run', io, { vars, signal: proc.interrupt }, (around) =>
          startRun(request, report, runIo(io, args.maxErrors), around),
        ),
      );
    } finally {
      proc.dispose();
    }
  },
};
export default spec;
