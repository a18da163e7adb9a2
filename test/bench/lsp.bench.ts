// `npm run bench -- lsp`: after an edit in one fence of a 1,000-step Markdown document, the time until
// `seqrun lsp` publishes the new diagnostics (goal ≤50 ms), against the named baseline, a full check of
// the same document (parse every fence, bind every step, as `seqrun check` does once its bindings are
// loaded) measured in the same run. The server runs as users start it (bin/seqrun.js → dist/, over
// stdio, driven by a real LSP client); the model behind it (DiagramDocument) is also timed in-process.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DidChangeTextDocumentNotification, DidOpenTextDocumentNotification } from 'vscode-languageserver-protocol/node';
import { bind, loadProject, unusedHandlers } from '../../src/bind/index.ts';
import { DiagramDocument } from '../../src/lsp/document.ts';
import { parseText } from '../../src/syntax/files.ts';
import { repo, startServer, uriOf } from '../lsp/client.ts';

const STEPS = 1_000;
const ROUNDS = Number(process.env['SEQRUN_BENCH_ROUNDS'] ?? 40);
const CONFIG = join(repo, 'test/fixtures/seed-bindings/seqrun.config.ts');

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const p90 = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)] ?? Number.NaN;

/** The seed's three diagrams as fences, in turn, until the document holds at least STEPS steps. */
async function document(): Promise<{ text: string; steps: number; fences: number }> {
  const seeds = await Promise.all(['current', 'interim', 'final'].map((n) => readFile(join(repo, `specs/${n}.seq`), 'utf8')));
  let text = '# Release processes\n';
  let steps = 0;
  let fences = 0;
  while (steps < STEPS) {
    const body = seeds[fences % seeds.length] as string;
    text += `\n## Stage ${fences + 1}\n\n\`\`\`sequence\n${body}\`\`\`\n`;
    steps += parseText(body, { file: 'x.seq' }).diagrams[0]?.steps.length ?? 0;
    fences++;
  }
  return { text, steps, fences };
}

/** The document with its middle fence's `Copy repo to S3` worded as `Copy repo to S4` (an undefined step) or back. */
function edited(text: string, fences: number, broken: boolean): string {
  const marker = `## Stage ${Math.ceil(fences / 2)}\n`;
  const at = text.indexOf(marker);
  const end = text.indexOf('```\n', text.indexOf('```sequence', at) + 3);
  const fence = text.slice(at, end).replace(broken ? 'Copy repo to S3' : 'Copy repo to S4', broken ? 'Copy repo to S4' : 'Copy repo to S3');
  return text.slice(0, at) + fence + text.slice(end);
}

async function throughServer(text: string, fences: number, dir: string): Promise<number[]> {
  const client = await startServer(dir, ['--config', CONFIG, '--profile', 'all']);
  const uri = uriOf(join(dir, 'doc.md'));
  await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: 'markdown', version: 1, text },
  });
  const base = (await client.diagnosticsFor(uri)).length;
  const times: number[] = [];
  for (let round = 0; round < ROUNDS + 5; round++) {
    const broken = round % 2 === 0;
    const next = edited(text, fences, broken);
    const start = performance.now();
    await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: round + 2 },
      contentChanges: [{ text: next }],
    });
    await client.diagnosticsFor(uri, (d) => d.length === base + (broken ? 1 : 0));
    if (round >= 5) times.push(performance.now() - start);
  }
  await client.stop();
  return times;
}

async function inProcess(text: string, fences: number): Promise<{ incremental: number[]; full: number[] }> {
  const { project } = await loadProject({ cwd: repo, configPath: CONFIG, profile: 'all' });
  if (!project) throw new Error('the seed bindings did not load');
  const binder = { registry: project.registry, config: project.config, version: 1 };
  const doc = new DiagramDocument(join(repo, 'doc.md'));
  doc.update(text, binder);
  const incremental: number[] = [];
  const full: number[] = [];
  for (let round = 0; round < ROUNDS + 5; round++) {
    const next = edited(text, fences, round % 2 === 0);
    let start = performance.now();
    const count = doc.update(next, binder);
    doc.diagnostics();
    const tIncremental = performance.now() - start;
    if (count.parsed !== 1 || count.bound !== 1) throw new Error(`an edit re-read ${count.parsed} fences`);
    start = performance.now();
    const plans = parseText(next, { file: 'doc.md' }).diagrams.map((d) => bind(d, project.registry, project.config));
    unusedHandlers(plans, project.registry);
    const tFull = performance.now() - start;
    if (round >= 5) {
      incremental.push(tIncremental);
      full.push(tFull);
    }
  }
  return { incremental, full };
}

export default async function lspBench(): Promise<void> {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) console.log('(the build reported errors; dist/ was written anyway)');
  const { text, steps, fences } = await document();
  const dir = await mkdtemp(join(tmpdir(), 'seqrun-lsp-bench-'));
  await writeFile(join(dir, 'doc.md'), text);
  try {
    const server = await throughServer(text, fences, dir);
    const local = await inProcess(text, fences);
    const full = median(local.full);
    console.log(`A ${steps}-step Markdown document in ${fences} fences; an edit in one fence; ${ROUNDS} rounds, median (p90).\n`);
    console.log('| measured | median ms | p90 ms | full check ÷ this | goal |');
    console.log('|---|---|---|---|---|');
    const row = (name: string, times: readonly number[], goal: string) =>
      console.log(`| ${name} | ${median(times).toFixed(2)} | ${p90(times).toFixed(2)} | ${(full / median(times)).toFixed(1)}x | ${goal} |`);
    row('`seqrun lsp`: didChange → publishDiagnostics, over stdio', server, '≤50 ms');
    row('DiagramDocument.update: the changed fence re-parsed and re-bound, in-process', local.incremental, '');
    row('baseline: full check of the document (parse all, bind all, unused), in-process', local.full, '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
