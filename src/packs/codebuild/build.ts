// StartBuild and awaiting a build through the shared poller, with its logs followed.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Build, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { codeBuildSdk } from '../aws/sdk.ts';
import { callAws, endpointName, type EndpointLike } from '../aws/errors.ts';
import { LogTail } from './log-tail.ts';
import { sharedPoller, type BuildPoller } from './poller.ts';
import { SeqrunError } from '../../errors.ts';

export interface StartBuildInput {
  readonly projectName: string;
  /** For an S3 source: the object's VersionId; for git: a commit, branch or tag. */
  readonly sourceVersion?: string;
  readonly sourceType?: 'S3' | 'GITHUB' | 'GITHUB_ENTERPRISE' | 'CODECOMMIT' | 'BITBUCKET' | 'GITLAB' | 'NO_SOURCE';
  /** For S3: `bucket/key`; for git: the repository URL. */
  readonly sourceLocation?: string;
  /** PLAINTEXT environment variable overrides. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly buildspecOverride?: string;
  readonly timeoutInMinutes?: number;
  /**
   * CodeBuild's idempotency token: a StartBuild repeated with it (within 5 minutes) returns the build
   * the first one started instead of starting another. Record it before the call (ctx.progress) and a
   * runner killed while StartBuild was in flight resumes into the same build.
   */
  readonly idempotencyToken?: string;
}

/** What the runtime journals: enough to re-attach after a restart. */
export interface CodeBuildHandle {
  readonly buildId: string;
  readonly projectName: string;
  readonly buildNumber?: number;
  readonly logs?: { readonly groupName: string; readonly streamName: string };
}

export interface BuildPhaseSummary {
  readonly phase: string;
  readonly status: string | undefined;
  readonly durationSeconds: number | undefined;
  readonly message?: string;
}

export type BuildStatus = 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'STOPPED' | 'TIMED_OUT' | 'IN_PROGRESS';

export interface BuildResult {
  readonly buildId: string;
  readonly projectName: string;
  readonly status: BuildStatus;
  readonly phases: readonly BuildPhaseSummary[];
  /** The first phase that did not succeed, on failure. */
  readonly failedPhase?: BuildPhaseSummary;
  readonly durationSeconds: number | undefined;
  readonly logsLink: string | undefined;
  readonly sourceVersion: string | undefined;
  readonly resolvedSourceVersion: string | undefined;
}

export class BuildFailedError extends SeqrunError {
  override readonly name = 'BuildFailedError';
  readonly result: BuildResult;
  readonly lastLogLines: readonly string[];
  constructor(result: BuildResult, lastLogLines: readonly string[], options?: ErrorOptions) {
    super(failureMessage(result, lastLogLines), 'BUILD_FAILED', options);
    this.result = result;
    this.lastLogLines = lastLogLines;
  }
}

export async function startBuild(client: CodeBuildClient, input: StartBuildInput, endpoint?: EndpointLike): Promise<CodeBuildHandle> {
  const { StartBuildCommand } = codeBuildSdk();
  const output = await callAws('CodeBuild', 'StartBuild', endpoint ?? client, () =>
    client.send(
      new StartBuildCommand({
        projectName: input.projectName,
        ...(input.sourceVersion === undefined ? {} : { sourceVersion: input.sourceVersion }),
        ...(input.sourceType === undefined ? {} : { sourceTypeOverride: input.sourceType }),
        ...(input.sourceLocation === undefined ? {} : { sourceLocationOverride: input.sourceLocation }),
        ...(input.buildspecOverride === undefined ? {} : { buildspecOverride: input.buildspecOverride }),
        ...(input.timeoutInMinutes === undefined ? {} : { timeoutInMinutesOverride: input.timeoutInMinutes }),
        ...(input.idempotencyToken === undefined ? {} : { idempotencyToken: input.idempotencyToken }),
        environmentVariablesOverride: Object.entries(input.environment ?? {}).map(([name, value]) => ({ name, value, type: 'PLAINTEXT' })),
      }),
    ),
  );
  const build = output.build;
  if (build?.id === undefined)
    throw new Error(
      `CodeBuild StartBuild at ${await endpointName(endpoint ?? client)} returned no build id for project ${input.projectName}`,
    );
  return handleOf(build, input.projectName);
}

