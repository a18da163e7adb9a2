// `npm run bench -- bind`: bind 10,000 steps against 1,000 registered expressions, with seqrun's
// lookup index and with the named baseline, the naive lookup cucumber-js does (every expression tried
// on every step, then filtered), in the same process on the same diagram. Results must be identical.
import { performance } from 'node:perf_hooks';
import { bind, createRegistry, defineSteps, type Registry } from '../../src/bind/index.ts';
import type { Plan } from '../../src/bind/types.ts';
import type { Diagram } from '../../src/ast/types.ts';
import { parseSource } from '../../src/syntax/index.ts';

const EXPRESSIONS = 1_000;
const STEPS = 10_000;
const VERBS = [
  'Push',
  'Build',
  'Deploy',
  'Trigger',
  'Fetch',
  'Copy',
  'Run',
  'Check',
  'Notify',
  'Tag',
  'Publish',
  'Scan',
  'Sign',
  'Upload',
  'Verify',
  'Promote',
  'Rollback',
  'Start',
  'Stop',
  'Archive',
];
const CALLEES = ['AWS', 'GitHub', 'Dockerhub'] as const;

interface Template {
  readonly kind: 'call' | 'reply' | 'note' | 'expect';
  readonly expression: string;
  /** A step text the expression matches. */
  readonly text: string;
  readonly to?: (typeof CALLEES)[number];
}

/** Realistic shapes: most expressions start with a verb shared by ~50 others; 2% start with a parameter. */
function template(i: number): Template {
  const verb = VERBS[i % VERBS.length] ?? 'Push';
  const kind = (['call', 'call', 'call', 'call', 'call', 'note', 'note', 'expect', 'expect', 'reply'] as const)[i % 10] ?? 'call';
  const to = kind === 'call' && i % 3 === 0 ? CALLEES[i % CALLEES.length] : undefined;
  const shape = i % 50 === 49 ? 3 : i % 3;
  // `#` stands for a number that makes every step's text unique (no two steps share a text).
  const shapes: readonly (readonly [string, string])[] = [
    [`${verb} component-${i} to {word}`, `${verb} component-${i} to staging-#`],
    [`${verb} component-${i} with {int} retries`, `${verb} component-${i} with # retries`],
    [`${verb} {string} for component-${i}`, `${verb} "v1.#" for component-${i}`],
    [`{word} component-${i} is ready`, `Service-# component-${i} is ready`],
  ];
  const [expression, text] = shapes[shape] ?? ['', ''];
  return { kind, expression, text, ...(to ? { to } : {}) };
}

function registryOf(templates: readonly Template[]): Registry {
  const module = defineSteps((s) => {
    for (const t of templates) {
      if (t.kind === 'call') s.call(t.expression, t.to ? { to: t.to } : {}, () => undefined);
      else s[t.kind](t.expression, () => undefined);
    }
  });
  const { registry, diagnostics } = createRegistry({ modules: [module] });
  if (diagnostics.length > 0) throw new Error(`bench expressions do not compile: ${diagnostics[0]?.message}`);
  return registry;
}

/** STEPS steps with unique texts using every template; replies and expectations follow a call to AWS; 1% undefined. */
function diagramText(templates: readonly Template[]): string {
  const companions = templates.filter((t) => t.kind === 'call' && (t.to === undefined || t.to === 'AWS'));
  const lines: string[] = [];
  for (let k = 0; lines.length < STEPS; k++) {
    const t = templates[(k * 7) % templates.length] as Template;
    const text = k % 100 === 99 ? `Unknown step ${k}` : t.text.replace('#', String(k));
    if (t.kind === 'call') lines.push(`Pay CI->${t.to ?? CALLEES[k % CALLEES.length]}: ${text}`);
    else if (t.kind === 'note') lines.push(`Note left of Pay CI: ${text}`);
    else {
      lines.push(`Pay CI->AWS: ${companions[k % companions.length]?.text.replace('#', `${k}0`)}`);
      lines.push(t.kind === 'expect' ? `Note right of AWS: ${text}` : `AWS-->Pay CI: ${text}`);
    }
  }
  return `${lines.slice(0, STEPS).join('\n')}\n`;
}

interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/**
 * Best of `runs`, in wall time and in this process's CPU time. The machine is shared, so the ratio is
 * taken from CPU time (other processes do not inflate it); both are printed.
 */
