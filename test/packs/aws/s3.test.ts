// S3 pack against moto (local server).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/packs/aws/index.ts';
import { ensureVersionedBucket, uploadSnapshot } from '../../../src/packs/s3/index.ts';
import { startMoto, type MotoServer } from '../../../src/sandbox/moto.ts';
import { clientsFor, tempDir } from '../../support/aws-endpoints.ts';
import { git, makeRepo } from '../../support/git-repo.ts';

describe('s3 snapshot upload against moto (local server)', () => {
  let moto: MotoServer;
  let clients: AwsClients;
  let repo: string;
  let commit: string;

  beforeAll(async () => {
    moto = await startMoto();
    clients = clientsFor({ s3: moto.url });
    repo = tempDir('snapshot');
    commit = makeRepo(repo, { 'README.md': 'pay-connector\n', 'src/Main.java': 'class Main {}\n', '.gitignore': '.env\n' });
    // Working-tree files that must never leave the machine.
    writeFileSync(join(repo, '.env'), 'AWS_SECRET_ACCESS_KEY=do-not-ship\n');
    writeFileSync(join(repo, 'untracked.txt'), 'scratch\n');
    writeFileSync(join(repo, 'README.md'), 'uncommitted edit\n');
  });
  beforeEach(async () => {
    await moto.reset();
    await ensureVersionedBucket(clients.s3, 'pay-sources');
  });
  afterAll(async () => {
    clients?.destroy();
    await moto?.stop();
  });

  it('uploads tracked files at the ref only and returns bucket, key, ETag and VersionId', async () => {
    const object = await uploadSnapshot(clients.s3, {
      repoDir: repo,
      ref: 'alpha_release-1',
      bucket: 'pay-sources',
      key: 'sources/pay-connector.zip',
      partSize: 5 * 1024 * 1024,
    });
    expect(object).toMatchObject({ bucket: 'pay-sources', key: 'sources/pay-connector.zip', commit });
    expect(object.etag).toMatch(/^".+"$/);
    expect(object.versionId).toMatch(/.+/);
    const got = await clients.s3.send(
      new GetObjectCommand({ Bucket: 'pay-sources', Key: 'sources/pay-connector.zip', VersionId: object.versionId }),
    );
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.length).toBe(object.bytes);
    const zip = join(tempDir('zip'), 'snapshot.zip');
    writeFileSync(zip, bytes);
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(['.gitignore', 'README.md', 'src/', 'src/Main.java']);
    expect(execFileSync('unzip', ['-p', zip, 'README.md'], { encoding: 'utf8' })).toBe('pay-connector\n');
  });

  it('gives each upload of the same key its own VersionId', async () => {
    const input = { repoDir: repo, ref: 'alpha_release-1', bucket: 'pay-sources', key: 'sources/app.tar.gz', format: 'tar.gz' } as const;
    const first = await uploadSnapshot(clients.s3, input);
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'next');
    const second = await uploadSnapshot(clients.s3, { ...input, ref: 'HEAD' });
    expect(second.versionId).not.toBe(first.versionId);
    const versions = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: 'pay-sources', Prefix: 'sources/app.tar.gz' }));
    expect(versions.Versions?.map((version) => version.VersionId).sort()).toEqual([first.versionId, second.versionId].sort());
  });

  it('refuses a ref that names no commit, before uploading anything', async () => {
    await expect(
      uploadSnapshot(clients.s3, { repoDir: repo, ref: 'alpha_release-999', bucket: 'pay-sources', key: 'k.zip' }),
    ).rejects.toThrow(/ref "alpha_release-999" does not name a commit/);
    const versions = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: 'pay-sources' }));
    expect(versions.Versions ?? []).toEqual([]);
  });

  it('names the bucket problem when the bucket does not exist', async () => {
    await expect(
      uploadSnapshot(clients.s3, { repoDir: repo, ref: 'alpha_release-1', bucket: 'no-such-bucket', key: 'k.zip' }, moto.url),
    ).rejects.toThrow(/S3 multipart upload at http:\/\/127\.0\.0\.1:\d+ failed: NoSuchBucket/);
  });
});