export function handleOf(build: Build, projectName: string): CodeBuildHandle {
  return {
    buildId: build.id ?? '',
    projectName: build.projectName ?? projectName,
    ...(build.buildNumber === undefined ? {} : { buildNumber: build.buildNumber }),
    ...(build.logs?.groupName !== undefined && build.logs.streamName !== undefined
      ? { logs: { groupName: build.logs.groupName, streamName: build.logs.streamName } }
      : {}),
  };
}

export interface AwaitOptions {
  readonly logs?: CloudWatchLogsClient;
  readonly poller?: BuildPoller;
  readonly signal?: AbortSignal;
  readonly onLogLine?: (line: string) => void;
}

/** Resolves with the result when the build succeeds; rejects with BuildFailedError otherwise. */
export function awaitBuild(client: CodeBuildClient, handle: CodeBuildHandle, options: AwaitOptions = {}): Promise<BuildResult> {
  const poller = options.poller ?? sharedPoller(client);
  let tail: LogTail | undefined;
  return new Promise<BuildResult>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      unwatch();
      options.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const onAbort = () => settle(() => reject(options.signal?.reason ?? new Error('aborted')));
    const onUpdate = (build: Build) => {
      const logs =
        handle.logs ??
        (build.logs?.groupName && build.logs.streamName
          ? { groupName: build.logs.groupName, streamName: build.logs.streamName }
          : undefined);
      if (tail === undefined && options.logs !== undefined && logs !== undefined) {
        tail = new LogTail(options.logs, logs.groupName, logs.streamName, options.onLogLine ?? (() => undefined));
      }
      const pulled = tail?.pull() ?? Promise.resolve();
      if (build.buildComplete !== true) return;
      void pulled.then(() => {
        const result = resultOf(build, handle);
        settle(() => (result.status === 'SUCCEEDED' ? resolve(result) : reject(new BuildFailedError(result, tail?.lastLines ?? []))));
      });
    };
    const unwatch = poller.watch(handle.buildId, onUpdate, (error) => settle(() => reject(error)));
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function resultOf(build: Build, handle: CodeBuildHandle): BuildResult {
  const phases: BuildPhaseSummary[] = (build.phases ?? []).map((phase) => ({
    phase: phase.phaseType ?? 'UNKNOWN',
    status: phase.phaseStatus,
    durationSeconds: phase.durationInSeconds,
    ...(phase.contexts?.[0]?.message ? { message: `${phase.contexts[0].statusCode ?? ''}: ${phase.contexts[0].message}` } : {}),
  }));
  const failedPhase = phases.find((phase) => phase.status !== undefined && phase.status !== 'SUCCEEDED');
  const start = build.startTime?.getTime();
  const end = build.endTime?.getTime();
  return {
    buildId: build.id ?? handle.buildId,
    projectName: build.projectName ?? handle.projectName,
    status: (build.buildStatus ?? 'IN_PROGRESS') as BuildStatus,
    phases,
    ...(failedPhase === undefined ? {} : { failedPhase }),
    durationSeconds: start !== undefined && end !== undefined ? Math.round((end - start) / 100) / 10 : undefined,
    logsLink: build.logs?.deepLink,
    sourceVersion: build.sourceVersion,
    resolvedSourceVersion: build.resolvedSourceVersion,
  };
}

function failureMessage(result: BuildResult, lastLogLines: readonly string[]): string {
  const phase = result.failedPhase;
  const where = phase === undefined ? '' : ` in phase ${phase.phase}${phase.message === undefined ? '' : ` (${phase.message})`}`;
  const lines = lastLogLines.length === 0 ? '' : `\nlast log lines:\n${lastLogLines.map((line) => `  ${line}`).join('\n')}`;
  const link = result.logsLink === undefined ? '' : `\nlogs: ${result.logsLink}`;
  return `CodeBuild build ${result.buildId} ${result.status}${where}${lines}${link}`;
}
