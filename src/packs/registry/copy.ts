// Copies an image or an index into a repository: children first (blobs skipped when present, mounted
// when on the same registry, otherwise streamed and verified), and a manifest is only pushed after
// every blob or child manifest it points at is confirmed present at the destination.
import type { RegistryClient } from './client.ts';
import { RegistryError } from './client.ts';
import type { BlobRef, ContentSource, ManifestBytes } from './content.ts';
import { parseManifest } from './content.ts';
import type { Destination } from './destination.ts';
import { blobExists, manifestExists, mountBlob, putManifest, uploadBlob } from './destination.ts';

export interface CopyStats {
  uploaded: number;
  mounted: number;
  skipped: number;
  manifests: number;
}

export interface CopyContext {
  readonly source: ContentSource;
  /** Set when the source is a registry repository (enables cross-repository mounts). */
  readonly sourceRegistry?: { readonly client: RegistryClient; readonly repository: string };
  readonly to: Destination;
  readonly stats: CopyStats;
}

async function copyBlob(ctx: CopyContext, ref: BlobRef): Promise<void> {
  const { to, sourceRegistry } = ctx;
  if (await blobExists(to, ref.digest)) {
    ctx.stats.skipped++;
    return;
  }
  if (sourceRegistry && sourceRegistry.client.sameRegistry(to.client) && sourceRegistry.repository !== to.repository) {
    if (await mountBlob(to, ref.digest, sourceRegistry.repository)) {
      ctx.stats.mounted++;
      to.client.log?.info(`mounted ${ref.digest} from ${sourceRegistry.repository}`);
      return;
    }
  }
  await uploadBlob(to, ref, () => ctx.source.blob(ref), `blob ${ref.digest} from ${ctx.source.describe}`);
  ctx.stats.uploaded++;
  to.client.log?.info(`uploaded ${ref.digest} (${ref.size} bytes)`);
}

async function ensurePresent(ctx: CopyContext, refs: readonly BlobRef[], kind: 'blob' | 'manifest', owner: string): Promise<void> {
  for (const ref of refs) {
    const present = kind === 'blob' ? await blobExists(ctx.to, ref.digest) : await manifestExists(ctx.to, ref.digest);
    if (!present) {
      throw new RegistryError(
        `not pushing manifest ${owner}: its ${kind} ${ref.digest} is not present at ${ctx.to.client.url}/${ctx.to.repository} after the upload`,
        null,
        false,
      );
    }
  }
}

/** Copies the manifest's content and then the manifest itself under its digest; returns it. */
export async function copyManifestTree(ctx: CopyContext, manifest: ManifestBytes): Promise<ManifestBytes> {
  const parsed = parseManifest(manifest, `${ctx.source.describe}@${manifest.digest}`);
  if (parsed.kind === 'index') {
    for (const child of parsed.manifests) {
      if (await manifestExists(ctx.to, child.digest)) {
        ctx.stats.skipped++;
        continue;
      }
      await copyManifestTree(ctx, await ctx.source.manifest(child.digest));
    }
    await ensurePresent(ctx, parsed.manifests, 'manifest', manifest.digest);
  } else {
    for (const blob of parsed.blobs) await copyBlob(ctx, blob);
    await ensurePresent(ctx, parsed.blobs, 'blob', manifest.digest);
  }
  await putManifest(ctx.to, manifest.digest, manifest.bytes, manifest.mediaType, manifest.digest);
  ctx.stats.manifests++;
  return manifest;
}

/** Points each tag at an already pushed manifest. */
export async function putTags(to: Destination, manifest: ManifestBytes, tags: readonly string[]): Promise<void> {
  for (const tag of tags) {
    await putManifest(to, tag, manifest.bytes, manifest.mediaType, manifest.digest);
    to.client.log?.info(`tagged ${to.repository}:${tag} -> ${manifest.digest}`);
  }
}
