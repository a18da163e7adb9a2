// `seqrun diff [BASE] [PATHS...]`: what a change to the documents and bindings does to the pipeline,
// compared with BASE (default: the merge base with the default branch). Exit 0 whether or not anything
// changed; 1 when a diagram of the working tree does not parse; 2 when git, BASE or the config fail.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { CommandSpec, Io } from '../io.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';

type DiffFormat = 'text' | 'json' | 'markdown';

interface DiffArgs {
  readonly base?: string;
  readonly paths: string[];
  readonly format: DiffFormat;
  readonly json: boolean;
  readonly config?: string;
  readonly profile?: string;
  readonly maxErrors?: number;
}

/** `seqrun diff specs/final.seq`: a first argument that names a file or folder here is a path, not BASE. */
async function split(io: Io, args: DiffArgs): Promise<{ base: string | undefined; paths: string[] }> {
  if (args.base === undefined) return { base: undefined, paths: args.paths };
  const isPath = await stat(resolve(io.cwd, args.base.replace(/#.*$/, ''))).then(
    () => true,
    () => false,
  );
  return isPath ? { base: undefined, paths: [args.base, ...args.paths] } : { base: args.base, paths: args.paths };
}

const spec: CommandSpec<DiffArgs> = {
  command: 'diff [base] [paths..]',
  describe: 'Show what a change to the diagrams and bindings does to the pipeline, compared with a git ref',
  builder: (y) =>
    y
      .positional('base', { type: 'string', describe: 'A git ref or commit (default: the merge base of HEAD with the default branch)' })
      .positional('paths', {
        type: 'string',
        array: true,
        default: [],
        describe: "Diagrams (.seq, .md, file.md#slug, folders); default: the config's specs",
      })
      .option('format', { choices: ['text', 'json', 'markdown'] as const, default: 'text' as const, describe: 'Output format' })
      .option('json', { type: 'boolean', default: false, describe: 'The same as --format json' })
      .option('config', { type: 'string', describe: 'The config file (default: seqrun.config.ts here or in a parent folder)' })
      .option('profile', { type: 'string', describe: 'A profile of the config (default: $SEQRUN_PROFILE)' })
      .option('max-errors', MAX_ERRORS_OPTION),
  run: async (args, io) => {
    const { loadProject } = await import('../../bind/index.ts');
    const { runRedactor } = await import('../../run/redact.ts');
    const { showDiagnostics } = await import('../show-diagnostics.ts');
    const { loadVersions, problemOf, diffVersions, diffText, diffMarkdown } = await import('../../review/index.ts');
    const { exitCode } = await import('../diagram-files.ts');
    const show = (diagnostics: readonly Diagnostic[]): Promise<void> => showDiagnostics(io, diagnostics, { maxErrors: args.maxErrors });
    const redactor = runRedactor({}, io.env);
    const profile = args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined);
    const loaded = await loadProject({ cwd: io.cwd, configPath: args.config, profile, redact: (text) => redactor.text(text) });
    if (!loaded.project || loaded.diagnostics.some((d) => d.severity === 'error')) {
      await show(loaded.diagnostics);
      return 2;
    }
    const { base, paths } = await split(io, args);
    let versions;
    try {
      versions = await loadVersions(
        { cwd: io.cwd, base, paths, configPath: args.config, profile, redact: (t) => redactor.text(t) },
        loaded.project,
      );
    } catch (error) {
      const problem = problemOf(error);
      if (!problem) throw error;
      await show([problem]);
      return 2;
    }
    const result = { base: versions.base, diagrams: diffVersions(versions.before, versions.after) };
    const format: DiffFormat = args.json ? 'json' : args.format;
    if (format === 'json') io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    else if (format === 'markdown') io.stdout(diffMarkdown(result, new Map(versions.after.diagrams.map((d) => [d.key, d.plan]))));
    else io.stdout(diffText(result, io.isTTY && io.env['NO_COLOR'] === undefined));
    await show(versions.diagnostics);
    return exitCode(versions.diagnostics.filter((d) => !d.file.startsWith('BASE:')));
  },
};
export default spec;
