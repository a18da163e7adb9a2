// The bind stage's public surface: registering handlers, the config, the registry, and `bind`.
export { defineParameterType, defineSteps, isStepModule } from './define.ts';
export type { CallOptions, JobDefinition, NoteOptions, ReplyOptions, StepFn, StepModule, StepRegistrar } from './define.ts';
export { defineConfig, emptyConfig, resolveConfig } from './config.ts';
export type { ParticipantSettings, ResolvedConfig, SeqrunConfig } from './config.ts';
export { createRegistry } from './registry.ts';
export type { HandlerMatch, Registry, RegistryInput } from './registry.ts';
export type { StepParticipants } from './lookup.ts';
export { bind, unusedDiagnostics, unusedHandlers, SUCCESS } from './plan.ts';
export { bindCheckingParticipants, correctParticipantTypos, findParticipantTypos } from './participant-typos.ts';
export { effectiveOptions, unusedOverrideDiagnostics, unusedOverrides } from './overrides.ts';
export { loadProject, CONFIG_FILE } from './project.ts';
export type { LoadedProject, LoadProjectOptions, Project } from './project.ts';
export { BindCode } from './codes.ts';
