// ECR pack against moto (local server).
import { BatchGetImageCommand, CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/packs/aws/index.ts';
import {
  addTags,
  createImageIndex,
  getRegistryLogin,
  manifestDigest,
  OCI_INDEX,
  resolveTag,
  verifyTags,
} from '../../../src/packs/ecr/index.ts';
import { startMoto, type MotoServer } from '../../../src/sandbox/moto.ts';
import { clientsFor } from '../../support/aws-endpoints.ts';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const ref = { repositoryName: 'govukpay/connector' };

function imageManifest(seed: string): string {
  const blob = (n: string) => `sha256:${n.repeat(64).slice(0, 64)}`;
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: blob(seed), size: 1234 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: blob(`${seed}f`), size: 5678 }],
  });
}

describe('ecr pack against moto (local server)', () => {
  let moto: MotoServer;
  let clients: AwsClients;
  const amd64 = imageManifest('a');
  const armv8 = imageManifest('b');

  const push = (manifest: string, tag: string) =>
    clients.ecr.send(
      new PutImageCommand({
        ...ref,
        imageManifest: manifest,
        imageManifestMediaType: OCI_MANIFEST,
        imageTag: tag,
        imageDigest: manifestDigest(manifest),
      }),
    );

  beforeAll(async () => {
    moto = await startMoto();
    clients = clientsFor({ ecr: moto.url });
  });
  beforeEach(async () => {
    await moto.reset();
    await clients.ecr.send(new CreateRepositoryCommand(ref));
    await push(amd64, '42-candidate-amd64');
    await push(armv8, '42-candidate-armv8');
  });
  afterAll(async () => {
    clients?.destroy();
    await moto?.stop();
  });

  it('resolves a tag to the sha256 of its manifest', async () => {
    expect(await resolveTag(clients.ecr, ref, '42-candidate-amd64')).toBe(manifestDigest(amd64));
    await expect(resolveTag(clients.ecr, ref, '41-candidate-amd64')).rejects.toThrow(
      /tag 41-candidate-amd64 not found in repository govukpay\/connector/,
    );
  });

  it('adds tags with a manifest copy, byte for byte, and is idempotent', async () => {
    const first = await addTags(clients.ecr, ref, { tag: '42-candidate-amd64' }, ['42-release', 'latest']);
    expect(first).toEqual({ digest: manifestDigest(amd64), added: ['42-release', 'latest'], unchanged: [] });
    const copy = await clients.ecr.send(
      new BatchGetImageCommand({ ...ref, imageIds: [{ imageTag: '42-release' }], acceptedMediaTypes: [OCI_MANIFEST] }),
    );
    expect(copy.images?.[0]?.imageManifest).toBe(amd64);
    expect(copy.images?.[0]?.imageId?.imageDigest).toBe(manifestDigest(amd64));
    const again = await addTags(clients.ecr, ref, { digest: manifestDigest(amd64) }, ['42-release', 'latest']);
    expect(again).toEqual({ digest: manifestDigest(amd64), added: [], unchanged: ['42-release', 'latest'] });
  });

  it('refuses to retag onto a tag that holds another digest, unless the tag is movable', async () => {
    await addTags(clients.ecr, ref, { tag: '42-candidate-armv8' }, ['42-release', 'latest']);
    await expect(addTags(clients.ecr, ref, { tag: '42-candidate-amd64' }, ['42-release'])).rejects.toThrow(
      `ECR: tag 42-release in govukpay/connector already points at ${manifestDigest(armv8)}, not ${manifestDigest(amd64)}`,
    );
    expect(await resolveTag(clients.ecr, ref, '42-release')).toBe(manifestDigest(armv8));
    const moved = await addTags(clients.ecr, ref, { tag: '42-candidate-amd64' }, ['latest'], { movable: ['latest'] });
    expect(moved.added).toEqual(['latest']);
    expect(await resolveTag(clients.ecr, ref, 'latest')).toBe(manifestDigest(amd64));
  });

  it('creates an OCI image index from per-architecture tags', async () => {
    const index = await createImageIndex(clients.ecr, ref, [{ tag: '42-candidate-amd64' }, { tag: '42-candidate-armv8' }], '42-candidate');
    expect(JSON.parse(index.manifest)).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: manifestDigest(amd64),
          size: Buffer.byteLength(amd64),
          platform: { os: 'linux', architecture: 'amd64' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: manifestDigest(armv8),
          size: Buffer.byteLength(armv8),
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        },
      ],
    });
    expect(await resolveTag(clients.ecr, ref, '42-candidate')).toBe(index.digest);
    const stored = await clients.ecr.send(
      new BatchGetImageCommand({ ...ref, imageIds: [{ imageTag: '42-candidate' }], acceptedMediaTypes: [OCI_INDEX] }),
    );
    expect(stored.images?.[0]?.imageManifestMediaType).toBe(OCI_INDEX);
    // The index retags like any manifest.
    expect((await addTags(clients.ecr, ref, { tag: '42-candidate' }, ['42-release'])).digest).toBe(index.digest);
  });

  it('verifies that tags exist and names the missing ones', async () => {
    await expect(verifyTags(clients.ecr, ref, ['42-candidate-amd64', '42-candidate-armv8'])).resolves.toEqual({
      present: { '42-candidate-amd64': manifestDigest(amd64), '42-candidate-armv8': manifestDigest(armv8) },
      missing: [],
    });
    await expect(verifyTags(clients.ecr, ref, ['42-candidate-amd64', '42-candidate', '42-release'])).rejects.toThrow(
      'ECR: repository govukpay/connector lacks tags 42-candidate, 42-release',
    );
  });

  it('gets registry credentials from GetAuthorizationToken', async () => {
    const login = await getRegistryLogin(clients.ecr);
    expect(login.username).toBe('AWS');
    expect(login.password.length).toBeGreaterThan(0);
    expect(login.registry).toMatch(/^https:\/\/\d+\.dkr\.ecr\.eu-west-1\.amazonaws\.com$/);
  });
});
