// `seqrun check [PATH...]`: exit 0 only when every step of every diagram binds to exactly one handler
// and every handler is used. 1: drift found; 2: config, binding or parse errors.
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { CommandSpec, Io } from '../io.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';
import type { CheckFormat, CheckSummary } from './check-output.ts';

interface CheckArgs {
  readonly paths: string[];
  readonly allowUnused: boolean;
  readonly format: CheckFormat;
  readonly config?: string;
  readonly profile?: string;
  readonly maxErrors?: number;
}

async function report(
  io: Io,
  format: CheckFormat,
  diagnostics: readonly Diagnostic[],
  summary: CheckSummary,
  fatal: boolean,
  maxErrors?: number,
): Promise<void> {
  const { relative, isAbsolute, sep } = await import('node:path');
  const output = await import('./check-output.ts');
  // Paths under the working folder are shown relative to it, in messages (candidates, earlier definitions) too.
  const here = io.cwd.endsWith(sep) ? io.cwd : io.cwd + sep;
  const local = (text: string): string => text.split(here).join('');
  const shown = diagnostics.map((d) => ({
    ...d,
    file: isAbsolute(d.file) ? relative(io.cwd, d.file) || d.file : d.file,
    message: local(d.message),
    ...(d.hint === undefined ? {} : { hint: local(d.hint) }),
  }));
  if (format === 'json') return io.stdout(output.jsonReport(shown, summary, fatal));
  if (format === 'github') {
    io.stdout(output.githubAnnotations(shown));
    return io.stdout(output.summaryLine(summary, fatal));
  }
  const { showDiagnostics } = await import('../show-diagnostics.ts');
  await showDiagnostics(io, shown, { stream: 'stdout', spaced: true, maxErrors });
  io.stdout(output.summaryLine(summary, fatal));
}

const spec: CommandSpec<CheckArgs> = {
  command: 'check [paths..]',
  describe: 'Check that every step of the diagrams binds to exactly one handler and no handler is unused',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        default: [],
        describe: "Diagrams (.seq, .md, file.md#slug, folders); default: the config's specs",
      })
      .option('allow-unused', { type: 'boolean', default: false, describe: 'Do not fail on handlers no step uses' })
      .option('format', { choices: ['pretty', 'json', 'github'] as const, default: 'pretty' as const, describe: 'Output format' })
      .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
      .option('profile', { type: 'string', describe: 'A profile of the config (default: $SEQRUN_PROFILE)' })
      .option('max-errors', MAX_ERRORS_OPTION),
  run: async (args, io) => {
    const { checkDiagrams } = await import('./check-run.ts');
    const outcome = await checkDiagrams(io, {
      paths: args.paths,
      allowUnused: args.allowUnused,
      configPath: args.config,
      profile: args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined),
    });
    await report(io, args.format, outcome.diagnostics, outcome.summary, outcome.exitCode === 2, args.maxErrors);
    if (io.verbose) for (const stack of outcome.stacks.values()) io.stderr(`${stack}\n`);
    return outcome.exitCode;
  },
};
export default spec;
