export { startCodeBuildEndpoint, type CodeBuildEndpoint, type CodeBuildEndpointOptions, type CodeBuildEndpointStats } from './endpoint.ts';
export { parseBuildspec, BuildspecError, type Buildspec } from './buildspec.ts';
