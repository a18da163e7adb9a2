// `seqrun parse [--json] PATH...`: read diagrams and report what they mean and what is wrong.
import type { ParseResult } from '../../syntax/index.ts';
import type { CommandSpec, Io } from '../io.ts';

interface ParseArgs {
  readonly paths: string[];
  readonly json: boolean;
}

interface Input {
  readonly result: ParseResult;
  /** The file's text, for code frames; empty when it could not be read. */
  readonly text: string;
}

/** Every file the arguments name (folders expanded, `file.md#slug` kept), parsed. */
async function readInputs(paths: readonly string[], io: Io): Promise<Input[]> {
  const { readFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const syntax = await import('../../syntax/index.ts');
  const entries: string[] = [];
  for (const path of paths) entries.push(...(syntax.splitSelector(path).slug === null ? await syntax.expandPaths([path]) : [path]));
  const inputs: Input[] = [];
  for (const entry of entries) {
    const { path, slug } = syntax.splitSelector(entry);
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, path), 'utf8');
    } catch (error) {
      inputs.push({ result: syntax.unreadable(path, error), text: '' });
      continue;
    }
    const result = syntax.parseText(text, { file: path });
    const chosen = slug === null ? null : syntax.selectDiagram(result, entry);
    if (slug !== null && !chosen) {
      const known = result.diagrams.map((d) => d.slug).filter((s) => s !== null).join(', ') || 'none';
      const missing = syntax.diagnostic('SEQ002', `no diagram '#${slug}' in ${path} (known: ${known})`, path, null);
      inputs.push({ result: { ...result, diagrams: [], diagnostics: [...result.diagnostics, missing] }, text });
    } else inputs.push({ result: chosen ? { ...result, diagrams: [chosen] } : result, text });
  }
  return inputs;
}

const spec: CommandSpec<ParseArgs> = {
  command: 'parse <paths..>',
  describe: 'Parse .seq and Markdown files (or folders, or file.md#slug) and show the diagrams and diagnostics',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: '.seq or .md files, folders, or file.md#slug' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the JSON contract instead of a summary' }),
  run: async (args, io) => {
    const { parseResultJson } = await import('../../syntax/index.ts');
    const { renderDiagnostic } = await import('../../diagnostics/index.ts');
    const inputs = await readInputs(args.paths, io);
    const all = inputs.flatMap(({ result }) => result.diagnostics);
    const errors = all.filter((d) => d.severity === 'error').length;
    if (args.json) {
      io.stdout(`${JSON.stringify({ files: inputs.map(({ result }) => parseResultJson(result)) }, null, 2)}\n`);
      return errors > 0 ? 1 : 0;
    }
    const color = io.isTTY && io.env['NO_COLOR'] === undefined;
    for (const { result, text } of inputs) {
      for (const diagram of result.diagrams) {
        const where = diagram.name === null ? result.file : `${result.file}#${diagram.slug ?? ''}`;
        const title = diagram.title === null ? '' : ` "${diagram.title}"`;
        io.stdout(`${where}${title}: ${diagram.participants.length} participants, ${diagram.steps.length} steps\n`);
      }
      for (const diagnostic of result.diagnostics) io.stderr(renderDiagnostic(diagnostic, text, { color }));
    }
    if (all.length > 0) io.stderr(`${errors} error(s), ${all.length - errors} warning(s)\n`);
    return errors > 0 ? 1 : 0;
  },
};
export default spec;
