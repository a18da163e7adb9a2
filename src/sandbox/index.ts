// The sandbox: local endpoints for rehearsing a release on one machine.
export {
  DEFAULT_SANDBOX_DIR,
  readSandboxState,
  sandboxDir,
  sandboxStatus,
  SandboxError,
  startSandbox,
  stopSandbox,
  withSandbox,
} from './sandbox.ts';
export type { SandboxOptions, SandboxService, SandboxState, SandboxStatus, ServiceName } from './sandbox.ts';
export { formatEnvironment, SERVICE_NAMES } from './services.ts';
export { loadProvision, provisionSandbox } from './provision.ts';
export { servicesNeeded } from './needs.ts';
export type { ServiceNeeds } from './needs.ts';
export type { ProvisionContext, ProvisionOptions, Provisioner, SandboxProvision } from './provision.ts';
export { startSlackServer, readSlackMessages } from './slack/server.ts';
export type { SlackMessage, SlackServer } from './slack/server.ts';
export { startEcrBridge } from './ecr-bridge/bridge.ts';
export { startDockerRegistry } from './docker-registry.ts';
export { startMoto } from './moto.ts';
export { startCodeBuildEndpoint } from './codebuild/index.ts';
