// The registry pack's operations: push an OCI layout, copy between registries, tag.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryClient } from './client.ts';
import { RegistryError } from './client.ts';
import type { CopyStats } from './copy.ts';
import { copyManifestTree, putTags } from './copy.ts';
import { layoutSource, MANIFEST_TYPES, registrySource } from './content.ts';

export interface ImageLocation {
  readonly client: RegistryClient;
  readonly repository: string;
}

export interface PushResult {
  /** The digest of the pushed manifest or index. */
  readonly digest: string;
  readonly mediaType: string;
  readonly tags: readonly string[];
  readonly stats: CopyStats;
}

interface Descriptor {
  readonly digest: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

async function readLayoutIndex(layoutDir: string): Promise<{ manifests: Descriptor[] }> {
  const text = await readFile(join(layoutDir, 'index.json'), 'utf8').catch(() => {
    throw new RegistryError(`${layoutDir} is not an OCI image layout (no index.json); build the image first`, null, false);
  });
  return JSON.parse(text) as { manifests: Descriptor[] };
}

const newStats = (): CopyStats => ({ uploaded: 0, mounted: 0, skipped: 0, manifests: 0 });

function findInLayout(manifests: readonly Descriptor[], layoutDir: string, name: string | undefined): Descriptor {
  const names = manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).filter((n): n is string => n !== undefined);
  const found =
    name === undefined
      ? manifests.length === 1
        ? manifests[0]
        : undefined
      : manifests.find((m) => m.annotations?.['org.opencontainers.image.ref.name'] === name);
  if (found) return found;
  throw new RegistryError(
    name === undefined
      ? `${layoutDir} holds ${manifests.length} images (${names.join(', ')}); say which one to push`
      : `${layoutDir} has no image named ${name} (it has: ${names.join(', ') || 'none'}); build it first or fix the name`,
    null,
    false,
  );
}

/** Pushes the image (or index) named `name` in the OCI layout at `layoutDir` and tags it. */
export async function pushLayout(options: {
  layoutDir: string;
  name?: string;
  to: ImageLocation;
  tags: readonly string[];
}): Promise<PushResult> {
  const index = await readLayoutIndex(options.layoutDir);
  const descriptor = findInLayout(index.manifests, options.layoutDir, options.name);
  const source = layoutSource(options.layoutDir);
  const stats = newStats();
  const manifest = await copyManifestTree({ source, to: options.to, stats }, await source.manifest(descriptor.digest));
  await putTags(options.to, manifest, options.tags);
  return { digest: manifest.digest, mediaType: manifest.mediaType, tags: options.tags, stats };
}

/**
 * Copies an image or index from one repository to another (same or different registry) by digest,
 * with the same bytes, so its digest is unchanged; then points `tags` at it.
 */
export async function copyImage(options: {
  from: ImageLocation;
  reference: string;
  to: ImageLocation;
  tags?: readonly string[];
}): Promise<PushResult> {
  const source = registrySource(options.from.client, options.from.repository);
  const stats = newStats();
  const root = await source.manifest(options.reference);
  const manifest = await copyManifestTree({ source, sourceRegistry: options.from, to: options.to, stats }, root);
  const tags = options.tags ?? [];
  await putTags(options.to, manifest, tags);
  return { digest: manifest.digest, mediaType: manifest.mediaType, tags, stats };
}

/** Adds tags to an image already in the repository, like `docker buildx imagetools create -t NEW OLD`. */
export async function tagImage(options: { at: ImageLocation; reference: string; tags: readonly string[] }): Promise<PushResult> {
  const manifest = await registrySource(options.at.client, options.at.repository).manifest(options.reference);
  await putTags(options.at, manifest, options.tags);
  return {
    digest: manifest.digest,
    mediaType: manifest.mediaType,
    tags: options.tags,
    stats: { ...newStats(), manifests: options.tags.length },
  };
}

/** The digest a tag points at, or null when the tag does not exist. */
export async function resolveDigest(at: ImageLocation, reference: string): Promise<string | null> {
  const response = await at.client.send(
    {
      method: 'HEAD',
      path: `/v2/${at.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_TYPES.join(', ') },
      scopes: [`repository:${at.repository}:pull`],
    },
    `resolving ${at.repository}:${reference}`,
  );
  await response.body?.cancel();
  if (response.status === 404) return null;
  if (!response.ok)
    throw new RegistryError(
      `resolving ${at.client.url}/${at.repository}:${reference}: the registry answered ${response.status}`,
      response.status,
      false,
    );
  return response.headers.get('docker-content-digest');
}
