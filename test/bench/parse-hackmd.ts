// seqrun's parser against HackMD's own (@hackmd/js-sequence-diagrams, the jison parser seqrun's
// language is defined by): the named baseline of `npm run bench -- parse`. Both parse the same text in
// the same process, paired and interleaved (seqrun batch, HackMD batch, per round), and the figure is
// the median of the per-round ratios with the lowest and highest as the spread: load from other
// processes moves both sides of a pair alike.
import { readFileSync, readdirSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseSource } from '../../src/syntax/index.ts';

// HackMD's dist is ESM with extensionless relative imports, which Node's resolver refuses: add `.js`.
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (context.parentURL?.includes('/@hackmd/js-sequence-diagrams/') && specifier.startsWith('.') && !specifier.endsWith('.js')) {
      try {
        return nextResolve(`${specifier}.js`, context);
      } catch {
        return nextResolve(`${specifier}/index.js`, context);
      }
    }
    return nextResolve(specifier, context);
  },
});
const { Diagram } = (await import('@hackmd/js-sequence-diagrams/dist/parser/diagram.js')) as {
  Diagram: { parse(text: string): { signals: unknown[] } };
};

export function hackmdParse(text: string): { signals: unknown[] } {
  return Diagram.parse(text);
}

export interface PairedInput {
  readonly label: string;
  /** Statements read per call of `texts` (all texts together). */
  readonly statements: number;
  /** One call parses each text once (several for the small-diagram corpus). */
  readonly texts: readonly string[];
}

export interface PairedRow {
  readonly label: string;
  readonly statements: number;
  readonly oursMs: number;
  readonly hackmdMs: number;
  readonly ratio: number;
  readonly lowest: number;
  readonly highest: number;
}

function cpuMs(run: () => void, reps: number): number {
  const before = process.cpuUsage();
  for (let i = 0; i < reps; i++) run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / reps;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Each round times a batch of `perBatch` statements by seqrun, then the same by HackMD (order alternates). */
export function measurePaired(inputs: readonly PairedInput[], rounds: number, perBatch: number, gc: () => void): PairedRow[] {
  const runs = inputs.map(() => ({ ours: [] as number[], hackmd: [] as number[], ratios: [] as number[] }));
  const sides = (input: PairedInput) => ({
    ours: () => {
      for (const text of input.texts) parseSource(text, { file: 'bench.seq' });
    },
    hackmd: () => {
      for (const text of input.texts) hackmdParse(text);
    },
  });
  for (const input of inputs) {
    const { ours, hackmd } = sides(input);
    ours();
    hackmd();
  }
  for (let round = 0; round < rounds; round++) {
    inputs.forEach((input, i) => {
      const { ours, hackmd } = sides(input);
      const reps = Math.max(1, Math.round(perBatch / input.statements));
      const found = runs[i];
      if (!found) return;
      let oursMs: number;
      let hackmdMs: number;
      gc();
      if (round % 2 === 0) {
        oursMs = cpuMs(ours, reps);
        gc();
        hackmdMs = cpuMs(hackmd, reps);
      } else {
        hackmdMs = cpuMs(hackmd, reps);
        gc();
        oursMs = cpuMs(ours, reps);
      }
      found.ours.push(oursMs);
      found.hackmd.push(hackmdMs);
      found.ratios.push(hackmdMs / oursMs);
    });
  }
  return inputs.map((input, i) => {
    const r = runs[i] ?? { ours: [], hackmd: [], ratios: [] };
    return {
      label: input.label,
      statements: input.statements,
      oursMs: median(r.ours),
      hackmdMs: median(r.hackmd),
      ratio: median(r.ratios),
      lowest: Math.min(...r.ratios),
      highest: Math.max(...r.ratios),
    };
  });
}

/** Real-sized diagrams: the seed's specs/*.seq and the shared corpus of real diagrams, if present. */
export function realDiagrams(): string[] {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const found: string[] = [];
  for (const dir of [`${root}specs`, '/work/shared/corpus']) {
    let names: string[];
    try {
      names = readdirSync(dir)
        .filter((name) => name.endsWith('.seq'))
        .sort();
    } catch {
      continue;
    }
    for (const name of names) found.push(readFileSync(`${dir}/${name}`, 'utf8'));
  }
  return found;
}

export function printPaired(rows: readonly PairedRow[], rounds: number): void {
  console.log(
    `\nAgainst HackMD's parser (@hackmd/js-sequence-diagrams Diagram.parse, the named baseline), paired in ${rounds} interleaved rounds, CPU time of the process per call, GC included; ratio = median of the per-round ratios (spread: lowest-highest):\n`,
  );
  console.log('| input | statements per call | seqrun ms | HackMD ms | ratio | spread |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(
      `| ${row.label} | ${row.statements.toLocaleString('en-US')} | ${row.oursMs.toFixed(3)} | ${row.hackmdMs.toFixed(3)} | ${row.ratio.toFixed(2)}x | ${row.lowest.toFixed(2)}-${row.highest.toFixed(2)}x |`,
    );
  }
}
