// Local AWS endpoints for pack tests: moto (S3, ECR) and the local CodeBuild endpoint, each started by
// the test on 127.0.0.1 with a free port, plus SDK clients pointed at them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients, type AwsClients } from '../../src/packs/aws/index.ts';
import { startCodeBuildEndpoint, type CodeBuildEndpoint, type CodeBuildEndpointOptions } from '../../src/sandbox/codebuild/index.ts';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';

export const TEST_REGION = 'eu-west-1';
export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface LocalAws {
  readonly moto: MotoServer;
  readonly codebuild: CodeBuildEndpoint;
  readonly clients: AwsClients;
  readonly stateDir: string;
  stop(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `seqrun-${prefix}-`));
}

export function clientsFor(endpoints: { s3?: string; ecr?: string; codebuild?: string; logs?: string }, maxAttempts = 3): AwsClients {
  return createAwsClients({ region: TEST_REGION, endpoints, credentials: TEST_CREDENTIALS, maxAttempts });
}

/** moto plus a CodeBuild endpoint fetching sources from it. */
export async function startLocalAws(options: Partial<CodeBuildEndpointOptions> = {}): Promise<LocalAws> {
  const moto = await startMoto();
  const stateDir = tempDir('codebuild');
  const codebuild = await startCodeBuildEndpoint({
    stateDir,
    s3Endpoint: moto.url,
    region: TEST_REGION,
    buildEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    ...options,
  });
  const clients = clientsFor({ s3: moto.url, ecr: moto.url, codebuild: codebuild.url, logs: codebuild.url });
  return {
    moto,
    codebuild,
    clients,
    stateDir,
    stop: async () => {
      clients.destroy();
      await codebuild.stop();
      await moto.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
