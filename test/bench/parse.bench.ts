// `npm run bench -- parse`: seqrun's parser against HackMD's (the named baseline, paired; see
// parse-hackmd.ts) on real-sized diagrams and on generated ones of 1k, 10k and 100k statements; then
// against mermaid's own sequence parser (`mermaid.parse`) on the same generated diagrams, in one process.
// Prints statements per second, the ratios, and the 10x-growth check (10x the input, at most 11x the time).
// Every size reads the same number of statements per timed batch, so that each pays its own garbage
// collections (the best of single parses would leave them out at 1,000 statements only).
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import mermaid from 'mermaid';
import { parseSource } from '../../src/syntax/index.ts';
import { hackmdParse, measurePaired, printPaired, realDiagrams } from './parse-hackmd.ts';
import type { PairedInput } from './parse-hackmd.ts';

const SIZES = [1_000, 10_000, 100_000] as const;
/** mermaid is measured up to this size; beyond it its time is extrapolated linearly (and marked so). */
const MERMAID_MAX = Number(process.env['SEQRUN_BENCH_MERMAID_MAX'] ?? 10_000);

/** The seed's statement shapes, numbered so that every line differs. */
function generate(statements: number): { seq: string; mermaid: string } {
  const seq: string[] = [];
  const mer: string[] = ['sequenceDiagram'];
  for (let i = 0; i < statements; i++) {
    switch (i % 5) {
      case 0:
        seq.push(`Pay CI->AWS: Push #build-candidate-${i} (x86) to ECR`);
        mer.push(`    Pay CI->>AWS: Push #build-candidate-${i} (x86) to ECR`);
        break;
      case 1:
        seq.push(`AWS-->Pay CI: Success ${i}`);
        mer.push(`    AWS-->>Pay CI: Success ${i}`);
        break;
      case 2:
        seq.push(`Note right of AWS: Tests passed ${i}`);
        mer.push(`    Note right of AWS: Tests passed ${i}`);
        break;
      case 3:
        seq.push(`Note left of Pay CI: Slack notification ${i}`);
        mer.push(`    Note left of Pay CI: Slack notification ${i}`);
        break;
      default:
        seq.push(`Pay CI->>Dockerhub: Push latest-master ${i} to Dockerhub`);
        mer.push(`    Pay CI-)Dockerhub: Push latest-master ${i} to Dockerhub`);
    }
  }
  return { seq: `${seq.join('\n')}\n`, mermaid: `${mer.join('\n')}\n` };
}

/** A full collection before each batch, so that no batch inherits another's garbage. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Main-thread GC pauses (ms) by start time, to report how much of a batch's wall time they took. */
const pauses: { start: number; duration: number }[] = [];
const pauseObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, duration: entry.duration });
});

interface Batch {
  /** CPU time of the process (every thread: GC helpers included) per parse. */
  cpuMs: number;
  wallMs: number;
  started: number;
  ended: number;
  reps: number;
}

/**
 * Parses `text` (of `statements` statements) as often as it takes to read BATCH statements, in one
 * timed batch: every size does the same amount of work and pays its own garbage collections. Timing
 * single parses and keeping the best (as this benchmark once did) hides the collections at 1,000
 * statements (one parse in several needs one) but cannot at 100,000 (every parse needs several).
 * With `retain`, every result of the batch stays alive until it ends: the heap holds BATCH statements'
 * ASTs at every size.
 */
function batch(run: () => unknown, statements: number, gc: () => void, retain = false): Batch {
  const reps = Math.max(1, Math.round(BATCH / statements));
  const kept: unknown[] = [];
  gc();
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < reps; i++) {
    const result = run();
    if (retain) kept.push(result);
  }
  const ended = performance.now();
  const cpu = process.cpuUsage(cpu0);
  kept.length = 0;
  return { cpuMs: (cpu.user + cpu.system) / 1000 / reps, wallMs: (ended - started) / reps, started, ended, reps };
}

