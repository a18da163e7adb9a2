// `npm run bench -- startup`: the whole-process time of seqrun commands against a bare `node -e 0` on
// the same Node (baseline), run as pairs A B A B so that both see the same machine load; the median of
// the per-pair ratios is the figure (goals: --version ≤2x, parse ≤2.5x, check specs ≤3x).
// Runs the build (bin/seqrun.js → dist/), with Node's compile cache warm, as a user's second run would.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const PAIRS = Number(process.env['SEQRUN_BENCH_PAIRS'] ?? 15);

const COMMANDS: readonly { name: string; args: readonly string[]; goal: number }[] = [
  { name: 'seqrun --version', args: ['bin/seqrun.js', '--version'], goal: 2 },
  { name: 'seqrun parse specs/final.seq', args: ['bin/seqrun.js', 'parse', 'specs/final.seq'], goal: 2.5 },
  { name: 'seqrun check specs', args: ['bin/seqrun.js', 'check', 'specs'], goal: 3 },
];

function timed(args: readonly string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, [...args], { cwd: repo, stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}`);
  return performance.now() - start;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

export default async function startupBench(): Promise<void> {
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  console.log('| command | median ms | baseline `node -e 0` ms | ratio (median of pairs) | spread of ratios | goal |');
  console.log('|---|---|---|---|---|---|');
  for (const command of COMMANDS) {
    for (let i = 0; i < 3; i++) timed(command.args); // warm the compile cache and the page cache
    const ratios: number[] = [];
    const times: number[] = [];
    const baselines: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      const base = timed(['-e', '0']);
      const time = timed(command.args);
      baselines.push(base);
      times.push(time);
      ratios.push(time / base);
    }
    const spread = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}x`;
    const row = [
      command.name,
      median(times).toFixed(1),
      median(baselines).toFixed(1),
      `${median(ratios).toFixed(2)}x`,
      spread,
      `≤${command.goal}x`,
    ];
    console.log(`| ${row.join(' | ')} |`);
  }
}
