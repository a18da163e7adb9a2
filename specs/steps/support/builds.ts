// CodeBuild jobs as the diagrams draw them: one call may start several builds (`(ARM and x86)`).
// start = StartBuild for each, each build recorded (ctx.progress) the moment it exists, so that a
// start resumed after the runner died re-attaches those and starts only the rest; wait = all of them
// through the run's shared poller; cancel = StopBuild; attach = re-find each build after a restart.
import { randomUUID } from 'node:crypto';
import type { JobDefinition } from 'seqrun';
import { awaitBuild, startBuild, type BuildResult, type StartBuildInput } from 'seqrun/packs/codebuild';
import { aws, runClients } from './services.ts';
import { expand, settingsOf, type BuildRecord, type ReleaseContext, type ReleaseState } from './settings.ts';

export interface BuildRequest extends StartBuildInput {
  readonly arch?: string;
  /** The app the build is for, when one project builds several (the E2E run). */
  readonly app?: string;
}

/** What a finished build leaves in the journal (the step's output). */
export interface BuildOutcome {
  readonly arch?: string;
  readonly app?: string;
  readonly buildId: string;
  readonly projectName: string;
  readonly status: BuildResult['status'];
  readonly durationSeconds: number | undefined;
  readonly logsLink: string | undefined;
  readonly sourceVersion: string | undefined;
  /** The log line matching the `testSummary` setting, when the build printed one. */
  readonly summary?: string;
}

export interface BuildsResult {
  readonly builds: readonly BuildOutcome[];
}

export type BuildsHandle = readonly BuildRecord[];

// Loaded when a build is stopped or re-attached, not with the bindings: check and plan never call AWS.
const codeBuildSdk = () => import('@aws-sdk/client-codebuild');

/** The settings' `buildEnvironment`, expanded, plus the step's own variables. */
export function buildEnvironment(ctx: ReleaseContext, own: Record<string, string>): Record<string, string> {
  const extra = Object.entries(settingsOf(ctx).buildEnvironment ?? {}).map(([k, v]) => [k, expand(ctx, v)] as const);
  return { ...Object.fromEntries(extra), ...own };
}

function forget(ctx: ReleaseContext, stepId: string): void {
  const open = { ...ctx.state.openBuilds };
  delete open[stepId];
  ctx.state.openBuilds = open;
}

async function followAll(ctx: ReleaseContext, records: BuildsHandle): Promise<BuildsResult> {
  const pattern = new RegExp(settingsOf(ctx).testSummary);
  const { aws: clients, poller } = runClients(ctx);
  const builds = await Promise.all(
    records.map(async ({ handle, arch, app }) => {
      let summary: string | undefined;
      const result = await awaitBuild(clients.codebuild, handle, {
        poller,
        logs: clients.logs,
        signal: ctx.signal,
        onLogLine: (line) => {
          if (pattern.test(line)) summary = line.trim();
          ctx.log.info(line, { build: handle.projectName });
        },
      });
      ctx.log.info(`CodeBuild ${handle.projectName} ${result.status} in ${result.durationSeconds ?? '?'} s`, { buildId: handle.buildId });
      const { buildId, projectName, status, durationSeconds, logsLink, sourceVersion } = result;
      return {
        ...(arch ? { arch } : {}),
        ...(app ? { app } : {}),
        buildId,
        projectName,
        status,
        durationSeconds,
        logsLink,
        sourceVersion,
        ...(summary ? { summary } : {}),
      };
    }),
  );
  return { builds };
}

/** What start records per build: the index of its request, and the build. */
interface RecordedBuild extends BuildRecord {
  readonly index: number;
}

/** What start records before each StartBuild: the idempotency token the call carries. */
interface RecordedToken {
  readonly index: number;
  readonly token: string;
}

/**
 * The idempotency token for request `index`: the one recorded before a StartBuild whose build was
 * never recorded (the runner died while the call was in flight: the repeat returns that build), else
 * a new one, recorded before the call. A build recorded after a token ends that token's use.
 */
function tokenFor(ctx: ReleaseContext, index: number): string {
  const last = (ctx.recorded as (RecordedBuild | RecordedToken)[]).filter((r) => r.index === index).at(-1);
  if (last && 'token' in last) return last.token;
  const token = randomUUID();
  ctx.progress({ index, token });
  return token;
}

/**
 * The builds an earlier attempt or a killed runner recorded for these requests and that still stand,
 * by request index. A stopped build (the attempt failed and stopped it) or an unknown one is started afresh.
 */
