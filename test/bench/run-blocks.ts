// `npm run bench -- run`, mermaid's blocks (issue 12):
// (c) a par of 100 branches whose handlers sleep known durations: wall time over the critical path
//     (the longest branch; goal <= 1.05).
// (d) a loop of 10,000 iterations of a no-op step: µs per iteration of engine overhead (goal <= 20), wall
//     and CPU time (the CPU time is what the goal means on a loaded machine),
//     events to memory (journal excluded), next to the same 10,000 no-op steps written out flat.
import { performance } from 'node:perf_hooks';
import { bind, createRegistry, defineSteps, type StepModule } from '../../src/bind/index.ts';
import type { Plan } from '../../src/bind/types.ts';
import { runPlan } from '../../src/run/executor.ts';
import { parseMermaidSource } from '../../src/syntax/mermaid/parse.ts';

function planFor(text: string, file: string, module: StepModule): Plan {
  const parsed = parseMermaidSource(text, { file });
  const [diagram] = parsed.diagrams;
  if (!diagram || parsed.diagnostics.some((d) => d.severity === 'error')) throw new Error(`${file}: ${JSON.stringify(parsed.diagnostics)}`);
  const plan = bind(diagram, createRegistry({ modules: [module] }).registry);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ')}`);
  return plan;
}

async function best(runs: number, run: () => Promise<unknown>): Promise<number> {
  return (await bestWithCpu(runs, run)).wallMs;
}

/**
 * The least wall time and the least CPU time (user + system, this process) of `runs` runs. On a shared,
 * loaded machine the wall time counts other jobs' turns on the cores; the CPU time counts this one's.
 */
async function bestWithCpu(runs: number, run: () => Promise<unknown>): Promise<{ wallMs: number; cpuMs: number }> {
  let wallMs = Infinity;
  let cpuMs = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    wallMs = Math.min(wallMs, performance.now() - t0);
    const cpu = process.cpuUsage(c0);
    cpuMs = Math.min(cpuMs, (cpu.user + cpu.system) / 1000);
  }
  return { wallMs, cpuMs };
}

const options = { runId: 'bench', diagram: 'bench.mmd', diagramHash: '', vars: {}, env: {}, onEvent: () => undefined };
const BRANCHES = 100;
const ITERATIONS = 10_000;

async function parOfSleepers(): Promise<void> {
  // Branch i sleeps 200 + 2i ms in two steps: the critical path is the last branch, 398 ms.
  const branches = Array.from(
    { length: BRANCHES },
    (_, i) => `${i === 0 ? 'par' : 'and'} branch ${i}\n  CI->>AWS: Sleep ${100 + i} ms\n  CI->>AWS: Sleep ${100 + i} ms\n`,
  );
  const text = `sequenceDiagram\n${branches.join('')}end\n`;
  const module = defineSteps((s) => s.call('Sleep {int} ms', (_ctx, ms) => new Promise((r) => setTimeout(r, ms as number))));
  const plan = planFor(text, 'par.mmd', module);
  const criticalMs = 2 * (100 + BRANCHES - 1);
  const wallMs = await best(3, () => runPlan(plan, options));
  console.log(`\n(c) a par of ${BRANCHES} branches of sleeping handlers (best of 3)\n`);
  console.log('| wall ms | critical path ms | wall / critical path (goal <= 1.05) |');
  console.log('|---:|---:|---:|');
  console.log(`| ${wallMs.toFixed(0)} | ${criticalMs} | ${(wallMs / criticalMs).toFixed(3)} |`);
}

async function loopOfNoops(): Promise<void> {
  const noop = defineSteps((s) => {
    s.call('Step', () => undefined);
    s.call('Step {int}', () => undefined);
    s.loop('ten thousand times', { maxIterations: ITERATIONS }, () => Array.from({ length: ITERATIONS }, (_, i) => i));
  });
  const loop = planFor(`sequenceDiagram\nloop ten thousand times\n  CI->>AWS: Step\nend\n`, 'loop.mmd', noop);
  const flat = planFor(
    `sequenceDiagram\n${Array.from({ length: ITERATIONS }, (_, i) => `CI->>AWS: Step ${i}\n`).join('')}`,
    'flat.mmd',
    noop,
  );
  const looped = await bestWithCpu(3, () => runPlan(loop, options));
  const flatRun = await bestWithCpu(3, () => runPlan(flat, options));
  const us = (ms: number) => ((ms * 1000) / ITERATIONS).toFixed(1);
  console.log(
    `\n(d) ${ITERATIONS} iterations of a no-op step in a loop, events to memory (best of 3; CPU: this process's user + system)\n`,
  );
  console.log('| what | wall ms | wall µs per step (goal <= 20) | CPU µs per step | ratio to flat (wall) | ratio to flat (CPU) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(
    `| ${ITERATIONS} no-op steps written out (baseline) | ${flatRun.wallMs.toFixed(0)} | ${us(flatRun.wallMs)} | ${us(flatRun.cpuMs)} | 1.00 | 1.00 |`,
  );
  console.log(
    `| loop of ${ITERATIONS} iterations | ${looped.wallMs.toFixed(0)} | ${us(looped.wallMs)} | ${us(looped.cpuMs)} | ${(looped.wallMs / flatRun.wallMs).toFixed(2)} | ${(looped.cpuMs / flatRun.cpuMs).toFixed(2)} |`,
  );
}

export async function blocksBench(): Promise<void> {
  await parOfSleepers();
  await loopOfNoops();
}
