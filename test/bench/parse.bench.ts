// `npm run bench -- parse`: seqrun's parser against mermaid's own sequence parser (`mermaid.parse`),
// the named baseline, on the same generated diagrams of 1k, 10k and 100k statements, in one process.
// Prints statements per second, the ratio, and the 10x-growth check (10x the input, at most 11x the time).
import { performance } from 'node:perf_hooks';
import mermaid from 'mermaid';
import { parseSource } from '../../src/syntax/index.ts';

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

/** CPU time (user + system) of this process in ms while `run` runs. */
async function cpuTime(run: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/**
 * Best CPU time in ms of repeated runs (at least `minRuns`, until `budgetMs` of wall time has
 * passed). CPU time and the minimum, because the machine is shared: other processes only add time.
 */
async function measure(run: () => unknown, minRuns: number, budgetMs: number): Promise<number> {
  await run();
  const times: number[] = [];
  const started = performance.now();
  while (times.length < minRuns || (performance.now() - started < budgetMs && times.length < 50)) {
    times.push(await cpuTime(run));
  }
  return Math.min(...times);
}

/**
 * A second reference for growth: a plain per-line regular expression that keeps one small object per
 * statement (no locations, no recovery). Whatever it loses from 10k to 100k is the machine's memory
 * hierarchy, not an algorithm.
 */
const LINE = /^(?:Note (left of|right of|over) ([^:]+)|([^-]+)(-->>|->>|-->|->)([^:]+)):(.*)$/;
function regexReader(text: string): unknown[] {
  const found: unknown[] = [];
  for (let start = 0; start < text.length; ) {
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
  oursMs: number;
  regexMs: number;
  mermaidMs: number;
  mermaidMeasured: boolean;
}

function rate(statements: number, ms: number): string {
  return Math.round((statements / ms) * 1000).toLocaleString('en-US');
}

/** Rounds over all sizes: the best time per size is taken over every round, so a burst of load from
 * other processes during one size does not bend the growth figures. */
const ROUNDS = 3;

export default async function bench(): Promise<void> {
  const inputs = SIZES.map((statements) => ({ statements, ...generate(statements) }));
  for (const input of inputs) {
    const check = parseSource(input.seq, { file: 'bench.seq' });
    if (check.diagnostics.length > 0 || check.diagrams[0]?.steps.length !== input.statements) throw new Error('generated diagram does not parse cleanly');
  }
  const ours = new Map<number, number>();
  const regex = new Map<number, number>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const input of inputs) {
      const ms = await measure(() => parseSource(input.seq, { file: 'bench.seq' }), 3, 1_000);
      ours.set(input.statements, Math.min(ms, ours.get(input.statements) ?? Infinity));
      const regexMs = await measure(() => regexReader(input.seq), 3, 500);
      regex.set(input.statements, Math.min(regexMs, regex.get(input.statements) ?? Infinity));
    }
  }
  const rows: Row[] = [];
  for (const input of inputs) {
    const { statements } = input;
    const mermaidMeasured = statements <= MERMAID_MAX;
    const last = rows[rows.length - 1];
    const mermaidMs = mermaidMeasured
      ? await measure(() => mermaid.parse(input.mermaid), 1, 1_000)
      : last ? (last.mermaidMs / last.statements) * statements : Number.NaN;
    rows.push({ statements, oursMs: ours.get(statements) ?? Number.NaN, regexMs: regex.get(statements) ?? Number.NaN, mermaidMs, mermaidMeasured });
  }
  console.log('CPU time of this process, best of several runs; mermaid beyond SEQRUN_BENCH_MERMAID_MAX statements is extrapolated linearly from its largest measured size.\n');
  console.log('| statements | seqrun ms | seqrun stmts/s | mermaid.parse ms | mermaid stmts/s | ratio | per-line regex stmts/s |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const mark = row.mermaidMeasured ? '' : ' (extrapolated)';
    console.log(
      `| ${row.statements.toLocaleString('en-US')} | ${row.oursMs.toFixed(1)} | ${rate(row.statements, row.oursMs)} | ${row.mermaidMs.toFixed(0)}${mark} | ${rate(row.statements, row.mermaidMs)}${mark} | ${(row.mermaidMs / row.oursMs).toFixed(0)}x${mark} | ${rate(row.statements, row.regexMs)} |`,
    );
  }
  console.log('\n10x growth (time ratio for 10x the statements; linear means <= 11):');
  for (let i = 1; i < rows.length; i++) {
    const [small, large] = [rows[i - 1], rows[i]];
    if (!small || !large) continue;
    const growth = large.oursMs / small.oursMs;
    console.log(`- seqrun ${small.statements.toLocaleString('en-US')} -> ${large.statements.toLocaleString('en-US')}: ${growth.toFixed(2)}x ${growth <= 11 ? 'ok' : 'NOT LINEAR'}`);
    console.log(`- per-line regex ${small.statements.toLocaleString('en-US')} -> ${large.statements.toLocaleString('en-US')}: ${(large.regexMs / small.regexMs).toFixed(2)}x`);
    if (small.mermaidMeasured && large.mermaidMeasured) {
      console.log(`- mermaid ${small.statements.toLocaleString('en-US')} -> ${large.statements.toLocaleString('en-US')}: ${(large.mermaidMs / small.mermaidMs).toFixed(2)}x`);
    }
  }
}
