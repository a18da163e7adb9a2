// `seqrun render INPUT [--run RUN-ID|latest] [--journal FILE] --format FORMAT [-o OUT] [--in-place]`
import type { Diagram } from '../../ast/types.ts';
import type { CommandSpec, Io } from '../io.ts';
import { escapeControls } from '../../diagnostics/escape.ts';
import { MAX_ERRORS_OPTION } from '../show-diagnostics.ts';
import { FORMATS, RENDER_FORMATS } from '../../render/formats.ts';
import type { RenderFormat, RenderedOutput } from '../../render/formats.ts';

interface RenderArgs {
  readonly input: string;
  readonly run?: string;
  readonly journal?: string;
  readonly format?: RenderFormat;
  readonly out?: string;
  readonly inPlace: boolean;
  readonly chromium?: string;
  readonly maxErrors?: number;
}

/** Loads the diagrams; prints syntax errors with code frames and returns null when there are any. */
async function loadInput(input: string, io: Io, maxErrors: number | undefined): Promise<Diagram[] | null> {
  const { resolve } = await import('node:path');
  const { loadDiagrams } = await import('../../syntax/index.ts');
  const { showDiagnostics } = await import('../show-diagnostics.ts');
  const { diagrams, diagnostics } = await loadDiagrams(resolve(io.cwd, input));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const shown = errors.map((d) => ({ ...d, file: relativeTo(io.cwd, d.file), message: d.message.split(`${io.cwd}/`).join('') }));
  await showDiagnostics(io, shown, { maxErrors });
  if (errors.length > 0) return null;
  if (diagrams.length === 0) {
    io.stderr(
      `seqrun render: no diagrams in ${input}; give a .seq file, a Markdown file with \`\`\`sequence fences, file.md#slug, or a folder\n`,
    );
    return null;
  }
  return diagrams.map((d) => ({ ...d, file: relativeTo(io.cwd, d.file) }));
}

function relativeTo(cwd: string, file: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

async function writeOutputs(outputs: readonly RenderedOutput[], format: RenderFormat, args: RenderArgs, io: Io): Promise<number> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join, resolve } = await import('node:path');
  const { extension, binary, nameLine } = RENDER_FORMATS[format];
  if (!args.out) {
    if (binary) {
      io.stderr(`seqrun render: ${format.toUpperCase()} is binary; give an output file or folder with -o (e.g. -o diagram${extension})\n`);
      return 2;
    }
    const named = outputs.length > 1 && nameLine !== null;
    io.stdout(outputs.map((o) => (named ? nameLine(o.name) : '') + String(o.content)).join('\n'));
    return 0;
  }
  const out = resolve(io.cwd, args.out);
  const only = outputs[0];
  if (outputs.length === 1 && only && !args.out.endsWith('/')) {
    await writeFile(out, only.content);
    io.stderr(`seqrun render: wrote ${args.out}\n`);
    return 0;
  }
  await mkdir(out, { recursive: true });
  for (const o of outputs) await writeFile(join(out, `${o.name}${extension}`), o.content);
  io.stderr(`seqrun render: wrote ${outputs.length} file(s) to ${args.out}\n`);
  return 0;
}

async function renderInPlace(args: RenderArgs, diagrams: Diagram[], io: Io): Promise<number> {
  const { renderTargets } = await import('../../render/targets.ts');
  const { updateDocument } = await import('../../render/update-doc.ts');
  if (!/\.(md|markdown)$/i.test(args.input)) {
    io.stderr(`seqrun render: --in-place updates a Markdown file; ${args.input} is not one\n`);
    return 2;
  }
  const { targets, journals, notes } = await renderTargets(diagrams, {
    run: args.run ?? (args.journal ? null : 'latest'),
    journal: args.journal ?? null,
    cwd: io.cwd,
    othersLatest: true,
  });
  const result = await updateDocument(args.input, targets, journals, {
    cwd: io.cwd,
    browser: { chromiumPath: args.chromium ?? null, env: io.env },
  });
  for (const note of [...notes, ...result.problems]) io.stderr(`seqrun render: ${escapeControls(note)}\n`);
  io.stderr(`seqrun render: ${result.changed ? 'updated' : 'already up to date:'} ${args.input}\n`);
  return 0;
}

/**
 * `--journal s3://…`: the run (`--run`, default the latest) read from the S3 journal into a local
 * file, which is then drawn as `--journal FILE` is. Null after saying why it cannot be read.
 */
