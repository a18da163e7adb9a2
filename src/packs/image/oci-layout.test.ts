import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, buildImageIndex, readLayoutIndex } from './index.ts';

const run = promisify(execFile);
let root: string;
let context: string;
const longDir = 'deeply/nested/directory/with/a/name/long/enough/to/need/a/pax/header/beyond/one/hundred/bytes';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-image-'));
  context = join(root, 'build');
  await mkdir(join(context, longDir), { recursive: true });
  await writeFile(join(context, 'server.js'), 'console.log("pay")\n');
  await writeFile(join(context, 'start.sh'), '#!/bin/sh\nexec node server.js\n');
  await chmod(join(context, 'start.sh'), 0o755);
  await writeFile(join(context, longDir, 'file.txt'), 'x'.repeat(1000));
  await symlink('server.js', join(context, 'main.js'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

describe('buildImage (OCI layout, no Docker)', () => {
  it('writes blobs whose names are their digests, and a config whose diff_id is the uncompressed layer', async () => {
    const layoutDir = join(root, 'layout-a');
    const built = await buildImage({
      contextDir: context,
      layoutDir,
      tag: '42-candidate',
      config: { cmd: ['/app/start.sh'], env: { NODE_ENV: 'production' } },
    });
    const blob = (digest: string): Promise<Buffer> => readFile(join(layoutDir, 'blobs', 'sha256', digest.slice(7)));
    const manifestBytes = await blob(built.manifest.digest);
    expect(sha256(manifestBytes)).toBe(built.manifest.digest);
    expect(manifestBytes.length).toBe(built.manifest.size);
    const manifest = JSON.parse(manifestBytes.toString()) as { config: { digest: string }; layers: { digest: string; size: number }[] };
    expect(manifest.config.digest).toBe(built.config.digest);
    const layer = await blob(built.layer.digest);
    expect(sha256(layer)).toBe(built.layer.digest);
    expect(layer.length).toBe(built.layer.size);
    expect(sha256(gunzipSync(layer))).toBe(built.diffId);
    const config = JSON.parse((await blob(built.config.digest)).toString()) as {
      rootfs: { diff_ids: string[] };
      config: { Cmd: string[]; Env: string[] };
    };
    expect(config.rootfs.diff_ids).toEqual([built.diffId]);
    expect(config.config).toEqual({ Cmd: ['/app/start.sh'], Env: ['NODE_ENV=production'] });
    const index = await readLayoutIndex(layoutDir);
    expect(index.manifests.map((m) => [m.digest, m.annotations?.['org.opencontainers.image.ref.name']])).toEqual([
      [built.manifest.digest, '42-candidate'],
    ]);
  });

  it('produces a layer GNU tar reads back: paths under /app, long names, modes and symlinks', async () => {
    const layoutDir = join(root, 'layout-b');
    const built = await buildImage({ contextDir: context, layoutDir, tag: 'x' });
    const { stdout } = await run('tar', ['-tvzf', join(layoutDir, 'blobs', 'sha256', built.layer.digest.slice(7))]);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(5).join(' '))).toEqual([
      'app/',
      ...longDir.split('/').map((_, i, parts) => `app/${parts.slice(0, i + 1).join('/')}/`),
      `app/${longDir}/file.txt`,
      'app/main.js -> server.js',
      'app/server.js',
      'app/start.sh',
    ]);
    expect(lines.find((l) => l.endsWith('app/start.sh'))).toMatch(/^-rwxr-xr-x root\/root/);
    const extract = join(root, 'extract');
    await mkdir(extract);
    await run('tar', ['-xzf', join(layoutDir, 'blobs', 'sha256', built.layer.digest.slice(7)), '-C', extract]);
    expect(await readFile(join(extract, 'app', longDir, 'file.txt'), 'utf8')).toBe('x'.repeat(1000));
  });

  it('is reproducible: the same build output gives the same digest', async () => {
    const a = await buildImage({ contextDir: context, layoutDir: join(root, 'layout-c1'), tag: 't' });
    const b = await buildImage({ contextDir: context, layoutDir: join(root, 'layout-c2'), tag: 't' });
    expect(b.manifest.digest).toBe(a.manifest.digest);
  });

  it('is an image layout skopeo understands, including a multi-platform index', async () => {
    const layoutDir = join(root, 'layout-d');
    const amd = await buildImage({
      contextDir: context,
      layoutDir,
      tag: '42-candidate-amd64',
      platform: { os: 'linux', architecture: 'amd64' },
    });
    const arm = await buildImage({
      contextDir: context,
      layoutDir,
      tag: '42-candidate-armv8',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    });
    const index = await buildImageIndex(layoutDir, '42-candidate', [amd.manifest, arm.manifest]);
    const { stdout } = await run('skopeo', ['inspect', '--raw', `oci:${layoutDir}:42-candidate`]);
    expect(sha256(Buffer.from(stdout))).toBe(index.digest);
    const inspected = JSON.parse((await run('skopeo', ['inspect', `oci:${layoutDir}:42-candidate-armv8`])).stdout) as {
      Architecture: string;
      Layers: string[];
      Digest: string;
    };
    expect(inspected).toMatchObject({ Architecture: 'arm64', Layers: [arm.layer.digest], Digest: arm.manifest.digest });
  });
});
