// `seqrun logs RUN [STEP]`: print a run's handler log lines from its journal.
import type { CommandSpec } from '../io.ts';

interface LogsArgs {
  readonly run: string;
  readonly step?: string;
  readonly config?: string;
  readonly journal?: string;
}

const spec: CommandSpec<LogsArgs> = {
  command: 'logs <run> [step]',
  describe: "Print a run's log lines from its journal, of every step or of one",
  builder: (y) =>
    y
      .positional('run', { type: 'string', demandOption: true, describe: "A run id, or 'latest'" })
      .positional('step', { type: 'string', describe: 'A step as the CLI numbers them: s4 (or 4); a hook: h0' })
      .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
      .option('journal', {
        type: 'string',
        describe:
          "The run's S3 journal (s3://bucket/prefix) instead of .seqrun/runs: where Step Functions workers journal their steps' lines",
      }),
  run: async (args, io) => {
    const { showLogs } = await import('../../app/logs.ts');
    return showLogs({ run: args.run, step: args.step, configPath: args.config, journal: args.journal }, io);
  },
};
export default spec;
