// A multi-architecture image: an OCI image index over per-architecture tags (GOV.UK Pay's
// `<N>-candidate-amd64` and `<N>-candidate-armv8` become `<N>-candidate`).
import type { ECRClient } from '@aws-sdk/client-ecr';
import { getManifest, manifestDigest, putManifest, type ImageRef } from './images.ts';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface IndexEntry {
  readonly tag: string;
  /** Default: guessed from the tag's suffix (`-amd64`, `-arm64`, `-armv8`, `-armv7`). */
  readonly platform?: Platform;
}

export interface ImageIndexResult {
  readonly tag: string;
  readonly digest: string;
  readonly manifest: string;
}

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

export function platformFromTag(tag: string): Platform {
  const suffix = /-(amd64|x86_64|arm64|armv8|aarch64|armv7)$/.exec(tag)?.[1];
  switch (suffix) {
    case 'amd64':
    case 'x86_64':
      return { os: 'linux', architecture: 'amd64' };
    case 'arm64':
    case 'armv8':
    case 'aarch64':
      return { os: 'linux', architecture: 'arm64', variant: 'v8' };
    case 'armv7':
      return { os: 'linux', architecture: 'arm', variant: 'v7' };
    default:
      throw new Error(`cannot tell the platform of tag "${tag}": give it explicitly ({ tag, platform: { os, architecture } })`);
  }
}

/** Builds the index from the per-architecture manifests and puts it under `tag`. */
export async function createImageIndex(
  ecr: ECRClient,
  ref: ImageRef,
  entries: readonly IndexEntry[],
  tag: string,
  endpoint?: string,
): Promise<ImageIndexResult> {
  if (entries.length === 0) throw new Error('an image index needs at least one per-architecture tag');
  const manifests = [];
  for (const entry of entries) {
    const image = await getManifest(ecr, ref, { tag: entry.tag }, endpoint);
    if (image.mediaType.includes('index') || image.mediaType.includes('manifest.list')) {
      throw new Error(`tag ${entry.tag} is already an index (${image.mediaType}); give per-architecture image tags`);
    }
    manifests.push({
      mediaType: image.mediaType,
      digest: image.digest,
      size: Buffer.byteLength(image.manifest, 'utf8'),
      platform: entry.platform ?? platformFromTag(entry.tag),
    });
  }
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests });
  const digest = manifestDigest(manifest);
  await putManifest(ecr, ref, { manifest, digest, mediaType: OCI_INDEX }, tag, endpoint);
  return { tag, digest, manifest };
}
