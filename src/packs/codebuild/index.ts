export {
  startBuild,
  awaitBuild,
  resultOf,
  BuildFailedError,
  type StartBuildInput,
  type CodeBuildHandle,
  type BuildResult,
  type BuildPhaseSummary,
  type BuildStatus,
  type AwaitOptions,
} from './build.ts';
export { codeBuildJob, type CodeBuildJobOptions } from './job.ts';
export { BuildPoller, sharedPoller, type PollerOptions } from './poller.ts';
export { LogTail } from './log-tail.ts';
