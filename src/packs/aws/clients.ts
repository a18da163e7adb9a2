// One factory for every AWS SDK client the packs use, built from config: the same code talks to AWS
// (no endpoints given) and to the local endpoints (moto, the local CodeBuild endpoint).
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CodeBuildClient } from '@aws-sdk/client-codebuild';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { S3Client } from '@aws-sdk/client-s3';
import { cloudWatchLogsSdk, codeBuildSdk, ecrSdk, s3Sdk } from './sdk.ts';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsEndpoints {
  readonly s3?: string;
  readonly codebuild?: string;
  readonly ecr?: string;
  readonly logs?: string;
}

export interface AwsConfig {
  /** Default: the SDK's own resolution (AWS_REGION, profile). */
  readonly region?: string;
  /** Per-service endpoint URLs; omit a service to use the real AWS endpoint. */
  readonly endpoints?: AwsEndpoints;
  /** Default: the SDK's standard chain (AWS_ACCESS_KEY_ID..., AWS_PROFILE, SSO, instance roles). */
  readonly credentials?: AwsCredentials;
  /** Attempts per call including the first, with the SDK's standard retry mode (default 5). */
  readonly maxAttempts?: number;
  /**
   * A request whose connection stays silent this long (nothing sent or received) fails, and is retried
   * like any timeout (default 60 s). The SDK's own default waits forever: an endpoint that takes the
   * connection and never answers would hold a step until the step's own timeout, an hour for a build.
   */
  readonly idleTimeoutMs?: number;
  /** A connection not made within this fails the attempt (default 10 s). */
  readonly connectTimeoutMs?: number;
  /**
   * An environment to read (e.g. `ctx.env`): AWS_REGION / AWS_DEFAULT_REGION, AWS_ENDPOINT_URL_S3,
   * _CODEBUILD, _ECR, _CLOUDWATCH_LOGS or AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
   * AWS_SESSION_TOKEN. Explicit settings win. Without it the SDK reads the process environment itself.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

const ENDPOINT_VARIABLES: Record<keyof AwsEndpoints, string> = {
  s3: 'AWS_ENDPOINT_URL_S3',
  codebuild: 'AWS_ENDPOINT_URL_CODEBUILD',
  ecr: 'AWS_ENDPOINT_URL_ECR',
  logs: 'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
};

/** Settings from `config.env` filled in under the explicit ones. */
export function resolveAwsConfig(config: AwsConfig): AwsConfig {
  const env = config.env;
  if (env === undefined) return config;
  const endpoints: Record<string, string> = {};
  for (const [service, variable] of Object.entries(ENDPOINT_VARIABLES)) {
    const url = config.endpoints?.[service as keyof AwsEndpoints] ?? env[variable] ?? env['AWS_ENDPOINT_URL'];
    if (url) endpoints[service] = url;
  }
  const region = config.region ?? env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'];
  const keyId = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  const token = env['AWS_SESSION_TOKEN'];
  const credentials =
    config.credentials ??
    (keyId && secret ? { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } : undefined);
  return {
    ...config,
    endpoints,
    ...(region ? { region } : {}),
    ...(credentials === undefined ? {} : { credentials }),
  };
}

export interface AwsClients {
  readonly s3: S3Client;
  readonly codebuild: CodeBuildClient;
  readonly ecr: ECRClient;
  readonly logs: CloudWatchLogsClient;
  /** The endpoint each client talks to, for error messages ("AWS" when the SDK resolves it). */
  readonly endpointOf: (service: keyof AwsEndpoints) => string;
  /** Closes keep-alive sockets of every client. */
  destroy(): void;
}

export function createAwsClients(given: AwsConfig = {}): AwsClients {
  const config = resolveAwsConfig(given);
  const endpoints = config.endpoints ?? {};
  const common = (endpoint: string | undefined) => ({
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    maxAttempts: config.maxAttempts ?? 5,
    retryMode: 'standard',
    requestHandler: {
      socketTimeout: config.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      connectionTimeout: config.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    },
  });
  // Path-style addressing: local endpoints have no per-bucket DNS names.
  const s3: S3Client = new (s3Sdk().S3Client)({ ...common(endpoints.s3), forcePathStyle: endpoints.s3 !== undefined });
  const codebuild: CodeBuildClient = new (codeBuildSdk().CodeBuildClient)(common(endpoints.codebuild));
  const ecr: ECRClient = new (ecrSdk().ECRClient)(common(endpoints.ecr));
  const logs: CloudWatchLogsClient = new (cloudWatchLogsSdk().CloudWatchLogsClient)(common(endpoints.logs));
  return {
    s3,
    codebuild,
    ecr,
    logs,
    endpointOf: (service) => endpoints[service] ?? `AWS ${service} (${config.region ?? 'default region'})`,
    destroy: () => {
      for (const client of [s3, codebuild, ecr, logs]) client.destroy();
    },
  };
}
