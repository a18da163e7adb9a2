// Needs moto_server and docker-registry: both started by the test on 127.0.0.1.
import { BatchGetImageCommand, DescribeImagesCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImage, buildImageIndex } from '../../packs/image/index.ts';
import type { BuiltImage, Descriptor } from '../../packs/image/index.ts';
import { copyImage, pushLayout, RegistryClient, resolveDigest } from '../../packs/registry/index.ts';
import { startTestRegistry } from '../../../test/support/registry.ts';
import type { TestRegistry } from '../../../test/support/registry.ts';
import type { MotoServer } from '../moto.ts';
import { startMoto } from '../moto.ts';
import type { EcrBridge } from './bridge.ts';
import { startEcrBridge } from './bridge.ts';

let root: string;
let moto: MotoServer;
let backend: TestRegistry;
let bridge: EcrBridge;
let ecr: ECRClient;
let image: BuiltImage;
let index: Descriptor;
let layoutDir: string;
let armDigest: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'seqrun-ecr-bridge-'));
  await mkdir(join(root, 'build'));
  await writeFile(join(root, 'build', 'index.html'), '<h1>pay</h1>\n');
  layoutDir = join(root, 'layout');
  image = await buildImage({ contextDir: join(root, 'build'), layoutDir, tag: 'amd64' });
  const arm = await buildImage({
    contextDir: join(root, 'build'),
    layoutDir,
    tag: 'arm64',
    platform: { os: 'linux', architecture: 'arm64' },
  });
  armDigest = arm.manifest.digest;
  index = await buildImageIndex(layoutDir, 'multi', [image.manifest, arm.manifest]);
  [moto, backend] = await Promise.all([startMoto(), startTestRegistry()]);
  ecr = new ECRClient({ endpoint: moto.url, region: 'eu-west-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  bridge = await startEcrBridge({ registryUrl: backend.url, ecr });
});
afterAll(async () => {
  await bridge?.stop();
  await Promise.all([moto?.stop(), backend?.stop()]);
  ecr?.destroy();
  await rm(root, { recursive: true, force: true });
});

const at = (repository: string): { client: RegistryClient; repository: string } => ({
  client: new RegistryClient({ url: bridge.url, retry: { attempts: 2, backoffMs: 1 } }),
  repository,
});

describe('sandbox ECR bridge (moto + docker-registry)', () => {
  it('makes an image pushed through the registry visible to DescribeImages and BatchGetImage', async () => {
    await pushLayout({ layoutDir, name: 'amd64', to: at('pay/frontend'), tags: ['42-candidate'] });
    const described = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'pay/frontend', imageIds: [{ imageTag: '42-candidate' }] }),
    );
    expect(described.imageDetails?.map((d) => [d.imageDigest, d.imageTags])).toEqual([[image.manifest.digest, ['42-candidate']]]);
    const got = await ecr.send(
      new BatchGetImageCommand({ repositoryName: 'pay/frontend', imageIds: [{ imageDigest: image.manifest.digest }] }),
    );
    expect(got.images?.[0]?.imageId?.imageDigest).toBe(image.manifest.digest);
  });

  it('makes a tag added with PutImage pullable through the registry, and listed', async () => {
    const got = await ecr.send(new BatchGetImageCommand({ repositoryName: 'pay/frontend', imageIds: [{ imageTag: '42-candidate' }] }));
    const manifest = got.images?.[0]?.imageManifest ?? '';
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'pay/frontend',
        imageManifest: manifest,
        imageManifestMediaType: got.images?.[0]?.imageManifestMediaType,
        imageTag: '42-release',
      }),
    );
    expect(await resolveDigest(at('pay/frontend'), '42-release')).toBe(image.manifest.digest);
    await ecr.send(
      new PutImageCommand({
        repositoryName: 'pay/frontend',
        imageManifest: manifest,
        imageManifestMediaType: got.images?.[0]?.imageManifestMediaType,
        imageTag: 'latest',
      }),
    );
    const listed = (await (await fetch(`${bridge.url}/v2/pay/frontend/tags/list`)).json()) as { tags: string[] };
    expect(listed.tags.sort()).toEqual(['42-candidate', '42-release', 'latest']);
  });

  it('mirrors a multi-arch index and its children, and copying out of it works', async () => {
    await pushLayout({ layoutDir, name: 'multi', to: at('pay/multi'), tags: ['7-candidate'] });
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'pay/multi' }));
    expect(described.imageDetails?.map((d) => d.imageDigest).sort()).toEqual([index.digest, image.manifest.digest, armDigest].sort());
    expect(described.imageDetails?.find((d) => d.imageDigest === index.digest)?.imageTags).toEqual(['7-candidate']);
    const hub = await startTestRegistry();
    try {
      const copied = await copyImage({
        from: at('pay/multi'),
        reference: '7-candidate',
        to: { client: new RegistryClient({ url: hub.url }), repository: 'govukpay/multi' },
        tags: ['latest-master'],
      });
      expect(copied.digest).toBe(index.digest);
    } finally {
      await hub.stop();
    }
  });
});
