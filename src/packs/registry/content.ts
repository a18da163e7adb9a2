// Where manifests and blobs come from: a registry repository or an OCI layout on disk. Both hand out
// content unverified; the copier verifies every digest as the bytes stream through.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryClient } from './client.ts';
import { RegistryError, registryErrorText } from './client.ts';
import { SeqrunError } from '../../errors.ts';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

export interface BlobRef {
  readonly digest: string;
  readonly size: number;
  readonly mediaType?: string;
}

export interface ManifestBytes {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}

/** A parsed manifest: an index (children are manifests) or an image (children are blobs). */
export type ParsedManifest =
  { readonly kind: 'index'; readonly manifests: readonly BlobRef[] } | { readonly kind: 'image'; readonly blobs: readonly BlobRef[] };

export interface ContentSource {
  readonly describe: string;
  manifest(reference: string): Promise<ManifestBytes>;
  blob(ref: BlobRef): Promise<AsyncIterable<Uint8Array>>;
}

export class DigestMismatchError extends SeqrunError {
  override readonly name = 'DigestMismatchError';
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string, where: string, options?: ErrorOptions) {
    super(
      `digest mismatch for ${where}: expected ${expected}, got ${actual}; the source is corrupt or changed while it was read, nothing was pushed for it`,
      'DIGEST_MISMATCH',
      options,
    );
    this.expected = expected;
    this.actual = actual;
  }
}

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function parseManifest(manifest: ManifestBytes, where: string): ParsedManifest {
  const json = JSON.parse(manifest.bytes.toString('utf8')) as { manifests?: BlobRef[]; config?: BlobRef; layers?: BlobRef[] };
  if (Array.isArray(json.manifests)) return { kind: 'index', manifests: json.manifests };
  if (json.config && Array.isArray(json.layers)) return { kind: 'image', blobs: [json.config, ...json.layers] };
  throw new RegistryError(`${where} is neither an image manifest nor an index (media type ${manifest.mediaType})`, null, false);
}

function mediaTypeOf(bytes: Buffer, fallback: string | null): string {
  const declared = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType;
  return declared ?? fallback ?? MANIFEST_TYPES[1];
}

/** Checks `bytes` against a digest reference (`sha256:...`); tags are not checked. */
export function verifyManifest(bytes: Buffer, reference: string, where: string): string {
  const digest = sha256(bytes);
  if (reference.startsWith('sha256:') && digest !== reference) throw new DigestMismatchError(reference, digest, where);
  return digest;
}

export function registrySource(client: RegistryClient, repository: string): ContentSource {
  const scopes = [`repository:${repository}:pull`];
  const describe = `${client.url}/${repository}`;
  return {
    describe,
    async manifest(reference) {
      const response = await client.send(
        { method: 'GET', path: `/v2/${repository}/manifests/${reference}`, headers: { accept: MANIFEST_TYPES.join(', ') }, scopes },
        `reading manifest ${describe}:${reference}`,
      );
      if (!response.ok)
        throw new RegistryError(
          `could not read manifest ${describe}:${reference}: ${await registryErrorText(response)}; check the repository and tag exist`,
          response.status,
          false,
        );
      const bytes = Buffer.from(await response.arrayBuffer());
      const digest = verifyManifest(bytes, reference, `manifest ${describe}@${reference}`);
      return { bytes, digest, mediaType: mediaTypeOf(bytes, response.headers.get('content-type')) };
    },
    async blob(ref) {
      const response = await client.send(
        { method: 'GET', path: `/v2/${repository}/blobs/${ref.digest}`, scopes },
        `reading blob ${ref.digest} from ${describe}`,
      );
      if (!response.ok || response.body === null)
        throw new RegistryError(
          `could not read blob ${ref.digest} from ${describe}: ${await registryErrorText(response)}`,
          response.status,
          false,
        );
      return response.body as unknown as AsyncIterable<Uint8Array>;
    },
  };
}

export function layoutSource(layoutDir: string): ContentSource {
  const path = (digest: string): string => join(layoutDir, 'blobs', digest.replace(':', '/'));
  return {
    describe: layoutDir,
    async manifest(reference) {
      if (!reference.startsWith('sha256:')) throw new RegistryError(`an OCI layout is read by digest, got ${reference}`, null, false);
      const bytes = await readFile(path(reference)).catch(() => {
        throw new RegistryError(`the OCI layout ${layoutDir} has no blob ${reference}; rebuild the image`, null, false);
      });
      const digest = verifyManifest(bytes, reference, `manifest ${reference} in ${layoutDir}`);
      return { bytes, digest, mediaType: mediaTypeOf(bytes, null) };
    },
    async blob(ref) {
      return createReadStream(path(ref.digest));
    },
  };
}