async function fromS3(args: RenderArgs, io: Io): Promise<RenderArgs | null> {
  const { findRun } = await import('../../app/journal-store.ts');
  const { JournalStoreError } = await import('../../store/errors.ts');
  const url = args.journal as string;
  try {
    const found = await findRun(io.cwd, args.run ?? null, { url, leaseSeconds: 60, waitForLease: false }, io.env);
    if ('kind' in found) {
      io.stderr(
        `seqrun render: ${found.kind === 'no-latest' ? `no run in ${found.runs}` : `no journal for run '${found.runId}' in ${url}`}\n`,
      );
      return null;
    }
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { eventLine } = await import('../../run/journal.ts');
    const file = join(mkdtempSync(join(tmpdir(), 'seqrun-s3-run-')), `${found.runId}.ndjson`);
    writeFileSync(file, found.read.events.map(eventLine).join(''));
    const { run: _run, ...rest } = args;
    return { ...rest, journal: file };
  } catch (error) {
    if (!(error instanceof JournalStoreError)) throw error;
    io.stderr(`seqrun render: ${escapeControls(error.message)}\n`);
    return null;
  }
}

async function renderCommand(given: RenderArgs, io: Io): Promise<number> {
  if (!given.journal?.startsWith('s3://')) return renderJournal(given, io);
  const args = await fromS3(given, io);
  if (args === null) return 2;
  const { rm } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  // The S3 run's local copy lives only as long as this command.
  return renderJournal(args, io).finally(() => rm(dirname(args.journal as string), { recursive: true, force: true }));
}

async function renderJournal(args: RenderArgs, io: Io): Promise<number> {
  if (args.run && args.journal) {
    io.stderr('seqrun render: give either --run or --journal, not both\n');
    return 2;
  }
  if (!args.inPlace && !args.format) {
    io.stderr(`seqrun render: give --format (${FORMATS.join(', ')}), or --in-place to update a Markdown file\n`);
    return 2;
  }
  const diagrams = await loadInput(args.input, io, args.maxErrors);
  if (!diagrams) return 2;
  const { RunNotFound } = await import('../../render/runs.ts');
  const { SectionError } = await import('../../render/in-place.ts');
  try {
    if (args.inPlace) return await renderInPlace(args, diagrams, io);
    const format = args.format ?? 'mermaid';
    const { renderTargets } = await import('../../render/targets.ts');
    const { render } = await import('../../render/render.ts');
    const { targets, notes } = await renderTargets(diagrams, { run: args.run ?? null, journal: args.journal ?? null, cwd: io.cwd });
    for (const note of notes) io.stderr(`seqrun render: ${escapeControls(note)}\n`);
    const { outputs, problems } = await render(targets, format, { chromiumPath: args.chromium ?? null, env: io.env });
    for (const problem of problems) io.stderr(`seqrun render: ${escapeControls(problem)}\n`);
    if (outputs.length === 0) return 2;
    const code = await writeOutputs(outputs, format, args, io);
    return code === 0 && outputs.length < targets.length ? 1 : code;
  } catch (error) {
    if (error instanceof RunNotFound) {
      io.stderr(`seqrun render: ${escapeControls(error.message)}\n`);
      return 2;
    }
    if (error instanceof SectionError) {
      io.stderr(`${args.input}:${error.line}:1 error: ${escapeControls(error.message)}\n`);
      return 2;
    }
    throw error;
  }
}

const spec: CommandSpec<RenderArgs> = {
  command: 'render <input>',
  describe: 'Draw diagrams (and what a run did) as mermaid, js-sequence, Markdown/HTML reports, SVG or PNG',
  builder: (y) =>
    y
      .positional('input', { type: 'string', describe: '.seq or .md file, file.md#slug, or a folder' })
      .option('run', { type: 'string', describe: 'Draw this run onto the diagram: a run id, or "latest" (each diagram\'s latest run)' })
      .option('journal', {
        type: 'string',
        describe: 'Draw the run in this journal file (.ndjson), or from an S3 journal (s3://BUCKET/PREFIX, with --run)',
      })
      .option('format', { alias: 'f', choices: FORMATS, describe: 'Output format' })
      .option('out', { alias: 'o', type: 'string', describe: 'Output file, or a folder for several diagrams (default: stdout)' })
      .option('in-place', {
        type: 'boolean',
        default: false,
        describe: 'Update the generated status section under each fence of a Markdown input',
      })
      .option('chromium', {
        type: 'string',
        describe: 'Chromium executable for svg/png/html (default: $SEQRUN_CHROMIUM or /usr/bin/chromium)',
      })
      .option('max-errors', MAX_ERRORS_OPTION),
  run: renderCommand,
};
export default spec;
