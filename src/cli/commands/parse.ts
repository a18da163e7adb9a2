// `seqrun parse [--json] PATH...`: read diagrams and report what they mean and what is wrong.
import type { CommandSpec, Io } from '../io.ts';

interface ParseArgs {
  readonly paths: string[];
  readonly json: boolean;
}

/** Paths stay as the user wrote them (relative to the working directory) in every message. */
function resolveIn(_io: Io, path: string): string {
  return path;
}

function colorFor(io: Io): boolean {
  return io.isTTY && io.env['NO_COLOR'] === undefined;
}

const spec: CommandSpec<ParseArgs> = {
  command: 'parse <paths..>',
  describe: 'Parse .seq and Markdown files (or folders) and show the diagrams and diagnostics',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: '.seq or .md files, folders, or file.md#slug' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the JSON contract instead of a summary' }),
  run: async (args, io) => {
    const { readFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    const { expandPaths, parseText, parseResultJson, selectDiagram, splitSelector } = await import('../../syntax/index.ts');
    const { renderDiagnostic } = await import('../../diagnostics/index.ts');
    const files: string[] = [];
    for (const path of args.paths) files.push(...(splitSelector(path).slug === null ? await expandPaths([resolveIn(io, path)]) : [path]));
    const results = [];
    let failed = false;
    for (const entry of files) {
      const { path, slug } = splitSelector(entry);
      let text: string;
      try {
        text = await readFile(resolve(io.cwd, path), 'utf8');
      } catch (error) {
        const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
        io.stderr(`seqrun parse: cannot read ${path}: ${reason}\n`);
        failed = true;
        continue;
      }
      let result = parseText(text, { file: path });
      if (slug !== null) {
        const chosen = selectDiagram(result, entry);
        if (!chosen) {
          io.stderr(`seqrun parse: no diagram '#${slug}' in ${path}; known: ${result.diagrams.map((d) => d.slug).join(', ') || 'none'}\n`);
          failed = true;
          continue;
        }
        result = { ...result, diagrams: [chosen] };
      }
      if (result.diagnostics.some((d) => d.severity === 'error')) failed = true;
      results.push({ result, text });
    }
    if (args.json) {
      io.stdout(`${JSON.stringify({ files: results.map(({ result }) => parseResultJson(result)) }, null, 2)}\n`);
      return failed ? 1 : 0;
    }
    const color = colorFor(io);
    for (const { result, text } of results) {
      for (const diagram of result.diagrams) {
        const where = diagram.name === null ? result.file : `${result.file}#${diagram.slug ?? ''}`;
        const title = diagram.title === null ? '' : ` "${diagram.title}"`;
        io.stdout(`${where}${title}: ${diagram.participants.length} participants, ${diagram.steps.length} steps\n`);
      }
      for (const diagnostic of result.diagnostics) io.stderr(renderDiagnostic(diagnostic, text, { color }));
    }
    const errors = results.reduce((n, { result }) => n + result.diagnostics.filter((d) => d.severity === 'error').length, 0);
    const warnings = results.reduce((n, { result }) => n + result.diagnostics.filter((d) => d.severity === 'warning').length, 0);
    if (errors + warnings > 0) io.stderr(`${errors} error(s), ${warnings} warning(s)\n`);
    return failed ? 1 : 0;
  },
};
export default spec;
