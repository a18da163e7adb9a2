// `seqrun fmt [--check] PATH...`: print .seq files and the ```sequence fences of Markdown files canonically.
import type { CommandSpec } from '../io.ts';

interface FmtArgs {
  readonly paths: string[];
  readonly check: boolean;
}

const spec: CommandSpec<FmtArgs> = {
  command: 'fmt <paths..>',
  describe: 'Format .seq files and the ```sequence fences of Markdown files (files or folders)',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: '.seq or .md files, or folders' })
      .option('check', { type: 'boolean', default: false, describe: 'Write nothing; list files that would change and exit 1' }),
  run: async (args, io) => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const { resolve } = await import('node:path');
    const { expandPaths, formatSource, parseText } = await import('../../syntax/index.ts');
    const { renderDiagnostic } = await import('../../diagnostics/index.ts');
    const color = io.isTTY && io.env['NO_COLOR'] === undefined;
    let changed = 0;
    let broken = 0;
    for (const file of await expandPaths(args.paths.map((p) => resolve(io.cwd, p)))) {
      const shown = file.startsWith(`${io.cwd}/`) ? file.slice(io.cwd.length + 1) : file;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        io.stderr(`seqrun fmt: cannot read ${shown}: no such file\n`);
        broken++;
        continue;
      }
      const errors = parseText(text, { file: shown }).diagnostics.filter((d) => d.severity === 'error');
      for (const error of errors) io.stderr(renderDiagnostic(error, text, { color }));
      if (errors.length > 0) broken++;
      const formatted = formatSource(text, file);
      if (formatted === text) continue;
      changed++;
      if (args.check) io.stdout(`${shown}\n`);
      else {
        await writeFile(file, formatted);
        io.stdout(`formatted ${shown}\n`);
      }
    }
    if (args.check && changed > 0) io.stderr(`${changed} file(s) would be reformatted; run 'seqrun fmt' on them\n`);
    if (broken > 0) io.stderr(`${broken} file(s) have errors and were left as they are where broken\n`);
    return broken > 0 || (args.check && changed > 0) ? 1 : 0;
  },
};
export default spec;
