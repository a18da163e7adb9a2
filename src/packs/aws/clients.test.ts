import { describe, expect, it } from 'vitest';
import { createAwsClients, resolveAwsConfig } from './clients.ts';
import { endpointName } from './errors.ts';

describe('resolveAwsConfig', () => {
  it('fills endpoints, region and credentials from the given environment under explicit settings', () => {
    const env = {
      AWS_REGION: 'eu-west-2',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL_CODEBUILD: 'http://127.0.0.1:2',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 's3cr3t',
    };
    expect(resolveAwsConfig({ env, endpoints: { ecr: 'http://127.0.0.1:3' } })).toEqual({
      env,
      region: 'eu-west-2',
      endpoints: { s3: 'http://127.0.0.1:1', codebuild: 'http://127.0.0.1:2', ecr: 'http://127.0.0.1:3', logs: 'http://127.0.0.1:1' },
      credentials: { accessKeyId: 'AKIA', secretAccessKey: 's3cr3t' },
    });
    expect(resolveAwsConfig({ region: 'us-east-1', env: {} })).toEqual({ region: 'us-east-1', env: {}, endpoints: {} });
  });
});

describe('createAwsClients', () => {
  it('points each client at its endpoint, so errors can name it', async () => {
    const clients = createAwsClients({
      region: 'eu-west-1',
      endpoints: { codebuild: 'http://127.0.0.1:4567' },
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    expect(await endpointName(clients.codebuild)).toBe('http://127.0.0.1:4567');
    expect(await endpointName(clients.ecr)).toBe('AWS (eu-west-1)');
    expect(await clients.s3.config.forcePathStyle).toBe(false);
    clients.destroy();
  });
});
