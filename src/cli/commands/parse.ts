// `seqrun parse [--json] PATH...`: read diagrams and report what they mean and what is wrong.
import type { FileRead, ParseResult } from '../../syntax/index.ts';
import type { CommandSpec } from '../io.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';

interface ParseArgs {
  readonly paths: string[];
  readonly json: boolean;
  readonly maxErrors?: number;
}

/** One line per diagram: where it is, its title, how many participants and steps. */
async function summary(result: ParseResult): Promise<string> {
  const { escapeControls } = await import('../../diagnostics/index.ts');
  return result.diagrams
    .map((diagram) => {
      const where = diagram.name === null ? result.file : `${result.file}#${diagram.slug ?? ''}`;
      const title = diagram.title === null ? '' : ` "${diagram.title}"`;
      return `${escapeControls(`${where}${title}`, { singleLine: true })}: ${diagram.participants.length} participants, ${diagram.steps.length} steps\n`;
    })
    .join('');
}

const spec: CommandSpec<ParseArgs> = {
  command: 'parse <paths..>',
  describe: 'Parse .seq and Markdown files (or folders, or file.md#slug) and show the diagrams and diagnostics',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: '.seq or .md files, folders, or file.md#slug' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the JSON contract instead of a summary' })
      .option('max-errors', MAX_ERRORS_OPTION),
  run: async (args, io) => {
    const { parseResultJson } = await import('../../syntax/index.ts');
    const { showDiagnostics } = await import('../show-diagnostics.ts');
    const { exitCode, readPaths } = await import('../diagram-files.ts');
    const reads: FileRead[] = [];
    for await (const read of readPaths(args.paths, io)) reads.push(read);
    const all = reads.flatMap(({ result }) => result.diagnostics);
    if (args.json) {
      io.stdout(`${JSON.stringify({ files: reads.map(({ result }) => parseResultJson(result)) }, null, 2)}\n`);
      return exitCode(all);
    }
    const texts = new Map(reads.flatMap(({ result, source }) => (source ? [[result.file, source.text] as const] : [])));
    for (const { result } of reads) {
      io.stdout(await summary(result));
      await showDiagnostics(io, result.diagnostics, { maxErrors: args.maxErrors, texts });
    }
    const errors = all.filter((d) => d.severity === 'error').length;
    if (all.length > 0) io.stderr(`${errors} error(s), ${all.length - errors} warning(s)\n`);
    return exitCode(all);
  },
};
export default spec;
