// `seqrun/config`: what a seqrun.config.ts needs, and nothing that loads the rest of seqrun.
export { defineConfig } from './bind/config.ts';
export type { ParticipantSettings, SandboxConfig, SeqrunConfig } from './bind/config.ts';
export type { ProvisionContext, SandboxProvision, SandboxState } from './sandbox/index.ts';
