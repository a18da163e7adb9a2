// Against real docker-registry servers started by the tests (127.0.0.1, free ports, temp storage).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, buildImageIndex } from '../image/index.ts';
import type { BuiltImage, Descriptor } from '../image/index.ts';
import { freePort } from '../../sandbox/ports.ts';
import { startRegistryProxy } from '../../../test/support/registry-proxy.ts';
import type { RegistryProxy } from '../../../test/support/registry-proxy.ts';
import { startTestRegistry } from '../../../test/support/registry.ts';
import type { TestRegistry } from '../../../test/support/registry.ts';
import { memoryLogger } from '../../../test/support/logger.ts';
import {
  copyImage,
  DigestMismatchError,
  pushLayout,
  RegistryAuthError,
  RegistryClient,
  RegistryError,
  resolveDigest,
  tagImage,
} from './index.ts';

const run = promisify(execFile);
let root: string;
let layoutDir: string;
let ecr: TestRegistry;
let hub: TestRegistry;
let amd: BuiltImage;
let index: Descriptor;

const client = (url: string, extra: Partial<ConstructorParameters<typeof RegistryClient>[0]> = {}): RegistryClient =>
  new RegistryClient({ url, retry: { attempts: 3, backoffMs: 1 }, ...extra });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-registry-pack-'));
  const context = join(root, 'build');
  await mkdir(context);
  await writeFile(join(context, 'app.js'), `console.log(${JSON.stringify('x'.repeat(5000))})\n`);
  layoutDir = join(root, 'layout');
  amd = await buildImage({ contextDir: context, layoutDir, tag: '7-candidate-amd64' });
  const arm = await buildImage({
    contextDir: context,
    layoutDir,
    tag: '7-candidate-armv8',
    platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    config: { cmd: ['node', '/app/app.js'] },
  });
  index = await buildImageIndex(layoutDir, '7-candidate', [amd.manifest, arm.manifest]);
  [ecr, hub] = await Promise.all([startTestRegistry(), startTestRegistry()]);
});
afterAll(async () => {
  await Promise.all([ecr?.stop(), hub?.stop()]);
  await rm(root, { recursive: true, force: true });
});

async function skopeoDigest(url: string, ref: string): Promise<string> {
  const { stdout } = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${new URL(url).host}/${ref}`]);
  const { createHash } = await import('node:crypto');
  return `sha256:${createHash('sha256').update(stdout).digest('hex')}`;
}

describe('registry pack against docker-registry', () => {
  it('pushes an image index from an OCI layout; skopeo reads the same digest back', async () => {
    const at = { client: client(ecr.url), repository: 'pay/app' };
    const pushed = await pushLayout({ layoutDir, name: '7-candidate', to: at, tags: ['7-candidate'] });
    expect(pushed.digest).toBe(index.digest);
    expect(pushed.stats).toEqual({ uploaded: 3, mounted: 0, skipped: 1, manifests: 3 });
    expect(await skopeoDigest(ecr.url, 'pay/app:7-candidate')).toBe(index.digest);
    const { stdout } = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      '--override-arch',
      'arm64',
      `docker://${new URL(ecr.url).host}/pay/app:7-candidate`,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ Architecture: 'arm64' });
  });

  it('tags through a manifest copy (no rebuild) and resolves tags to digests', async () => {
    const at = { client: client(ecr.url), repository: 'pay/app' };
    const tagged = await tagImage({ at, reference: '7-candidate', tags: ['7-release', 'latest'] });
    expect(tagged.digest).toBe(index.digest);
    expect(await resolveDigest(at, 'latest')).toBe(index.digest);
    expect(await resolveDigest(at, 'no-such-tag')).toBeNull();
  });

  it('copies an index to another registry by digest, then skips what is already there', async () => {
    const log = memoryLogger();
    const from = { client: client(ecr.url), repository: 'pay/app' };
    const to = { client: client(hub.url, { log }), repository: 'govukpay/app' };
    const copied = await copyImage({ from, reference: index.digest, to, tags: ['latest-master'] });
    expect(copied).toMatchObject({ digest: index.digest, stats: { uploaded: 3, mounted: 0, skipped: 1, manifests: 3 } });
    expect(await skopeoDigest(hub.url, 'govukpay/app:latest-master')).toBe(index.digest);
    const again = await copyImage({ from, reference: '7-candidate', to, tags: ['latest-master'] });
    expect(again.stats).toEqual({ uploaded: 0, mounted: 0, skipped: 2, manifests: 1 });
    expect(log.lines.some((l) => l.message.startsWith('uploaded sha256:'))).toBe(true);
  });

  it('mounts blobs across repositories of the same registry instead of uploading them', async () => {
    const from = { client: client(ecr.url), repository: 'pay/app' };
    const copied = await copyImage({
      from,
      reference: amd.manifest.digest,
      to: { client: client(ecr.url), repository: 'pay/app-mirror' },
      tags: ['7'],
    });
    expect(copied.stats).toEqual({ uploaded: 0, mounted: 2, skipped: 0, manifests: 1 });
    expect(await skopeoDigest(ecr.url, 'pay/app-mirror:7')).toBe(amd.manifest.digest);
  });

  it('fails clearly when the registry is down', async () => {
    const port = await freePort();
    const down = client(`http://127.0.0.1:${port}`, {});
    await expect(tagImage({ at: { client: down, repository: 'x' }, reference: 'a', tags: ['b'] })).rejects.toThrow(
      `refused the connection (is it running?) after 3 attempts; check the registry at http://127.0.0.1:${port}`,
    );
  });
});

