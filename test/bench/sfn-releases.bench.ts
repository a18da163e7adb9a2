// `npm run bench -- sfn-releases`: 20 releases at once on the Step Functions engine with 4 workers
// (issue 13's goal: wall at most 1.1x the slowest release's critical path), against moto on loopback
// (the sandbox's: moto_sfn_server.py, with its caches). Each release is one execution of the same
// deployed machine: a build job (1.5 s) beside a par of a notification (0.25 s) and a scan (0.5 s),
// joined, then a deploy (0.5 s): its critical path is 2 s of handler time, its work 2.75 s, and up to
// three of its messages are in flight at once, 60 for the 20. Baselines measured in the same run: the
// critical path itself, one release alone (what moto's interpreter adds to a release), and the 20 with
// handlers that return at once (what moto alone takes to run 20 executions of this shape). Then the
// goal's setup: 4 workers with a slot for each message in flight (`seqrun worker --concurrency 15`),
// with the default concurrency (4) and with one message at a time; and the goal's setup again with
// every handler five times as long (a 10 s critical path), to show whether the engine's cost grows with
// the handlers' time or stays what it is.
import { performance } from 'node:perf_hooks';
import { sfnClient } from '../../src/app/stepfunctions-clients.ts';
import { defineSteps } from '../../src/bind/index.ts';
import { DEFAULT_CONCURRENCY } from '../../src/app/stepfunctions-slots.ts';
import { deployDiagram, execute, quietSfnMoto, startWorkers } from './sfn-moto.ts';

const RELEASES = 20;
const CRITICAL_MS = 2_000;
const WORK_MS = 2_750;

const DIAGRAM = [
  'sequenceDiagram',
  'CI->>+AWS: Build image',
  'par notify',
  'CI->>Slack: Notify team',
  'and scan',
  'CI->>Registry: Scan image',
  'end',
  'AWS-->>-CI: Success',
  'CI->>AWS: Deploy release',
].join('\n');

/** Handlers sleep their time times this: 0 for the run that measures what moto alone takes for the shape. */
let scale = 1;
/** A slot for each message that can be in flight: 60 for 20 releases, over 4 workers. */
const SLOTS = 15;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms * scale));

const steps = defineSteps((s) => {
  s.job('Build image', { start: async () => 'build', wait: async () => sleep(1_500) });
  s.call('Notify team', () => sleep(250));
  s.call('Scan image', () => sleep(500));
  s.call('Deploy release', () => sleep(500));
});

/**
 * Runs `count` releases at once with `workers` workers, each scenario on a moto of its own (moto finds a
 * task token by walking every execution it holds, so its answers slow down as executions pile up); the
 * wall from the first start to the last stop, on Step Functions' clock.
 */
async function releases(count: number, workers: number, times: number, concurrency: number): Promise<number> {
  const moto = await quietSfnMoto();
  scale = times;
  try {
    const deployed = await deployDiagram(moto, 'bench-release', DIAGRAM, steps);
    const pool = startWorkers(moto, deployed, workers, {}, concurrency);
    const sfn = sfnClient(moto.env);
    try {
      const runs = await Promise.all(Array.from({ length: count }, (_, i) => execute(sfn, deployed.stateMachineArn, `release-${i}`)));
      const failed = runs.filter((r) => r.status !== 'SUCCEEDED');
      if (failed.length > 0) throw new Error(`${failed.length} releases did not succeed: ${failed.map((r) => r.status).join(', ')}`);
      return Math.max(...runs.map((r) => r.stopMs)) - Math.min(...runs.map((r) => r.startMs));
    } finally {
      await pool.stop();
      sfn.destroy();
    }
  } finally {
    moto.stop();
  }
}

export default async function sfnReleasesBench(): Promise<void> {
  const t0 = performance.now();
  const alone = await releases(1, 4, 1, SLOTS);
  const floor = await releases(RELEASES, 4, 0, SLOTS);
  const goal = await releases(RELEASES, 4, 1, SLOTS);
  const byDefault = await releases(RELEASES, 4, 1, DEFAULT_CONCURRENCY);
  const oneEach = await releases(RELEASES, 4, 1, 1);
  const longer = await releases(RELEASES, 4, 5, SLOTS);
  const ratio = (ms: number, base: number) => (ms / base).toFixed(2);
  const row = (what: string, ms: number, critical = CRITICAL_MS) =>
    `| ${what} | ${critical} | ${ms} | ${ratio(ms, critical)} | ${ms - critical} |`;
  console.log(
    `${RELEASES} releases of one machine; each: critical path ${CRITICAL_MS} ms of handler time, ${WORK_MS} ms of work (${((performance.now() - t0) / 1000).toFixed(0)} s in all)\n`,
  );
  console.log('| run (each on a fresh moto; 4 workers) | critical path ms | wall ms | ratio to the critical path | wall beyond it, ms |');
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| the critical path (baseline) | ${CRITICAL_MS} | ${CRITICAL_MS} | 1.00 | 0 |`);
  console.log(row(`one release alone, concurrency ${SLOTS}`, alone));
  console.log(
    `| ${RELEASES} releases, handlers that return at once (moto's own time for the shape), concurrency ${SLOTS} | 0 | ${floor} | ${ratio(floor, CRITICAL_MS)} (of the 2 s path) | ${floor} |`,
  );
  console.log(row(`**${RELEASES} releases, concurrency ${SLOTS} (the goal's setup)**`, goal));
  console.log(row(`${RELEASES} releases, the default concurrency (${DEFAULT_CONCURRENCY})`, byDefault));
  console.log(row(`${RELEASES} releases, one message at a time per worker`, oneEach));
  console.log(row(`${RELEASES} releases, concurrency ${SLOTS}, every handler 5x as long`, longer, CRITICAL_MS * 5));
  console.log(
    `\nA worker with N slots runs at most N handlers at once: ${RELEASES} releases' ${(RELEASES * WORK_MS) / 1000} s of work on 4 workers need at least ${(RELEASES * WORK_MS) / 16 / 1000} s at concurrency ${DEFAULT_CONCURRENCY} (${((RELEASES * WORK_MS) / 16 / CRITICAL_MS).toFixed(2)}x) and ${(RELEASES * WORK_MS) / 4 / 1000} s at 1 (${((RELEASES * WORK_MS) / 4 / CRITICAL_MS).toFixed(2)}x), even on an instant engine.`,
  );
}
