// Uploading a built folder to S3, against moto (local server): content types, cache headers, only
// changed files uploaded (by content hash), multipart for large files, removed files deleted.
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/packs/aws/index.ts';
import { uploadFolder } from '../../../src/packs/s3/index.ts';
import { startMoto, type MotoServer } from '../../../src/sandbox/moto.ts';
import { clientsFor, tempDir } from '../../support/aws-endpoints.ts';

describe('s3 folder upload against moto (local server)', () => {
  let moto: MotoServer;
  let clients: AwsClients;
  let site: string;

  beforeAll(async () => {
    moto = await startMoto();
    clients = clientsFor({ s3: moto.url });
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'www-example' }));
    site = tempDir('site');
    mkdirSync(join(site, 'assets'), { recursive: true });
    writeFileSync(join(site, 'index.html'), '<h1>v1</h1>');
    writeFileSync(join(site, 'assets/app.js'), 'console.log(1)');
    writeFileSync(join(site, 'assets/logo.svg'), '<svg/>');
    writeFileSync(join(site, 'assets/video.bin'), randomBytes(6 * 1024 * 1024));
  });
  afterAll(async () => {
    clients?.destroy();
    await moto?.stop();
  });

  const upload = (extra: { deleteRemoved?: boolean } = {}) =>
    uploadFolder(clients.s3, {
      dir: site,
      bucket: 'www-example',
      prefix: 'site/',
      cacheControl: (path) => (path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
      multipartThreshold: 5 * 1024 * 1024,
      partSize: 5 * 1024 * 1024,
      ...extra,
    });

  it('uploads every file with its content type and cache header; large files as multipart', async () => {
    expect(await upload()).toEqual({
      uploaded: ['assets/app.js', 'assets/logo.svg', 'assets/video.bin', 'index.html'],
      unchanged: [],
      deleted: [],
    });
    const head = (Key: string) => clients.s3.send(new HeadObjectCommand({ Bucket: 'www-example', Key }));
    expect(await head('site/index.html')).toMatchObject({ ContentType: 'text/html; charset=utf-8', CacheControl: 'no-cache' });
    expect(await head('site/assets/app.js')).toMatchObject({
      ContentType: 'text/javascript; charset=utf-8',
      CacheControl: 'public, max-age=31536000, immutable',
    });
    expect(await head('site/assets/logo.svg')).toMatchObject({ ContentType: 'image/svg+xml' });
    // A multipart upload's ETag is "<md5 of the part md5s>-<parts>".
    expect((await head('site/assets/video.bin')).ETag).toMatch(/-2"$/);
    const body = await clients.s3.send(new GetObjectCommand({ Bucket: 'www-example', Key: 'site/index.html' }));
    expect(await body.Body?.transformToString()).toBe('<h1>v1</h1>');
  });

  it('a second upload sends only what changed, and deletes what the folder no longer has when asked', async () => {
    writeFileSync(join(site, 'index.html'), '<h1>v2</h1>');
    rmSync(join(site, 'assets/logo.svg'));
    expect(await upload()).toEqual({ uploaded: ['index.html'], unchanged: ['assets/app.js', 'assets/video.bin'], deleted: [] });
    expect(await upload({ deleteRemoved: true })).toEqual({
      uploaded: [],
      unchanged: ['assets/app.js', 'assets/video.bin', 'index.html'],
      deleted: ['assets/logo.svg'],
    });
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: 'www-example', Prefix: 'site/' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual(['site/assets/app.js', 'site/assets/video.bin', 'site/index.html']);
  });
});
