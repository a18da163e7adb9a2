// `seqrun export --to stepfunctions FILE`: the bound plan as an Amazon States Language state machine.
import type { CommandSpec } from '../io.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';

interface ExportArgs {
  readonly file: string;
  readonly to: string;
  readonly output?: string;
  readonly queue?: string;
  readonly config?: string;
  readonly profile?: string;
  readonly maxErrors?: number;
}

const spec: CommandSpec<ExportArgs> = {
  command: 'export <file>',
  describe: 'Compile a diagram for another engine: an AWS Step Functions state machine (Amazon States Language)',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'One diagram (.seq, .mmd, file.md#slug)' })
      .option('to', { type: 'string', demandOption: true, choices: ['stepfunctions'], describe: 'The engine to compile for' })
      .option('output', { alias: 'o', type: 'string', describe: 'Write the machine to this file (default: stdout)' })
      .option('queue', { type: 'string', describe: 'The SQS queue URL the workers poll (default: the ${SeqrunQueueUrl} placeholder)' })
      .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
      .option('profile', { type: 'string', describe: 'A profile of the config (default: $SEQRUN_PROFILE)' })
      .option('max-errors', MAX_ERRORS_OPTION),
  run: async (args, io) => {
    const { relative, resolve } = await import('node:path');
    const { writeFile } = await import('node:fs/promises');
    const { loadForCheck } = await import('./check-run.ts');
    const { bindCheckingParticipants } = await import('../../bind/index.ts');
    const { toStateMachine } = await import('../../engines/stepfunctions/compile.ts');
    const { showDiagnostics } = await import('../show-diagnostics.ts');
    const show = (diagnostics: Parameters<typeof showDiagnostics>[1]): Promise<void> =>
      showDiagnostics(io, diagnostics, { maxErrors: args.maxErrors });
    const loaded = await loadForCheck(io, {
      paths: [args.file],
      configPath: args.config,
      profile: args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined),
    });
    await show(loaded.diagnostics);
    if (loaded.fatal || !loaded.project) return 2;
    const [diagram, ...others] = loaded.diagrams;
    if (!diagram || others.length > 0) {
      io.stderr(`seqrun: ${args.file} holds ${loaded.diagrams.length} diagrams: export one, named as file.md#slug.\n`);
      return 2;
    }
    const plan = bindCheckingParticipants(diagram, loaded.project.registry, loaded.project.config);
    if (plan.diagnostics.some((d) => d.severity === 'error')) {
      await show(plan.diagnostics);
      return 1;
    }
    const source = relative(io.cwd, diagram.file).split('\\').join('/') + (diagram.slug ? `#${diagram.slug}` : '');
    const { machine, diagnostics } = toStateMachine(plan, { source, ...(args.queue ? { queueUrl: args.queue } : {}) });
    await show([...plan.diagnostics, ...diagnostics]);
    if (!machine) return 1;
    const text = `${JSON.stringify(machine, null, 2)}\n`;
    if (args.output) await writeFile(resolve(io.cwd, args.output), text);
    else io.stdout(text);
    return 0;
  },
};
export default spec;
