// `npm run bench -- parse-mermaid`: seqrun's mermaid reader against mermaid's own parser (issue 11).
// 1. The same generated diagrams (messages with every common arrow, notes, blocks nested three deep)
//    of 1k, 10k and 100k statements through seqrun (`parseText` of a .mmd) and `mermaid.parse` (the
//    named baseline) in one process: goal ≥100x mermaid.parse, and at most 11x the time for 10x the
//    input. mermaid's parser and sequence database without mermaid.parse's configuration handling
//    (the oracle's direct path) are shown beside it.
// 2. The reader against seqrun's own js-sequence parser on equivalent content (the same messages and
//    notes, no blocks, which js-sequence cannot say), paired and interleaved: goal ≥ 2/3 of its
//    statements per second.
// seqrun is timed as parse.bench.ts times it: CPU time of the process for batches of 100,000 statements
// (GC included) after a full GC, median over interleaved rounds; mermaid as the best of single runs.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseText } from '../../src/syntax/files.ts';
import { mermaid } from '../syntax/mermaid-node.ts';
import { mermaidReadDirect } from '../syntax/mermaid-oracle.ts';

const SIZES = [1_000, 10_000, 100_000] as const;
const BATCH = 100_000;
const ROUNDS = Number(process.env['SEQRUN_BENCH_ROUNDS'] ?? 7);
/** mermaid.parse is measured up to this size (it takes seconds per 10k statements); beyond, extrapolated linearly. */
const MERMAID_MAX = Number(process.env['SEQRUN_BENCH_MERMAID_MAX'] ?? 10_000);

const BLOCKS = ['loop Every build', 'alt tests pass', 'par ARM build', 'opt release day', 'critical Deploy', 'rect rgb(200, 150, 255)'];
const SECTIONS: Readonly<Record<string, string>> = { alt: 'else tests fail', par: 'and x86 build', critical: 'option Deploy fails' };

interface Input {
  /** Messages and notes (the block lines of `mermaid` come on top). */
  statements: number;
  /** With blocks. */
  mermaid: string;
  /** The same messages and notes without blocks, in each dialect. */
  flatMermaid: string;
  flatSeq: string;
}

/** The seed's shapes of message and note, numbered so that every line differs: [mermaid, js-sequence]. */
function shape(i: number): [string, string] {
  switch (i % 5) {
    case 0:
      return [`Pay CI->>AWS: Push #build-candidate-${i} (x86) to ECR`, `Pay CI->AWS: Push #build-candidate-${i} (x86) to ECR`];
    case 1:
      return [`AWS-->>Pay CI: Success ${i}`, `AWS-->Pay CI: Success ${i}`];
    case 2:
      return [`Note right of AWS: Tests passed ${i}`, `Note right of AWS: Tests passed ${i}`];
    case 3:
      return [`Note over Pay CI,AWS: Slack notification ${i}`, `Note over Pay CI,AWS: Slack notification ${i}`];
    default:
      return [`Pay CI->Dockerhub: Push latest-master ${i}`, `Pay CI->>Dockerhub: Push latest-master ${i}`];
  }
}

/** `statements` messages and notes; in `mermaid`, blocks (with sections) nested up to three deep around them. */
export function generate(statements: number): Input {
  const mer: string[] = ['sequenceDiagram'];
  const flatMer: string[] = ['sequenceDiagram'];
  const seq: string[] = [];
  const open: string[] = [];
  const at = (depth: number) => '    '.repeat(depth);
  for (let i = 0; i < statements; i++) {
    const [m, s] = shape(i);
    flatMer.push(`    ${m}`);
    seq.push(s);
    if (i % 7 === 3 && open.length < 3) {
      const header = BLOCKS[i % BLOCKS.length] ?? 'loop x';
      mer.push(`${at(open.length + 1)}${header}`);
      open.push(header.split(' ')[0] ?? 'loop');
    } else if (i % 7 === 5 && open.length > 0) {
      const section = SECTIONS[open[open.length - 1] ?? ''];
      if (section && i % 2 === 0) mer.push(`${at(open.length)}${section}`);
      else {
        mer.push(`${at(open.length)}end`);
        open.pop();
      }
    }
    mer.push(`${at(open.length + 1)}${m}`);
  }
  for (; open.length > 0; open.pop()) mer.push(`${at(open.length)}end`);
  return { statements, mermaid: `${mer.join('\n')}\n`, flatMermaid: `${flatMer.join('\n')}\n`, flatSeq: `${seq.join('\n')}\n` };
}

function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function cpuMs(run: () => unknown, reps: number): number {
  const before = process.cpuUsage();
  for (let i = 0; i < reps; i++) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / reps;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

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

const readMermaid = (text: string) => parseText(text, { file: 'bench.mmd' });
const readSeq = (text: string) => parseText(text, { file: 'bench.seq' });

function check(input: Input): void {
  for (const [text, read, steps] of [
    [input.mermaid, readMermaid, input.statements],
    [input.flatMermaid, readMermaid, input.statements],
    [input.flatSeq, readSeq, input.statements],
  ] as const) {
    const result = read(text);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0 || result.diagrams[0]?.steps.length !== steps)
      throw new Error(`a generated diagram does not read cleanly: ${errors[0]?.message ?? `${result.diagrams[0]?.steps.length} steps`}`);
  }
  if (input.statements === SIZES[0] && mermaidReadDirect(input.mermaid)?.ok !== true)
    throw new Error('mermaid rejects the generated diagram');
}