describe('registry pack faults (proxy in front of docker-registry)', () => {
  let proxy: RegistryProxy;
  beforeAll(async () => {
    proxy = await startRegistryProxy(hub.url);
  });
  afterAll(async () => proxy.close());

  it('retries a blob upload that fails with 500 midway and completes the push', async () => {
    proxy.faults.failUploads = 1;
    const pushed = await pushLayout({
      layoutDir,
      name: '7-candidate-amd64',
      to: { client: client(proxy.url), repository: 'retry/app' },
      tags: ['t'],
    });
    expect(pushed.digest).toBe(amd.manifest.digest);
    expect(proxy.seen.filter((s) => s.startsWith('PUT') && s.endsWith(' 500'))).toHaveLength(1);
    expect(await skopeoDigest(hub.url, 'retry/app:t')).toBe(amd.manifest.digest);
  });

  it('gives up after a bound and never pushes a manifest pointing at the missing blob', async () => {
    proxy.faults.failUploads = 100;
    const error = await pushLayout({
      layoutDir,
      name: '7-candidate-amd64',
      to: { client: client(proxy.url), repository: 'broken/app' },
      tags: ['t'],
    }).catch((e: unknown) => e);
    proxy.faults.failUploads = 0;
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toMatch(/uploading blob sha256:[0-9a-f]{64} .*gave up after 3 uploads/);
    expect(proxy.seen.some((s) => s.startsWith('PUT /v2/broken/app/manifests/'))).toBe(false);
    expect(await resolveDigest({ client: client(hub.url), repository: 'broken/app' }, 't')).toBeNull();
  });

  it('detects a digest mismatch while copying and pushes nothing that depends on it', async () => {
    proxy.faults.corruptBlob = amd.layer.digest;
    const error = await copyImage({
      from: { client: client(proxy.url), repository: 'retry/app' },
      reference: amd.manifest.digest,
      to: { client: client(ecr.url), repository: 'corrupt/app' },
      tags: ['t'],
    }).catch((e: unknown) => e);
    proxy.faults.corruptBlob = null;
    expect(error).toBeInstanceOf(DigestMismatchError);
    expect((error as Error).message).toContain(`expected ${amd.layer.digest}`);
    const dest = { client: client(ecr.url), repository: 'corrupt/app' };
    expect(await resolveDigest(dest, 't')).toBeNull();
    expect(await resolveDigest(dest, amd.manifest.digest)).toBeNull();
    const head = await fetch(`${ecr.url}/v2/corrupt/app/blobs/${amd.layer.digest}`, { method: 'HEAD' });
    expect(head.status).toBe(404);
  });

  it('waits out 429 Too Many Requests within the retry bound', async () => {
    proxy.faults.tooManyRequests = 2;
    expect(await resolveDigest({ client: client(proxy.url), repository: 'retry/app' }, 't')).toBe(amd.manifest.digest);
    proxy.faults.tooManyRequests = 5;
    await expect(resolveDigest({ client: client(proxy.url), repository: 'retry/app' }, 't')).rejects.toThrow(
      /answered 429 \(too many requests\) after 3 attempts/,
    );
    proxy.faults.tooManyRequests = 0;
  });

  it('authenticates with Basic credentials after a Basic challenge', async () => {
    proxy.auth = { kind: 'basic', username: 'ci', password: 's3cret' };
    try {
      const anonymous = client(proxy.url);
      await expect(resolveDigest({ client: anonymous, repository: 'retry/app' }, 't')).rejects.toBeInstanceOf(RegistryAuthError);
      const authed = client(proxy.url, { auth: { kind: 'basic', username: 'ci', password: 's3cret' } });
      expect(await resolveDigest({ client: authed, repository: 'retry/app' }, 't')).toBe(amd.manifest.digest);
    } finally {
      proxy.auth = { kind: 'none' };
    }
  });

  it('gets Bearer tokens from the realm for the scopes it needs, including the mount source', async () => {
    proxy.auth = { kind: 'bearer', username: 'ci', password: 's3cret' };
    try {
      const wrong = client(proxy.url, { auth: { kind: 'basic', username: 'ci', password: 'nope' } });
      await expect(resolveDigest({ client: wrong, repository: 'retry/app' }, 't')).rejects.toThrow(/token service .* refused \(401\)/);
      const authed = client(proxy.url, { auth: { kind: 'basic', username: 'ci', password: 's3cret' } });
      const copied = await copyImage({
        from: { client: authed, repository: 'retry/app' },
        reference: 't',
        to: { client: authed, repository: 'mounted/app' },
        tags: ['t'],
      });
      expect(copied.stats.mounted).toBe(2);
      expect(proxy.tokenRequests).toContainEqual(['repository:retry/app:pull']);
      expect(proxy.tokenRequests).toContainEqual(['repository:mounted/app:pull,push', 'repository:retry/app:pull']);
    } finally {
      proxy.auth = { kind: 'none' };
    }
  });
});
