// The local endpoint's records, shaped like CodeBuild's JSON so they are served as they are.
// Timestamps are epoch seconds (numbers): what SDK v3 deserialises for this protocol.
import { SeqrunError } from '../../errors.ts';

export interface EnvironmentVariable {
  readonly name: string;
  readonly value: string;
  readonly type?: string;
}

export interface ProjectSource {
  readonly type: string;
  readonly location?: string;
  /** Inline buildspec YAML or a path inside the source (default `buildspec.yml`). */
  readonly buildspec?: string;
}

export interface Project {
  readonly name: string;
  readonly arn: string;
  readonly source: ProjectSource;
  readonly sourceVersion?: string;
  readonly environment: {
    readonly type: string;
    readonly image: string;
    readonly computeType: string;
    readonly environmentVariables: readonly EnvironmentVariable[];
  };
  readonly timeoutInMinutes: number;
  readonly created: number;
  readonly serviceRole?: string;
  readonly artifacts: { readonly type: string };
}

export type BuildStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'STOPPED' | 'TIMED_OUT';

export interface Phase {
  phaseType: string;
  phaseStatus?: BuildStatus;
  startTime: number;
  endTime?: number;
  durationInSeconds?: number;
  contexts?: { statusCode: string; message: string }[];
}

export interface Build {
  readonly id: string;
  readonly arn: string;
  readonly buildNumber: number;
  readonly projectName: string;
  readonly startTime: number;
  endTime?: number;
  currentPhase: string;
  buildStatus: BuildStatus;
  buildComplete: boolean;
  readonly sourceVersion?: string;
  resolvedSourceVersion?: string;
  readonly source: ProjectSource;
  readonly environment: Project['environment'];
  readonly timeoutInMinutes: number;
  readonly initiator: string;
  readonly logs: { readonly groupName: string; readonly streamName: string; readonly deepLink: string };
  phases: Phase[];
}

export const ACCOUNT = '000000000000';

export function nowSeconds(): number {
  return Date.now() / 1000;
}

/** Fields a StartBuild request may carry (the subset the local endpoint honours). */
export interface StartBuildRequest {
  readonly projectName?: string;
  readonly sourceVersion?: string;
  readonly sourceTypeOverride?: string;
  readonly sourceLocationOverride?: string;
  readonly buildspecOverride?: string;
  readonly environmentVariablesOverride?: readonly EnvironmentVariable[];
  readonly timeoutInMinutesOverride?: number;
  readonly idempotencyToken?: string;
}

/** A request the endpoint refuses, answered as a CodeBuild error (`__type`). */
/** `code`: the same as `type`. */
export class ServiceError extends SeqrunError {
  override readonly name = 'ServiceError';
  readonly type: string;
  readonly status: number;
  constructor(type: string, message: string, status = 400, options?: ErrorOptions) {
    super(message, type, options);
    this.type = type;
    this.status = status;
  }
}