interface Paired {
  a: number[];
  b: number[];
  ratios: number[];
}

/** Rounds of: a batch of `a`, a batch of `b` (the order alternating), per input; ratio b/a per round. */
function paired(inputs: readonly Input[], a: (i: Input) => unknown, b: (i: Input) => unknown, gc: () => void): Paired[] {
  const runs = inputs.map(() => ({ a: [] as number[], b: [] as number[], ratios: [] as number[] }));
  for (let round = 0; round < ROUNDS; round++) {
    inputs.forEach((input, i) => {
      const reps = Math.max(1, Math.round(BATCH / input.statements));
      let ta: number;
      let tb: number;
      gc();
      if (round % 2 === 0) {
        ta = cpuMs(() => a(input), reps);
        gc();
        tb = cpuMs(() => b(input), reps);
      } else {
        tb = cpuMs(() => b(input), reps);
        gc();
        ta = cpuMs(() => a(input), reps);
      }
      runs[i]?.a.push(ta);
      runs[i]?.b.push(tb);
      runs[i]?.ratios.push(tb / ta);
    });
  }
  return runs;
}

const rate = (statements: number, ms: number): string => Math.round((statements / ms) * 1000).toLocaleString('en-US');
const spread = (values: readonly number[], digits: number): string =>
  `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;

async function againstMermaid(inputs: readonly Input[], gc: () => void): Promise<void> {
  // seqrun's reader paired with mermaid's direct path (both fast enough to batch); mermaid.parse apart.
  const runs = paired(
    inputs,
    (i) => readMermaid(i.mermaid),
    (i) => mermaidReadDirect(i.mermaid),
    gc,
  );
  console.log(
    `seqrun's mermaid reader against mermaid, per parse (seqrun: median over ${ROUNDS} rounds of ${BATCH.toLocaleString('en-US')}-statement batches, CPU time, GC included; mermaid.parse: best of 2 single runs, beyond ${MERMAID_MAX.toLocaleString('en-US')} statements extrapolated linearly; mermaid's parser alone: its jison parser and SequenceDB, paired with seqrun in the same rounds):\n`,
  );
  console.log(
    '| statements | seqrun ms | seqrun stmts/s | mermaid.parse ms | ratio (goal ≥100x) | mermaid parser alone ms | ratio (spread) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  const oursMs: number[] = [];
  let perStatement = Number.NaN;
  for (const [k, input] of inputs.entries()) {
    const r = runs[k] ?? { a: [], b: [], ratios: [] };
    const ours = median(r.a);
    oursMs.push(ours);
    const measured = input.statements <= MERMAID_MAX;
    if (measured) perStatement = (await bestOf(() => mermaid.parse(input.mermaid), 2)) / input.statements;
    const parseMs = perStatement * input.statements;
    const mark = measured ? '' : ' (extrapolated)';
    console.log(
      `| ${input.statements.toLocaleString('en-US')} | ${ours.toFixed(1)} | ${rate(input.statements, ours)} | ${parseMs.toFixed(0)}${mark} | ${(parseMs / ours).toFixed(0)}x${mark} | ${median(r.b).toFixed(1)} | ${median(r.ratios).toFixed(1)}x (${spread(r.ratios, 1)}) |`,
    );
  }
  console.log('\n10x growth of seqrun (time for 10x the statements; linear means <= 11):');
  for (let i = 1; i < inputs.length; i++) {
    const growth = (oursMs[i] ?? Number.NaN) / (oursMs[i - 1] ?? Number.NaN);
    console.log(
      `- ${inputs[i - 1]?.statements.toLocaleString('en-US')} -> ${inputs[i]?.statements.toLocaleString('en-US')}: ${growth.toFixed(2)}x ${growth <= 11 ? 'ok' : 'NOT LINEAR'}`,
    );
  }
}

function againstJsSequence(inputs: readonly Input[], gc: () => void): void {
  const runs = paired(
    inputs,
    (i) => readSeq(i.flatSeq),
    (i) => readMermaid(i.flatMermaid),
    gc,
  );
  console.log(
    `\nThe mermaid reader against seqrun's js-sequence parser on the same messages and notes (no blocks), paired in ${ROUNDS} interleaved rounds; share = js-sequence time / mermaid time per round, i.e. the mermaid reader's statements per second as a share of js-sequence's (goal ≥ 0.67):\n`,
  );
  console.log('| statements | js-sequence ms | mermaid reader ms | share (median) | spread |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const [k, input] of inputs.entries()) {
    const r = runs[k] ?? { a: [], b: [], ratios: [] };
    const shares = r.ratios.map((x) => 1 / x);
    console.log(
      `| ${input.statements.toLocaleString('en-US')} | ${median(r.a).toFixed(1)} | ${median(r.b).toFixed(1)} | ${median(shares).toFixed(2)} | ${spread(shares, 2)} |`,
    );
  }
}

export default async function bench(): Promise<void> {
  const inputs = SIZES.map(generate);
  for (const input of inputs) check(input);
  const gc = collector();
  await againstMermaid(inputs, gc);
  againstJsSequence(inputs, gc);
}
