// `npm run bench -- run`: the runtime's cost.
// (a) Engine overhead: 10,000 no-op sync steps, in µs per step, next to the named baseline measured
//     in the same run: parsing and binding the same diagram. Measured without a journal and with the
//     real journal (one write + fsync per event).
// (b) Concurrency: the interim seed diagram with handlers that sleep known durations; wall time over
//     the critical path (goal <= 1.05) and over the sum of all durations (a strictly sequential runner).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bind, createRegistry, defineSteps, type StepModule } from '../../src/bind/index.ts';
import type { Plan } from '../../src/bind/types.ts';
import { runPlan } from '../../src/run/executor.ts';
import { JournalWriter } from '../../src/run/journal.ts';
import { parseSource } from '../../src/syntax/index.ts';
import { blocksBench } from './run-blocks.ts';

const STEPS = 10_000;
const JOURNALED = 1_000;

function planFor(text: string, file: string, module: StepModule): Plan {
  const [diagram] = parseSource(text, { file }).diagrams;
  if (!diagram) throw new Error(`${file}: no diagram`);
  const { registry } = createRegistry({ modules: [module] });
  const plan = bind(diagram, registry);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((d) => d.message).join('; ')}`);
  return plan;
}

async function best(runs: number, run: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return Math.min(...times);
}

async function overhead(): Promise<void> {
  const text = Array.from({ length: STEPS }, (_, i) => `Pay CI->AWS: Step ${i}\n`).join('');
  const noop = defineSteps((s) => s.call('Step {int}', () => undefined));
  const prepareMs = await best(3, () => planFor(text, 'noop.seq', noop));
  const plan = planFor(text, 'noop.seq', noop);
  const options = { runId: 'bench', diagram: 'noop.seq', diagramHash: '', vars: {}, env: {} };
  const memoryMs = await best(3, () => runPlan(plan, { ...options, onEvent: () => undefined }));
  // fsync costs about a millisecond on this kind of disk: measured on the first JOURNALED steps.
  const journaled = planFor(text.split('\n').slice(0, JOURNALED).join('\n'), 'noop.seq', noop);
  const dir = mkdtempSync(join(tmpdir(), 'seqrun-bench-'));
  const journalMs =
    (await best(1, async () => {
      const journal = JournalWriter.open(dir, 'bench');
      await runPlan(journaled, { ...options, onEvent: (e) => journal.write(e) });
      journal.close();
    })) *
    (STEPS / JOURNALED);
  rmSync(dir, { recursive: true, force: true });
  const us = (ms: number) => ((ms * 1000) / STEPS).toFixed(1);
  console.log(`(a) ${STEPS} no-op sync steps (best of runs)\n`);
  console.log('| what | total ms | µs per step | ratio to parse+bind |');
  console.log('|---|---:|---:|---:|');
  console.log(`| parse + bind (baseline) | ${prepareMs.toFixed(0)} | ${us(prepareMs)} | 1.00 |`);
  console.log(`| run, events to memory | ${memoryMs.toFixed(0)} | ${us(memoryMs)} | ${(memoryMs / prepareMs).toFixed(2)} |`);
  console.log(
    `| run, journal (written per event, fsynced per result) (${JOURNALED} steps, scaled) | ${journalMs.toFixed(0)} | ${us(journalMs)} | ${(journalMs / prepareMs).toFixed(2)} |`,
  );
}

/** Milliseconds each step of the interim diagram sleeps, by its text. */
const DURATION: Record<string, number> = {
  'Fetch main branch release': 100,
  'Copy repo to S3': 80,
  'Trigger CodeBuild (ARM)': 800,
  'Build project (x86)': 300,
  'Build image (x86)': 240,
  'Push #build-candidate to ECR (x86)': 120,
  'Trigger E2E CodeBuild (x86)': 400,
  'Push #build-release, #build-release-arm, latest to ECR': 100,
  'Push latest-master, latest-arm to Dockerhub': 100,
};
const NOTE_MS = 10;
const JOBS = ['Trigger CodeBuild (ARM)', 'Trigger E2E CodeBuild (x86)'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The ideal schedule of the semantics with zero overhead: the critical path, and the plain sum. */
function ideal(plan: Plan): { criticalMs: number; sumMs: number } {
  let t = 0;
  let sum = 0;
  const jobEnd = new Map<number, number>();
  for (const p of plan.steps) {
    const d = p.kind === 'reply' ? 0 : (DURATION[p.step.text] ?? NOTE_MS);
    sum += d;
    if (p.kind === 'call' && p.mode === 'job') jobEnd.set(p.index, t + d);
    else if (p.kind === 'expect' && p.expectationOf !== undefined && jobEnd.has(p.expectationOf)) {
      jobEnd.set(p.expectationOf, (jobEnd.get(p.expectationOf) ?? 0) + d);
    } else if (p.kind === 'reply' && p.answers !== undefined && p.answers !== null && jobEnd.has(p.answers)) {
      t = Math.max(t, jobEnd.get(p.answers) ?? 0);
      jobEnd.delete(p.answers);
    } else t += d;
  }
  for (const end of jobEnd.values()) t = Math.max(t, end);
  return { criticalMs: t, sumMs: sum };
}

async function concurrency(): Promise<void> {
  const file = fileURLToPath(new URL('../../specs/interim.seq', import.meta.url));
  const module = defineSteps((s) => {
    // Exact RegExps: in a Cucumber expression `(ARM)` would be optional text.
    const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    for (const text of JOBS) s.job(exactly(text), { start: async () => ({ text }), wait: async () => sleep(DURATION[text] ?? 0) });
    const syncs = Object.keys(DURATION).filter((t) => !JOBS.includes(t));
    for (const text of syncs) s.call(exactly(text), () => sleep(DURATION[text] ?? 0));
    s.note(/.*/, () => sleep(NOTE_MS));
    s.expect(/.*/, () => sleep(NOTE_MS));
  });
  const plan = planFor(readFileSync(file, 'utf8'), file, module);
  const { criticalMs, sumMs } = ideal(plan);
  const options = { runId: 'bench', diagram: 'interim.seq', diagramHash: '', vars: {}, env: {}, onEvent: () => undefined };
  const wallMs = await best(3, () => runPlan(plan, options));
  console.log(`\n(b) specs/interim.seq with sleeping handlers (best of 3)\n`);
  console.log('| wall ms | critical path ms | wall / critical path (goal <= 1.05) | sum of durations ms | wall / sum |');
  console.log('|---:|---:|---:|---:|---:|');
  console.log(`| ${wallMs.toFixed(0)} | ${criticalMs} | ${(wallMs / criticalMs).toFixed(3)} | ${sumMs} | ${(wallMs / sumMs).toFixed(3)} |`);
}

export default async function bench(): Promise<void> {
  await overhead();
  await concurrency();
  await blocksBench();
}
