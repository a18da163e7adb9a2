// The setup the Step Functions CLI tests share: a moto_server of their own with state-machine execution
// on, a project folder with a config naming `steps.ts`, the environment that points seqrun at that moto,
// and the bucket `journals` for the workers' S3 journal (`s3://journals/seqrun`).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';
import { s3Client } from '../../src/store/s3-objects.ts';
import { TEST_CREDENTIALS, TEST_REGION } from './aws-endpoints.ts';

export interface SfnMotoProject {
  readonly moto: MotoServer;
  readonly dir: string;
  readonly env: Record<string, string | undefined>;
}

/** `command`: the moto to start (default `moto_server`; MOTO_SFN_SERVER runs more than one execution). */
export async function sfnMotoProject(prefix: string, command?: string): Promise<SfnMotoProject> {
  const moto = await startMoto(command === undefined ? {} : { command });
  const on = await fetch(`${moto.url}/moto-api/config`, {
    method: 'POST',
    body: JSON.stringify({ stepfunctions: { execute_state_machine: true } }),
  });
  if (!on.ok) throw new Error(`moto refused to turn state-machine execution on: ${on.status}`);
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const env = {
    ...process.env,
    NO_COLOR: '1',
    SEQRUN_PROFILE: '',
    AWS_ENDPOINT_URL: moto.url,
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  };
  const s3 = s3Client(env);
  await s3.send(new CreateBucketCommand({ Bucket: 'journals', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
  s3.destroy();
  await writeFile(join(dir, 'seqrun.config.ts'), `export default { bindings: ['steps.ts'] };\n`);
  return { moto, dir, env };
}