async function standingBuilds(ctx: ReleaseContext, requests: readonly BuildRequest[]): Promise<Map<number, BuildRecord>> {
  const recorded = (ctx.recorded as (RecordedBuild | RecordedToken)[]).filter(
    (r): r is RecordedBuild => 'handle' in r && requests[r.index]?.projectName === r.handle.projectName,
  );
  const standing = new Map<number, BuildRecord>();
  if (recorded.length === 0) return standing;
  const { BatchGetBuildsCommand } = await codeBuildSdk();
  const found = await aws(ctx).codebuild.send(new BatchGetBuildsCommand({ ids: recorded.map((r) => r.handle.buildId) }));
  for (const { index, ...record } of recorded) {
    const status = found.builds?.find((b) => b.id === record.handle.buildId)?.buildStatus;
    if (status === undefined || status === 'STOPPED') standing.delete(index);
    else {
      ctx.log.info(`re-attached to CodeBuild build ${record.handle.buildId} (${status}), started before this attempt`, {
        projectName: record.handle.projectName,
      });
      standing.set(index, record);
    }
  }
  return standing;
}

/** StartBuild for each request not already standing; a failure midway stops the builds it started. */
async function startBuilds(ctx: ReleaseContext, wanted: readonly BuildRequest[]): Promise<BuildsHandle> {
  const started: BuildRecord[] = [];
  try {
    const standing = await standingBuilds(ctx, wanted);
    for (const [index, { arch, app, ...input }] of wanted.entries()) {
      const earlier = standing.get(index);
      if (earlier) {
        started.push(earlier);
        continue;
      }
      const handle = await startBuild(aws(ctx).codebuild, { ...input, idempotencyToken: tokenFor(ctx, index) });
      ctx.log.info(`started CodeBuild build ${handle.buildId}`, { projectName: handle.projectName });
      const record = { handle, ...(arch ? { arch } : {}), ...(app ? { app } : {}) };
      // Journaled before the next StartBuild: a runner killed from here on never starts it twice.
      ctx.progress({ index, ...record });
      started.push(record);
    }
  } catch (error) {
    const { StopBuildCommand } = await codeBuildSdk();
    await Promise.allSettled(started.map(({ handle }) => aws(ctx).codebuild.send(new StopBuildCommand({ id: handle.buildId }))));
    throw error;
  }
  ctx.state.openBuilds = { ...ctx.state.openBuilds, [ctx.step.id]: started };
  return started;
}

/** Runs a job's start or wait, and may report its failure before passing it on (the failure notice). */
export type OnFailure = <T>(ctx: ReleaseContext, work: () => Promise<T>) => Promise<T>;

/**
 * A job that starts the builds `requests` names for the step's arguments. `onFailure` wraps both
 * the start (CodeBuild unreachable, a project missing) and the wait (a build failed).
 */
export function buildsJob<Args extends unknown[]>(
  requests: (ctx: ReleaseContext, ...args: Args) => BuildRequest[],
  onFailure: OnFailure = (_ctx, work) => work(),
): JobDefinition<ReleaseState, Args, BuildsHandle, BuildsResult> {
  return {
    start: (ctx, ...args) => onFailure(ctx, () => startBuilds(ctx, requests(ctx, ...args))),
    wait: async (ctx, records) => {
      try {
        return await onFailure(ctx, () => followAll(ctx, records));
      } finally {
        if (!ctx.signal.aborted) forget(ctx, ctx.step.id);
      }
    },
    cancel: async (ctx, records) => {
      const { StopBuildCommand } = await codeBuildSdk();
      for (const { handle } of records) {
        await aws(ctx).codebuild.send(new StopBuildCommand({ id: handle.buildId }));
        ctx.log.warn(`stopped CodeBuild build ${handle.buildId}`);
      }
      forget(ctx, ctx.step.id);
    },
    attach: async (ctx, records) => {
      const { BatchGetBuildsCommand } = await codeBuildSdk();
      const ids = records.map(({ handle }) => handle.buildId);
      const found = await aws(ctx).codebuild.send(new BatchGetBuildsCommand({ ids }));
      for (const id of ids) {
        const build = found.builds?.find((b) => b.id === id);
        if (!build) throw new Error(`cannot re-attach: CodeBuild build ${id} is unknown; start a fresh run`);
        ctx.log.info(`re-attached to CodeBuild build ${id} (${build.buildStatus ?? 'unknown'})`);
      }
    },
  };
}

/** Waits until every build still open in this run has finished, whatever its outcome. */
export async function awaitOpenBuilds(ctx: ReleaseContext): Promise<string[]> {
  const { aws: clients, poller } = runClients(ctx);
  const records = Object.values(ctx.state.openBuilds ?? {}).flat();
  const settled = await Promise.allSettled(
    records.map(({ handle }) => awaitBuild(clients.codebuild, handle, { poller, signal: ctx.signal })),
  );
  return settled.map((s, i) => `${records[i]?.handle.projectName}: ${s.status === 'fulfilled' ? s.value.status : 'did not succeed'}`);
}
