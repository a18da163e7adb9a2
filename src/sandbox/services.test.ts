import { describe, expect, it } from 'vitest';
import { sandboxEnvironment } from './services.ts';

describe("the sandbox's environment", () => {
  it('points S3, ECR, SQS and Step Functions at moto', () => {
    const env = sandboxEnvironment('/s', { moto: 4566 }, 'id1');
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_ECR: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:4566',
      AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:4566',
    });
  });

  it('names no AWS endpoint when moto is not started', () => {
    expect(Object.keys(sandboxEnvironment('/s', { slack: 4000 }, 'id1')).filter((k) => k.startsWith('AWS_ENDPOINT_URL'))).toEqual([]);
  });
});
