// Step Functions and SQS clients from the environment, as the packs build theirs: the region, keys and
// a local endpoint (AWS_ENDPOINT_URL_SFN / AWS_ENDPOINT_URL_SQS, else AWS_ENDPOINT_URL) from `env`.
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';

type Env = Readonly<Record<string, string | undefined>>;

function settings(env: Env, endpointVariable: string) {
  const endpoint = env[endpointVariable] ?? env['AWS_ENDPOINT_URL'];
  const region = env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION'] ?? 'us-east-1';
  const keyId = env['AWS_ACCESS_KEY_ID'];
  const secret = env['AWS_SECRET_ACCESS_KEY'];
  const token = env['AWS_SESSION_TOKEN'];
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(keyId && secret ? { credentials: { accessKeyId: keyId, secretAccessKey: secret, ...(token ? { sessionToken: token } : {}) } } : {}),
    maxAttempts: 3,
  };
}

export const sfnClient = (env: Env): SFNClient => new SFNClient(settings(env, 'AWS_ENDPOINT_URL_SFN'));
export const sqsClient = (env: Env): SQSClient => new SQSClient(settings(env, 'AWS_ENDPOINT_URL_SQS'));
