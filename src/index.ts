// `seqrun`: the handler-facing API, what binding modules and seqrun.config.ts import. An explicit list,
// so that what users may rely on is written down in one place. Every binding module loads it at every
// start, so it imports only the definition side of seqrun; parse, check, run and render are `seqrun/api`.
export { defineParameterType, defineSteps } from './bind/define.ts';
export type {
  CallOptions,
  ConditionOptions,
  JobDefinition,
  LoopAnswer,
  LoopOptions,
  NoteOptions,
  ReplyOptions,
  StepFn,
  StepModule,
  StepRegistrar,
} from './bind/define.ts';
export { defineConfig } from './bind/config.ts';
export type { ParticipantSettings, SandboxConfig, SeqrunConfig } from './bind/config.ts';
export type {
  BlockHandlerKind,
  Expression,
  HandlerContext,
  HandlerFn,
  HandlerKind,
  JobImplementation,
  Logger,
  ParameterTypeDefinition,
  ParticipantFilter,
  RetryPolicy,
  RunInfo,
  SourceRef,
  StepInfo,
  StepKind,
  StepOptions,
} from './bind/types.ts';
export type { HookContext, HookFn, HookInfo, HookKind, HookOptions, StepFailure } from './bind/hooks.ts';
export type { ProvisionContext, SandboxProvision, SandboxState } from './sandbox/index.ts';
export { SeqrunError } from './errors.ts';
