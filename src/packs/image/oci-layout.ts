// Builds an image without a Docker engine: the build output directory becomes one gzip'd tar layer on a
// base-less image, written as an OCI image layout (oci-layout, index.json, blobs/sha256/...).
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { Logger } from '../../bind/types.ts';
import { tarDirectory } from './tar.ts';

export const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

const REF_NAME = 'org.opencontainers.image.ref.name';

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface ImageConfig {
  readonly env?: Readonly<Record<string, string>>;
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workingDir?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface BuildImageOptions {
  /** The build output to put in the image. */
  readonly contextDir: string;
  /** The OCI layout to write (created when missing; other images in it are kept). */
  readonly layoutDir: string;
  /** Recorded as the layout's `org.opencontainers.image.ref.name`, e.g. `42-candidate-amd64`. */
  readonly tag: string;
  /** Where the files land inside the image (default `app`). */
  readonly prefix?: string;
  readonly platform?: Platform;
  readonly config?: ImageConfig;
  readonly log?: Logger;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface BuiltImage {
  readonly layoutDir: string;
  readonly tag: string;
  readonly manifest: Descriptor;
  readonly config: Descriptor;
  readonly layer: Descriptor;
  /** sha256 of the uncompressed layer (the config's rootfs diff_id). */
  readonly diffId: string;
}

function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function blobPath(layoutDir: string, digest: string): string {
  return join(layoutDir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

async function writeJsonBlob(layoutDir: string, mediaType: string, value: unknown): Promise<Descriptor> {
  const bytes = Buffer.from(JSON.stringify(value));
  const digest = sha256(bytes);
  await writeFile(blobPath(layoutDir, digest), bytes);
  return { mediaType, digest, size: bytes.length };
}

function hashing(hash: ReturnType<typeof createHash>, count: { bytes: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      count.bytes += chunk.length;
      done(null, chunk);
    },
  });
}

async function writeLayer(contextDir: string, layoutDir: string, prefix: string): Promise<{ layer: Descriptor; diffId: string }> {
  const temporary = join(layoutDir, 'blobs', 'sha256', `.layer-${randomUUID()}`);
  const raw = createHash('sha256');
  const packed = createHash('sha256');
  const rawCount = { bytes: 0 };
  const packedCount = { bytes: 0 };
  await pipeline(
    tarDirectory(contextDir, prefix),
    hashing(raw, rawCount),
    createGzip({ level: 6 }),
    hashing(packed, packedCount),
    createWriteStream(temporary),
  );
  const digest = `sha256:${packed.digest('hex')}`;
  await rename(temporary, blobPath(layoutDir, digest));
  return { layer: { mediaType: MEDIA_TYPES.layer, digest, size: packedCount.bytes }, diffId: `sha256:${raw.digest('hex')}` };
}

function imageConfig(options: BuildImageOptions, diffId: string): unknown {
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  const config = options.config ?? {};
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: {
      ...(config.env ? { Env: Object.entries(config.env).map(([k, v]) => `${k}=${v}`) } : {}),
      ...(config.entrypoint ? { Entrypoint: config.entrypoint } : {}),
      ...(config.cmd ? { Cmd: config.cmd } : {}),
      ...(config.workingDir ? { WorkingDir: config.workingDir } : {}),
      ...(config.labels ? { Labels: config.labels } : {}),
    },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created_by: 'seqrun image pack: build output as one layer' }],
  };
}

export async function initLayout(layoutDir: string): Promise<void> {
  await mkdir(join(layoutDir, 'blobs', 'sha256'), { recursive: true });
  await writeFile(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
}

/** Reads the layout's index.json (an empty index when there is none yet). */
export async function readLayoutIndex(layoutDir: string): Promise<{ schemaVersion: 2; mediaType: string; manifests: Descriptor[] }> {
  const text = await readFile(join(layoutDir, 'index.json'), 'utf8').catch(() => null);
  if (text === null) return { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: [] };
  return JSON.parse(text) as { schemaVersion: 2; mediaType: string; manifests: Descriptor[] };
}

/** Points `tag` in the layout's index.json at `descriptor`, replacing what the tag named before. */
export async function tagInLayout(layoutDir: string, tag: string, descriptor: Descriptor): Promise<void> {
  const index = await readLayoutIndex(layoutDir);
  const kept = index.manifests.filter((m) => m.annotations?.[REF_NAME] !== tag);
  kept.push({ ...descriptor, annotations: { ...descriptor.annotations, [REF_NAME]: tag } });
  await writeFile(join(layoutDir, 'index.json'), JSON.stringify({ ...index, mediaType: MEDIA_TYPES.index, manifests: kept }, null, 2));
}

export async function buildImage(options: BuildImageOptions): Promise<BuiltImage> {
  await initLayout(options.layoutDir);
  const { layer, diffId } = await writeLayer(options.contextDir, options.layoutDir, options.prefix ?? 'app');
  const config = await writeJsonBlob(options.layoutDir, MEDIA_TYPES.config, imageConfig(options, diffId));
  const manifest = await writeJsonBlob(options.layoutDir, MEDIA_TYPES.manifest, {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.manifest,
    config,
    layers: [layer],
  });
  const platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  await tagInLayout(options.layoutDir, options.tag, { ...manifest, platform });
  options.log?.info(`built image ${options.tag} ${manifest.digest}`, { layer: layer.digest, bytes: layer.size });
  return { layoutDir: options.layoutDir, tag: options.tag, manifest: { ...manifest, platform }, config, layer, diffId };
}

/** Writes a multi-platform image index over already-built manifests and tags it in the layout. */
export async function buildImageIndex(layoutDir: string, tag: string, manifests: readonly Descriptor[]): Promise<Descriptor> {
  await initLayout(layoutDir);
  const entries = manifests.map(({ mediaType, digest, size, platform }) => ({
    mediaType,
    digest,
    size,
    ...(platform ? { platform } : {}),
  }));
  const index = await writeJsonBlob(layoutDir, MEDIA_TYPES.index, { schemaVersion: 2, mediaType: MEDIA_TYPES.index, manifests: entries });
  await tagInLayout(layoutDir, tag, index);
  return index;
}
