// A run journaled to S3 survives losing its machine: killed with -9 in checkout A, resumed from a
// clean checkout B, it finishes with each side effect done once. The lease keeps a second run of the
// same release out; the local journal alone cannot do the same across machines (last test).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startMoto, type MotoServer } from '../../src/sandbox/moto.ts';
import { parseS3Location } from '../../src/store/location.ts';
import { readS3Journal } from '../../src/store/s3-journal.ts';
import { s3Client, type S3Store } from '../../src/store/s3-objects.ts';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/aws-endpoints.ts';
import { calls, childEnv, count, latestRun, runCli, spawnCli, statuses, tempProject, waitFor } from '../run/support.ts';

let moto: MotoServer;
let env: NodeJS.ProcessEnv;
let store: S3Store;
const JOURNAL = 's3://journals/releases';

beforeAll(async () => {
  moto = await startMoto();
  const aws = {
    AWS_ENDPOINT_URL_S3: moto.url,
    AWS_REGION: TEST_REGION,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  };
  env = childEnv(aws);
  store = { client: s3Client(aws), location: parseS3Location(JOURNAL) };
  await store.client.send(new CreateBucketCommand({ Bucket: 'journals', CreateBucketConfiguration: { LocationConstraint: TEST_REGION } }));
});

afterAll(async () => {
  store.client.destroy();
  await moto.stop();
});

describe('the S3 journal across checkouts (needs moto)', () => {
  it('kill -9 in checkout A with a job open, resume from a clean checkout B: green, the job started once', async () => {
    const a = tempProject();
    const first = spawnCli(['run', 'kill.seq', '--var', `workdir=${a}`, '--journal', JOURNAL], a, env);
    await waitFor(
      () => existsSync(join(a, '.seqrun/runs/latest')) && calls(a).includes('start arm') && calls(a).includes('await'),
      'the job to run',
    );
    first.child.kill('SIGKILL');
    await first.done;
    const runId = latestRun(a);
    writeFileSync(join(a, 'done-build-arm'), 'SUCCEEDED');

    const b = tempProject();
    const resumed = await runCli(['resume', runId, '--journal', JOURNAL], b, env);
    expect(resumed.stderr).toContain(`took over the lease of run ${runId}`);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`resuming run ${runId}`);
    const log = calls(a);
    expect(count(log, 'start arm')).toBe(1);
    for (const once of ['tag', 'fetch main', 'slack']) expect(count(log, once)).toBe(1);
    const journal = await readS3Journal(store, runId);
    expect(journal?.events.at(-1)).toMatchObject({ type: 'run-finished', status: 'passed' });
    expect(journal?.events.filter((e) => e.type === 'job-started')).toHaveLength(1);
    expect(Object.values(statuses({ events: journal?.events ?? [], tornTail: false, badLines: [] })).every((s) => s === 'passed')).toBe(
      true,
    );
    // B's own copy starts with what S3 held, so B can render the whole run.
    expect(existsSync(join(b, '.seqrun/runs', runId, 'journal.ndjson'))).toBe(true);
    // Any checkout draws the run from S3 alone.
    const c = tempProject();
    const temp = join(c, 'tmp');
    mkdirSync(temp);
    const drawn = await runCli(['render', 'kill.seq', '--run', runId, '--journal', JOURNAL, '--format', 'markdown'], c, {
      ...env,
      TMPDIR: temp,
    });
    expect(drawn.stderr).toBe('');
    expect(drawn.code).toBe(0);
    expect(drawn.stdout).toContain('passed');
    // The local copy it drew from is gone with the command.
    expect(readdirSync(temp).filter((name) => name.startsWith('seqrun-'))).toEqual([]);
  });

  it('a second run of the same release, from another checkout, is refused with the holder (exit 2)', async () => {
    const a = tempProject();
    const first = spawnCli(['run', 'sigint.seq', '--var', `workdir=${a}`, '--journal', JOURNAL], a, env);
    await waitFor(() => calls(a).includes('waiting'), 'the long step to start');
    const c = tempProject();
    const second = await runCli(['run', 'sigint.seq', '--var', `workdir=${a}`, '--journal', JOURNAL], c, env);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`run ${latestRun(a)} on .* \\(pid \\d+\\) holds this release since`));
    expect(existsSync(join(c, '.seqrun/runs/latest'))).toBe(false);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
  });

  it('--wait-for-lease waits while the release is held, then runs once the holder has ended', async () => {
    const a = tempProject();
    const args = ['run', 'sigint.seq', '--var', `workdir=${a}`, '--journal', JOURNAL];
    const first = spawnCli(args, a, env);
    await waitFor(() => count(calls(a), 'waiting') === 1, 'the first run to hold the release');
    const second = spawnCli([...args, '--wait-for-lease'], tempProject(), env);
    await waitFor(() => second.output.stderr.includes('waiting for the lease'), 'the second run to wait');
    expect(count(calls(a), 'waiting')).toBe(1);
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    await waitFor(() => count(calls(a), 'waiting') === 2, 'the second run to start its long step');
    second.child.kill('SIGINT');
    expect((await second.done).code).toBe(130);
  });

  it('an unreachable journal store refuses the run before anything runs (exit 2)', async () => {
    const a = tempProject();
    const down = { ...env, AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' };
    const r = await runCli(['run', 'pass.seq', '--var', `workdir=${a}`, '--journal', JOURNAL], a, down);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('seqrun run: cannot write s3://journals/releases/leases/');
    expect(calls(a)).toEqual([]);
  });

  it('with the local journal only, a clean checkout has nothing to resume: why the S3 journal exists', async () => {
    const a = tempProject();
    const first = spawnCli(['run', 'kill.seq', '--var', `workdir=${a}`], a, env);
    await waitFor(() => calls(a).includes('await'), 'the job to run');
    first.child.kill('SIGKILL');
    await first.done;
    const b = tempProject();
    const resumed = await runCli(['resume', latestRun(a)], b, env);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(`no journal for run '${latestRun(a)}'`);
  });
});