/** The main thread's GC pauses per parse during the batch, in ms. */
function pausedMs(b: Batch): number {
  let paused = 0;
  for (const pause of pauses) if (pause.start >= b.started && pause.start < b.ended) paused += pause.duration;
  return paused / b.reps;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Best CPU time in ms of a few single runs (for mermaid, which takes seconds per 10,000 statements). */
async function bestOf(run: () => unknown, runs: number): Promise<number> {
  await run();
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

/**
 * A second reference for growth: a plain per-line regular expression that keeps one small object per
 * statement (no locations, no recovery). Whatever it loses from 10k to 100k is the machine's memory
 * hierarchy, not an algorithm.
 */
const LINE = /^(?:Note (left of|right of|over) ([^:]+)|([^-]+)(-->>|->>|-->|->)([^:]+)):(.*)$/;
function regexReader(text: string): unknown[] {
  const found: unknown[] = [];
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const match = LINE.exec(text.slice(start, end));
    if (match) found.push({ a: match[2] ?? match[3], b: match[5], text: match[6] });
    start = end + 1;
  }
  return found;
}

interface Row {
  statements: number;
  /** Medians over the rounds, per parse. */
  oursMs: number;
  oursWallMs: number;
  oursPausedMs: number;
  oursSameHeapMs: number;
  regexMs: number;
  mermaidMs: number;
  mermaidMeasured: boolean;
}

function rate(statements: number, ms: number): string {
  return Math.round((statements / ms) * 1000).toLocaleString('en-US');
}

/** Statements read per timed batch, at every size. */
const BATCH = 100_000;
/** Interleaved rounds over all sizes; each figure is the median over the rounds, so that a burst of
 * load from other processes during one batch does not bend the growth figures. */
const ROUNDS = Number(process.env['SEQRUN_BENCH_ROUNDS'] ?? 7);

type Input = ReturnType<typeof generate> & { statements: number };

async function measureOurs(inputs: readonly Input[]): Promise<Map<number, Omit<Row, 'mermaidMs' | 'mermaidMeasured' | 'statements'>>> {
  const gc = collector();
  const runs = new Map(
    inputs.map((input) => [
      input.statements,
      { cpu: [] as number[], wall: [] as number[], paused: [] as number[], heap: [] as number[], regex: [] as number[] },
    ]),
  );
  pauseObserver.observe({ entryTypes: ['gc'] });
  for (let round = 0; round < ROUNDS; round++) {
    for (const input of inputs) {
      const parse = () => parseSource(input.seq, { file: 'bench.seq' });
      const found = runs.get(input.statements);
      const plain = batch(parse, input.statements, gc);
      await new Promise((resolve) => setTimeout(resolve, 5)); // lets the GC entries of the batch arrive
      found?.cpu.push(plain.cpuMs);
      found?.wall.push(plain.wallMs);
      found?.paused.push(pausedMs(plain));
      found?.heap.push(batch(parse, input.statements, gc, true).cpuMs);
      found?.regex.push(batch(() => regexReader(input.seq), input.statements, gc).cpuMs);
    }
  }
  pauseObserver.disconnect();
  return new Map(
    [...runs].map(([statements, r]) => [
      statements,
      {
        oursMs: median(r.cpu),
        oursWallMs: median(r.wall),
        oursPausedMs: median(r.paused),
        oursSameHeapMs: median(r.heap),
        regexMs: median(r.regex),
      },
    ]),
  );
}

function growthLine(label: string, rows: readonly Row[], pick: (row: Row) => number, verdict: boolean): string[] {
  const lines: string[] = [];
  for (let i = 1; i < rows.length; i++) {
    const [small, large] = [rows[i - 1], rows[i]];
    if (!small || !large) continue;
    const growth = pick(large) / pick(small);
    const judged = verdict ? (growth <= 11 ? ' ok' : ' NOT LINEAR') : '';
    lines.push(
      `- ${label} ${small.statements.toLocaleString('en-US')} -> ${large.statements.toLocaleString('en-US')}: ${growth.toFixed(2)}x${judged}`,
    );
  }
  return lines;
}

function printTable(rows: readonly Row[]): void {
  console.log(
    `Per parse: the median over ${ROUNDS} rounds of batches that each read ${BATCH.toLocaleString('en-US')} statements (1,000 statements 100 times, ..., 100,000 once) after a full GC, in CPU time of the process, garbage collection included. mermaid: best of single runs; beyond SEQRUN_BENCH_MERMAID_MAX statements extrapolated linearly from its largest measured size.\n`,
  );
  console.log(
    '| statements | seqrun ms | seqrun stmts/s | seqrun wall ms | of which GC pauses ms | mermaid.parse ms | mermaid stmts/s | ratio | per-line regex stmts/s |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const mark = row.mermaidMeasured ? '' : ' (extrapolated)';
    console.log(
      `| ${row.statements.toLocaleString('en-US')} | ${row.oursMs.toFixed(1)} | ${rate(row.statements, row.oursMs)} | ${row.oursWallMs.toFixed(1)} | ${row.oursPausedMs.toFixed(1)} | ${row.mermaidMs.toFixed(0)}${mark} | ${rate(row.statements, row.mermaidMs)}${mark} | ${(row.mermaidMs / row.oursMs).toFixed(0)}x${mark} | ${rate(row.statements, row.regexMs)} |`,
    );
  }
  console.log('\n10x growth (time ratio for 10x the statements; linear means <= 11):');
  const lines = [
    ...growthLine('seqrun, GC included (the goal)', rows, (r) => r.oursMs, true),
    ...growthLine(
      `seqrun, GC included, every result of the batch kept (the same ${BATCH.toLocaleString('en-US')}-statement heap at every size)`,
      rows,
      (r) => r.oursSameHeapMs,
      false,
    ),
    ...growthLine('per-line regex', rows, (r) => r.regexMs, false),
    ...growthLine(
      'mermaid',
      rows.filter((r) => r.mermaidMeasured),
      (r) => r.mermaidMs,
      false,
    ),
  ];
  for (const line of lines) console.log(line);
}

/** The generated sizes, and real-sized diagrams (5-50 lines) parsed one call each, repeated. */
function pairedInputs(inputs: readonly Input[]): PairedInput[] {
  const real = realDiagrams();
  let statements = 0;
  for (const text of real) {
    const parsed = parseSource(text, { file: 'bench.seq' });
    if (parsed.diagnostics.some((d) => d.severity === 'error')) throw new Error('a real diagram does not parse');
    hackmdParse(text);
    statements += parsed.diagrams[0]?.statements.length ?? 0;
  }
  return [
    { label: `${real.length} real diagrams (specs/*.seq, corpus), one call each`, statements, texts: real },
    ...inputs.map((input) => ({
      label: `generated, ${input.statements.toLocaleString('en-US')} statements`,
      statements: input.statements,
      texts: [input.seq],
    })),
  ];
}

export default async function bench(): Promise<void> {
  const inputs: Input[] = SIZES.map((statements) => ({ statements, ...generate(statements) }));
  for (const input of inputs) {
    const check = parseSource(input.seq, { file: 'bench.seq' });
    if (check.diagnostics.length > 0 || check.diagrams[0]?.steps.length !== input.statements)
      throw new Error('generated diagram does not parse cleanly');
  }
  printPaired(measurePaired(pairedInputs(inputs), ROUNDS, BATCH, collector()), ROUNDS);
  if (process.env['SEQRUN_BENCH_HACKMD_ONLY']) return;
  const ours = await measureOurs(inputs);
  const rows: Row[] = [];
  for (const input of inputs) {
    const { statements } = input;
    const mermaidMeasured = statements <= MERMAID_MAX;
    const last = rows[rows.length - 1];
    const mermaidMs = mermaidMeasured
      ? await bestOf(() => mermaid.parse(input.mermaid), 2)
      : last
        ? (last.mermaidMs / last.statements) * statements
        : Number.NaN;
    const measured = ours.get(statements) ?? {
      oursMs: Number.NaN,
      oursWallMs: Number.NaN,
      oursPausedMs: Number.NaN,
      oursSameHeapMs: Number.NaN,
      regexMs: Number.NaN,
    };
    rows.push({ statements, ...measured, mermaidMs, mermaidMeasured });
  }
  printTable(rows);
}