function best(run: () => unknown, runs: number): Timing {
  let wallMs = Number.POSITIVE_INFINITY;
  let cpuMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wallMs = Math.min(wallMs, performance.now() - t0);
    const cpu = process.cpuUsage(cpu0);
    cpuMs = Math.min(cpuMs, (cpu.user + cpu.system) / 1000);
  }
  return { wallMs, cpuMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function outcome(plan: Plan): string {
  return JSON.stringify(
    plan.steps.map((s) => [
      s.kind,
      s.binding.status,
      s.binding.status === 'bound' ? [String(s.binding.handler.expression), s.binding.handler.source.line, s.binding.args] : null,
      s.answers,
      s.expectationOf,
    ]),
  );
}

/** The bench's diagram and registries (also for profiling the bind alone). */
export function prepare(): { diagram: Diagram; registry: Registry; naive: Registry; scan: Registry } {
  const templates = Array.from({ length: EXPRESSIONS }, (_, i) => template(i));
  const registry = registryOf(templates);
  const naive: Registry = { ...registry, match: registry.matchNaive };
  const scan: Registry = { ...registry, match: registry.matchScan };
  const [diagram] = parseSource(diagramText(templates), { file: 'bench.seq' }).diagrams;
  if (!diagram || diagram.steps.length !== STEPS) throw new Error('the generated diagram does not parse to 10,000 steps');
  return { diagram, registry, naive, scan };
}

/** Interleaved rounds: each times seqrun (best of a few, it takes tens of ms) and then each baseline once. */
const ROUNDS = Number(process.env['SEQRUN_BENCH_ROUNDS'] ?? 7);

export default async function bench(): Promise<void> {
  const { diagram, registry, naive, scan } = prepare();
  const indexedPlan = bind(diagram, registry);
  const naivePlan = bind(diagram, naive);
  if (outcome(indexedPlan) !== outcome(naivePlan)) throw new Error('the index and the naive lookup disagree');
  if (outcome(bind(diagram, scan)) !== outcome(naivePlan)) throw new Error('the pre-tested scan and the naive lookup disagree');
  const bound = indexedPlan.steps.filter((s) => s.binding.status === 'bound').length;
  const undefinedSteps = indexedPlan.steps.filter((s) => s.binding.status === 'undefined').length;
  if (bound + undefinedSteps !== STEPS || undefinedSteps > STEPS / 50)
    throw new Error(`unexpected bench plan: ${bound} bound, ${undefinedSteps} undefined`);
  const runs = { indexed: [] as Timing[], naive: [] as Timing[], scan: [] as Timing[], ratios: [] as number[], scanRatios: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const indexed = best(() => bind(diagram, registry), 5);
    const naiveTime = best(() => bind(diagram, naive), 1);
    const scanTime = best(() => bind(diagram, scan), 1);
    runs.indexed.push(indexed);
    runs.naive.push(naiveTime);
    runs.scan.push(scanTime);
    runs.ratios.push(naiveTime.cpuMs / indexed.cpuMs);
    runs.scanRatios.push(naiveTime.cpuMs / scanTime.cpuMs);
  }
  const rate = (ms: number): string => Math.round((STEPS / ms) * 1000).toLocaleString('en-US');
  const row = (name: string, times: readonly Timing[], ratios: readonly number[] | null): string => {
    const cpu = median(times.map((t) => t.cpuMs));
    const wall = median(times.map((t) => t.wallMs));
    const ratio = ratios
      ? `${median(ratios).toFixed(1)}x | ${Math.min(...ratios).toFixed(1)}-${Math.max(...ratios).toFixed(1)}x`
      : '1.0x | ';
    return `| ${name} | ${cpu.toFixed(1)} | ${wall.toFixed(1)} | ${rate(cpu)} | ${ratio} |`;
  };
  console.log(
    `${STEPS.toLocaleString('en-US')} steps (${bound.toLocaleString('en-US')} bound, ${undefinedSteps} undefined with snippets) against ${EXPRESSIONS.toLocaleString('en-US')} expressions; identical plans. ${ROUNDS} interleaved rounds (seqrun best of 5, each baseline once, per round); times are medians over the rounds, the ratio is the median of the per-round ratios (CPU time), the spread the lowest and highest.\n`,
  );
  console.log('| lookup | bind CPU ms | bind wall ms | steps/s (CPU) | ratio (CPU) | spread |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(row('naive baseline: every expression on every step (cucumber-js)', runs.naive, null));
  console.log(row('every expression, literal-suffix pre-test + native matcher, no index', runs.scan, runs.scanRatios));
  console.log(row('seqrun: kind + participants + literal-prefix radix trie, then the same', runs.indexed, runs.ratios));
}
