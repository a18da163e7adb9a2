// `npm run bench -- sfn-releases`: 20 releases at once on the Step Functions engine with 4 workers
// (issue 13's goal: wall at most 1.1x the slowest release's critical path), against moto on loopback.
// Each release is one execution of the same deployed machine: a build job (1.5 s) beside a par of a
// notification (0.25 s) and a scan (0.5 s), joined, then a deploy (0.5 s): its critical path is 2 s of
// handler time, its work 2.75 s. Baselines measured in the same run: the critical path itself, and one
// release alone with the same 4 workers (what moto's interpreter adds to a release), and the 20 with
// handlers that return at once (what moto alone takes to run 20 executions of this shape); then the 20
// with 4 workers, and with 20 (as many messages in flight as releases), to show where the time goes;
// last the 20 with 4 workers that each answer 5 messages at once (`seqrun worker --concurrency 5`: 20
// messages in flight, as with 20 workers).
import { performance } from 'node:perf_hooks';
import { sfnClient } from '../../src/app/stepfunctions-clients.ts';
import { defineSteps } from '../../src/bind/index.ts';
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
async function releases(count: number, workers: number, handlers: 'sleep' | 'return', concurrency = 1): Promise<number> {
  const moto = await quietSfnMoto();
  scale = handlers === 'sleep' ? 1 : 0;
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
  const alone = await releases(1, 4, 'sleep');
  const floor = await releases(RELEASES, RELEASES, 'return');
  const four = await releases(RELEASES, 4, 'sleep');
  const twenty = await releases(RELEASES, RELEASES, 'sleep');
  const fourByFive = await releases(RELEASES, 4, 'sleep', 5);
  const ratio = (ms: number, base: number) => (ms / base).toFixed(2);
  const row = (what: string, ms: number) => `| ${what} | ${ms} | ${ratio(ms, CRITICAL_MS)} | ${ratio(ms, alone)} |`;
  console.log(
    `${RELEASES} releases of one machine; each: critical path ${CRITICAL_MS} ms of handler time, ${WORK_MS} ms of work (${((performance.now() - t0) / 1000).toFixed(0)} s in all)\n`,
  );
  console.log('| run (each on a fresh moto) | wall ms | ratio to the critical path | ratio to one release alone |');
  console.log('|---|---:|---:|---:|');
  console.log(`| the critical path (baseline) | ${CRITICAL_MS} | 1.00 | |`);
  console.log(row('one release alone, 4 workers', alone));
  console.log(row(`${RELEASES} releases, ${RELEASES} workers, handlers that return at once (moto's own time for the shape)`, floor));
  console.log(row(`${RELEASES} releases, 4 workers (the goal's setup)`, four));
  console.log(row(`${RELEASES} releases, ${RELEASES} workers`, twenty));
  console.log(row(`${RELEASES} releases, 4 workers, concurrency 5`, fourByFive));
  console.log(
    `\nWith concurrency 1 (the other rows) a worker answers one message at a time: 4 workers run at most 4 handlers at once, so ${RELEASES} releases' ${(RELEASES * WORK_MS) / 1000} s of work need at least ${(RELEASES * WORK_MS) / 4 / 1000} s (${((RELEASES * WORK_MS) / 4 / CRITICAL_MS).toFixed(2)}x the critical path).`,
  );
}
