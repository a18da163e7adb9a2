// The CodeBuild job for bindings: start = StartBuild (the handle is journaled), wait = the shared
// poller plus log streaming into ctx.log, cancel = StopBuild, attach = re-find the build on resume.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { HandlerContext, JobImplementation } from '../../bind/types.ts';
import { callAws, endpointName } from '../aws/errors.ts';
import { codeBuildSdk } from '../aws/sdk.ts';
import { awaitBuild, startBuild, type BuildResult, type CodeBuildHandle, type StartBuildInput } from './build.ts';
import { sharedPoller, type BuildPoller, type PollerOptions } from './poller.ts';

export interface CodeBuildJobOptions {
  readonly codebuild: CodeBuildClient;
  /** CloudWatch Logs client for streaming build logs into ctx.log (omit to not follow logs). */
  readonly logs?: CloudWatchLogsClient;
  /** Maps the step's expression arguments to the StartBuild request. */
  readonly request: (ctx: HandlerContext, ...args: unknown[]) => StartBuildInput | Promise<StartBuildInput>;
  /** Default: the poller shared by every job using the same CodeBuild client. */
  readonly poller?: BuildPoller;
  /** Used only when the shared poller is created by this job. */
  readonly polling?: PollerOptions;
  /** Endpoint name for error messages. */
  readonly endpoint?: string;
}

export function codeBuildJob(options: CodeBuildJobOptions): JobImplementation<CodeBuildHandle, BuildResult> {
  const endpoint = options.endpoint ?? options.codebuild;
  const poller = () =>
    options.poller ??
    sharedPoller(options.codebuild, { ...options.polling, ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) });
  return {
    start: async (ctx, ...args) => {
      const input = await options.request(ctx, ...args);
      const handle = await startBuild(options.codebuild, input, endpoint);
      ctx.log.info(`started CodeBuild build ${handle.buildId}`, { buildId: handle.buildId, projectName: handle.projectName });
      return handle;
    },
    wait: async (ctx, handle) => {
      const result = await awaitBuild(options.codebuild, handle, {
        poller: poller(),
        signal: ctx.signal,
        ...(options.logs === undefined ? {} : { logs: options.logs }),
        onLogLine: (line) => ctx.log.info(line, { buildId: handle.buildId }),
      });
      ctx.log.info(`CodeBuild build ${result.buildId} ${result.status} in ${result.durationSeconds ?? '?'} s`, {
        logsLink: result.logsLink,
      });
      return result;
    },
    cancel: async (ctx, handle) => {
      const { StopBuildCommand } = codeBuildSdk();
      await callAws('CodeBuild', 'StopBuild', endpoint, () => options.codebuild.send(new StopBuildCommand({ id: handle.buildId })));
      ctx.log.warn(`stopped CodeBuild build ${handle.buildId}`, { buildId: handle.buildId });
    },
    attach: async (ctx, handle) => {
      const { BatchGetBuildsCommand } = codeBuildSdk();
      const output = await callAws('CodeBuild', 'BatchGetBuilds', endpoint, () =>
        options.codebuild.send(new BatchGetBuildsCommand({ ids: [handle.buildId] })),
      );
      const build = output.builds?.[0];
      if (build === undefined) {
        throw new Error(
          `cannot re-attach: CodeBuild build ${handle.buildId} is not known to ${await endpointName(endpoint)}; start the step again with a fresh run`,
        );
      }
      ctx.log.info(`re-attached to CodeBuild build ${handle.buildId} (${build.buildStatus ?? 'unknown status'})`, {
        buildId: handle.buildId,
      });
    },
  };
}
