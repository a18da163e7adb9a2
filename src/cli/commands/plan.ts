// `seqrun plan FILE`: how each step of a diagram binds and runs, without running anything.
import { inputsList } from './inputs-help.ts';
import type { CommandSpec } from '../io.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';

interface PlanArgs {
  readonly file: string;
  readonly json: boolean;
  readonly config?: string;
  readonly profile?: string;
  readonly maxErrors?: number;
}

const spec: CommandSpec<PlanArgs> = {
  command: 'plan <file>',
  describe: 'Show the execution plan of a diagram: handlers, arguments, jobs, reply pairing, expectations',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'A diagram (.seq, .md, file.md#slug)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the plan as JSON' })
      .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
      .option('profile', { type: 'string', describe: 'A profile of the config (default: $SEQRUN_PROFILE)' })
      .option('max-errors', MAX_ERRORS_OPTION),
  run: async (args, io) => {
    const { loadForCheck } = await import('./check-run.ts');
    const { bindCheckingParticipants } = await import('../../bind/index.ts');
    const { planTable } = await import('./plan-table.ts');
    const { planJson } = await import('./plan-json.ts');
    const { showDiagnostics } = await import('../show-diagnostics.ts');
    const show = (diagnostics: Parameters<typeof showDiagnostics>[1]): Promise<void> =>
      showDiagnostics(io, diagnostics, { maxErrors: args.maxErrors });
    const loaded = await loadForCheck(io, {
      paths: [args.file],
      configPath: args.config,
      profile: args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined),
    });
    const project = loaded.project;
    if (loaded.fatal || !project) {
      await show(loaded.diagnostics);
      if (io.verbose) for (const stack of loaded.stacks.values()) io.stderr(`${stack}\n`);
      return 2;
    }
    await show(loaded.diagnostics);
    const plans = loaded.diagrams.map((d) => bindCheckingParticipants(d, project.registry, project.config));
    if (args.json)
      io.stdout(
        `${JSON.stringify(
          plans.map((p) => planJson(p, io.cwd)),
          null,
          2,
        )}\n`,
      );
    else io.stdout(plans.map((p) => planTable(p, io.cwd)).join('\n') + inputsList(project.config.vars));
    const diagnostics = plans.flatMap((p) => p.diagnostics);
    await show(diagnostics);
    return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
  },
};
export default spec;
