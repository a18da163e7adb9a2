// `seqrun fmt --to mermaid [--write] PATH...`: js-sequence diagrams converted into mermaid diagrams with
// the same meaning. A `.seq` file prints its mermaid text (with --write: FILE.mmd beside it); a Markdown
// file prints itself with every ```sequence fence a ```mermaid fence (with --write: rewritten in place).
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { FileRead } from '../../syntax/index.ts';
import type { Io } from '../io.ts';

export interface ConvertArgs {
  readonly paths: string[];
  readonly write: boolean;
  readonly maxErrors?: number;
}

/** The `.mmd` path beside a `.seq` file. */
export function mermaidPath(file: string): string {
  return /\.seq$/i.test(file) ? file.replace(/\.seq$/i, '.mmd') : `${file}.mmd`;
}

interface Outcome {
  /** Text for stdout (without --write), or null. */
  readonly printed: string | null;
  /** Diagrams left as they were because they have errors or cannot be converted. */
  readonly broken: number;
  /** Why diagrams cannot be converted (SEQ150). */
  readonly diagnostics: readonly Diagnostic[];
}

async function convertFile(read: FileRead, args: ConvertArgs, io: Io): Promise<Outcome> {
  const { writeFile } = await import('node:fs/promises');
  const { resolve } = await import('node:path');
  const { escapeControls } = await import('../../diagnostics/index.ts');
  const { convertSource } = await import('../../syntax/mermaid/format.ts');
  const { isMarkdown, isMermaidFile } = await import('../../syntax/files.ts');
  const file = read.result.file;
  const shown = escapeControls(file, { singleLine: true });
  const none = { printed: null, broken: 0, diagnostics: [] };
  if (read.source === null) return none;
  if (isMermaidFile(file)) {
    io.stderr(`seqrun fmt: ${shown} is already mermaid; nothing to convert\n`);
    return none;
  }
  const result = convertSource(read.source.text, file);
  const diagnostics = result.diagnostics;
  if (isMarkdown(file) && result.converted === 0 && result.broken === 0)
    io.stderr(`seqrun fmt: ${shown} has no \`\`\`sequence fence to convert\n`);
  if (result.converted === 0) return { printed: null, broken: result.broken, diagnostics };
  if (!args.write) return { printed: result.text, broken: result.broken, diagnostics };
  const markdown = isMarkdown(file);
  const target = markdown ? file : mermaidPath(file);
  await writeFile(resolve(io.cwd, target), markdown && read.source.bom ? `\ufeff${result.text}` : result.text);
  const what = markdown ? `converted ${result.converted} diagram(s) in` : 'wrote';
  io.stdout(`${what} ${escapeControls(target, { singleLine: true })}\n`);
  return { printed: null, broken: result.broken, diagnostics };
}

export async function convertCommand(args: ConvertArgs, io: Io): Promise<number> {
  const { showDiagnostics } = await import('../show-diagnostics.ts');
  const { exitCode, readPaths } = await import('../diagram-files.ts');
  const { escapeControls } = await import('../../diagnostics/index.ts');
  const printed: { file: string; text: string }[] = [];
  let broken = 0;
  let worst = 0;
  for await (const read of readPaths(args.paths, io)) {
    const errors = read.result.diagnostics.filter((d) => d.severity === 'error');
    const texts = new Map(read.source ? [[read.result.file, read.source.text]] : []);
    await showDiagnostics(io, errors, { maxErrors: args.maxErrors, texts });
    worst = Math.max(worst, exitCode(errors));
    const outcome = await convertFile(read, args, io);
    await showDiagnostics(io, outcome.diagnostics, { maxErrors: args.maxErrors, texts });
    broken += outcome.broken;
    if (outcome.printed !== null) printed.push({ file: read.result.file, text: outcome.printed });
  }
  // Several files on stdout: each after a comment line naming it (`%%` reads as a comment in mermaid).
  for (const p of printed) io.stdout(`${printed.length > 1 ? `%% ${escapeControls(p.file, { singleLine: true })}\n` : ''}${p.text}`);
  if (broken > 0) io.stderr(`seqrun fmt: ${broken} diagram(s) have errors and were not converted\n`);
  return Math.max(worst, broken > 0 ? 1 : 0);
}
