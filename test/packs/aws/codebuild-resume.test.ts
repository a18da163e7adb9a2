// Resume across a killed runner with a real CodeBuild job: `seqrun run` starts a build on the local
// CodeBuild endpoint (local server) and is killed with SIGKILL while the build runs; `seqrun resume`
// re-attaches to the journaled build id, and the endpoint saw exactly one StartBuild.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/run/journal-file.ts';
import type { RunEvent } from '../../../src/run/events.ts';
import { clientsFor, tempDir } from '../../support/aws-endpoints.ts';
import { startCodeBuildEndpoint, type CodeBuildEndpoint } from '../../../src/sandbox/codebuild/index.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bin = join(repoRoot, 'bin/seqrun.js');
const src = (path: string) => pathToFileURL(join(repoRoot, 'src', path)).href;

// The build waits for a gate file the test writes, so its timing does not depend on the clock.
const BUILDSPEC =
  'version: 0.2\nphases:\n  build:\n    commands:\n      - echo waiting for the gate\n      - while [ ! -f "$GATE" ]; do sleep 0.1; done\n      - echo gate opened\n';

function writeProject(dir: string): void {
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(
    join(dir, 'seqrun.config.ts'),
    `import { defineConfig } from '${src('index.ts')}';\nexport default defineConfig({ bindings: ['steps.ts'] });\n`,
  );
  writeFileSync(join(dir, 'release.seq'), 'title: Resume a build\nCI->AWS: Trigger build pay-connector\nAWS-->CI: Success\n');
  // A small binding: the CodeBuild job, its clients built from --var codebuild=URL on first use.
  writeFileSync(
    join(dir, 'steps.ts'),
    `import { defineSteps, type HandlerContext } from '${src('index.ts')}';
import { createAwsClients } from '${src('packs/aws/index.ts')}';
import { codeBuildJob } from '${src('packs/codebuild/index.ts')}';

let job: ReturnType<typeof codeBuildJob> | undefined;
const jobFor = (ctx: HandlerContext) => {
  const endpoint = ctx.vars['codebuild'] ?? '';
  const clients = createAwsClients({ region: 'eu-west-1', endpoints: { codebuild: endpoint, logs: endpoint }, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  job ??= codeBuildJob({
    codebuild: clients.codebuild,
    logs: clients.logs,
    polling: { intervalMs: 100, maxIntervalMs: 200 },
    request: (c, project) => ({ projectName: String(project), sourceType: 'NO_SOURCE', environment: { GATE: c.vars['gate'] ?? '' } }),
  });
  return job;
};

export default defineSteps((s) => {
  s.job('Trigger build {word}', {
    start: (ctx, project: string) => jobFor(ctx).start(ctx, project),
    wait: (ctx, handle) => jobFor(ctx).wait(ctx, handle),
    cancel: (ctx, handle) => jobFor(ctx).cancel!(ctx, handle),
    attach: (ctx, handle) => jobFor(ctx).attach!(ctx, handle),
  });
});
`,
  );
}

function seqrun(dir: string, args: readonly string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, output: () => output, exit };
}

async function journalOf(dir: string): Promise<readonly RunEvent[]> {
  const runs = join(dir, '.seqrun', 'runs');
  if (!existsSync(runs)) return [];
  const ids = readdirSync(runs).filter((name) => existsSync(join(runs, name, 'journal.ndjson')));
  if (ids.length === 0) return [];
  return (await readJournal(join(runs, ids[0]!, 'journal.ndjson'))).events;
}

async function until(check: () => Promise<boolean> | boolean, what: () => string): Promise<void> {
  for (let i = 0; i < 600; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what()}`);
}

describe('codebuild job resume after the runner is killed (local CodeBuild endpoint)', () => {
  let endpoint: CodeBuildEndpoint;
  let stateDir: string;
  let project: string;

  beforeAll(async () => {
    stateDir = tempDir('resume-codebuild');
    project = tempDir('resume-project');
    writeProject(project);
    endpoint = await startCodeBuildEndpoint({ stateDir, buildEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
    const clients = clientsFor({ codebuild: endpoint.url });
    await clients.codebuild.send(
      new CreateProjectCommand({
        name: 'pay-connector',
        source: { type: 'NO_SOURCE', buildspec: BUILDSPEC },
        artifacts: { type: 'NO_ARTIFACTS' },
        environment: { type: 'LINUX_CONTAINER', image: 'aws/codebuild/standard:7.0', computeType: 'BUILD_GENERAL1_SMALL' },
        serviceRole: 'arn:aws:iam::000000000000:role/codebuild',
      }),
    );
    clients.destroy();
  });
  afterAll(async () => {
    await endpoint?.stop();
    for (const dir of [stateDir, project]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('re-attaches to the same build id and never starts a second build', async () => {
    const gate = join(project, 'gate');
    const vars = ['--var', `codebuild=${endpoint.url}`, '--var', `gate=${gate}`];
    const first = seqrun(project, ['run', 'release.seq', '--format', 'plain', ...vars]);
    await until(
      async () => (await journalOf(project)).some((event) => event.type === 'job-started'),
      () => `the job-started event (output: ${first.output()})`,
    );
    const started = (await journalOf(project)).find((event) => event.type === 'job-started');
    const buildId = (started as { handle: { buildId: string } }).handle.buildId;
    expect(buildId).toMatch(/^pay-connector:/);
    first.child.kill('SIGKILL');
    await first.exit;

    const second = seqrun(project, ['resume', '--format', 'plain', ...vars]);
    // The gate opens only once the job has re-attached: the SDK loads on the first AWS call, so the
    // re-attach may come well after run-resumed, and the build must still be running when it does.
    const reattached = (event: RunEvent) => event.type === 'log' && event.message.startsWith('re-attached to CodeBuild build');
    await until(
      async () => (await journalOf(project)).some(reattached),
      () => `the re-attached log (output: ${second.output()})`,
    );
    writeFileSync(gate, 'open');
    expect(await second.exit, second.output()).toBe(0);

    expect(endpoint.stats().calls['StartBuild']).toBe(1);
    const events = await journalOf(project);
    expect(events.filter((event) => event.type === 'job-started')).toHaveLength(1);
    const finished = events.filter((event) => event.type === 'step-finished' && event.status === 'passed');
    expect(finished.map((event) => (event as { output?: { buildId?: string } }).output?.buildId).filter(Boolean)).toEqual([buildId]);
    const logs = events.filter((event) => event.type === 'log').map((event) => (event as { message: string }).message);
    expect(logs).toContain(`re-attached to CodeBuild build ${buildId} (IN_PROGRESS)`);
    expect(logs).toContain('gate opened');
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
  });
});
