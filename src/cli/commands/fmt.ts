// `seqrun fmt [--check] PATH...`: print .seq and .mmd files and the ```sequence and ```mermaid fences of
// Markdown files canonically; `seqrun fmt --to mermaid [--write] PATH...` converts js-sequence to mermaid
// (fmt-convert.ts). A file that cannot be read as UTF-8 is never written; a byte order mark is written back as it was.
import type { FileRead } from '../../syntax/index.ts';
import type { CommandSpec, Io } from '../io.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';

interface FmtArgs {
  readonly paths: string[];
  readonly check: boolean;
  readonly to?: 'mermaid';
  readonly write: boolean;
  readonly maxErrors?: number;
}

/** The file as `fmt` would write it, or null when it stays as it is. */
async function formatted(read: FileRead): Promise<string | null> {
  const { formatSource } = await import('../../syntax/index.ts');
  const { source, result } = read;
  if (source === null) return null;
  const text = formatSource(source.text, result.file);
  return text === source.text ? null : `${source.bom ? '\ufeff' : ''}${text}`;
}

/** Formats (or with `check`, lists) one file; true when it changed or would change. */
async function formatFile(read: FileRead, check: boolean, io: Io): Promise<boolean> {
  const { writeFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const { escapeControls } = await import('../../diagnostics/index.ts');
  const text = await formatted(read);
  if (text === null) return false;
  const shown = escapeControls(read.result.file, { singleLine: true });
  if (check) io.stdout(`${shown}\n`);
  else {
    await writeFile(resolve(io.cwd, read.result.file), text);
    io.stdout(`formatted ${shown}\n`);
  }
  return true;
}

const spec: CommandSpec<FmtArgs> = {
  command: 'fmt <paths..>',
  describe: 'Format .seq and .mmd files and the diagram fences of Markdown files, or convert js-sequence to mermaid (--to mermaid)',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: '.seq, .mmd or .md files, or folders' })
      .option('check', { type: 'boolean', default: false, describe: 'Write nothing; list files that would change and exit 1' })
      .option('to', {
        choices: ['mermaid'] as const,
        describe: 'Convert js-sequence diagrams to mermaid with the same meaning (printed; --write writes them)',
      })
      .option('write', {
        type: 'boolean',
        default: false,
        describe: 'With --to mermaid: write FILE.mmd beside a .seq file, convert a Markdown file in place',
      })
      .option('max-errors', MAX_ERRORS_OPTION),
  run: async (args, io) => {
    if (args.to === 'mermaid') {
      if (args.check) {
        io.stderr('seqrun fmt: --check and --to mermaid do not go together; convert with --to mermaid, then check with fmt --check\n');
        return 2;
      }
      return (await import('./fmt-convert.ts')).convertCommand(args, io);
    }
    const { showDiagnostics } = await import('../show-diagnostics.ts');
    const { exitCode, readPaths } = await import('../diagram-files.ts');
    let changed = 0;
    let broken = 0;
    let worst = 0;
    for await (const read of readPaths(args.paths, io)) {
      const errors = read.result.diagnostics.filter((d) => d.severity === 'error');
      const texts = new Map(read.source ? [[read.result.file, read.source.text]] : []);
      await showDiagnostics(io, errors, { maxErrors: args.maxErrors, texts });
      if (errors.length > 0) broken++;
      worst = Math.max(worst, exitCode(errors));
      if (await formatFile(read, args.check, io)) changed++;
    }
    if (args.check && changed > 0) io.stderr(`${changed} file(s) would be reformatted; run 'seqrun fmt' on them\n`);
    if (broken > 0) io.stderr(`${broken} file(s) have errors and were left as they are where broken\n`);
    return Math.max(worst, args.check && changed > 0 ? 1 : 0);
  },
};
export default spec;
