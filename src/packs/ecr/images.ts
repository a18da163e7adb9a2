// ECR at the registry level: tags resolved to digests, tags added without pulling (a manifest copy,
// what `docker buildx imagetools create -t NEW OLD` does), tags verified.
import { createHash } from 'node:crypto';
import type { ECRClient, Image } from '@aws-sdk/client-ecr';
import { callAws, describeAwsError, endpointName, errorCode } from '../aws/errors.ts';
import { ecrSdk } from '../aws/sdk.ts';

/** Manifest media types asked for, so ECR returns manifests and indexes as they were pushed. */
export const MANIFEST_MEDIA_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface ImageRef {
  readonly repositoryName: string;
  /** Registry (account) id; default the caller's. */
  readonly registryId?: string;
}

export interface ManifestCopy {
  readonly digest: string;
  readonly manifest: string;
  readonly mediaType: string;
}

export function manifestDigest(manifest: string): string {
  return `sha256:${createHash('sha256').update(manifest, 'utf8').digest('hex')}`;
}

/** The digest a tag points at, or undefined when the tag does not exist. */
export async function findTagDigest(ecr: ECRClient, ref: ImageRef, tag: string, endpoint?: string): Promise<string | undefined> {
  const { DescribeImagesCommand } = ecrSdk();
  try {
    const output = await ecr.send(new DescribeImagesCommand({ ...repo(ref), imageIds: [{ imageTag: tag }] }));
    return output.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if (errorCode(error) === 'ImageNotFoundException') return undefined;
    throw describeAwsError(error, 'ECR', 'DescribeImages', await endpointName(endpoint ?? ecr));
  }
}

export async function resolveTag(ecr: ECRClient, ref: ImageRef, tag: string, endpoint?: string): Promise<string> {
  const digest = await findTagDigest(ecr, ref, tag, endpoint);
  if (digest === undefined)
    throw new Error(`ECR: tag ${tag} not found in repository ${ref.repositoryName}; push it first or check the tag`);
  return digest;
}

/** The manifest a tag or digest points at, byte for byte, with its media type. */
export async function getManifest(
  ecr: ECRClient,
  ref: ImageRef,
  image: { tag?: string; digest?: string },
  endpoint?: string,
): Promise<ManifestCopy> {
  const { BatchGetImageCommand } = ecrSdk();
  const imageId = image.digest !== undefined ? { imageDigest: image.digest } : { imageTag: image.tag ?? '' };
  const output = await callAws('ECR', 'BatchGetImage', endpoint ?? ecr, () =>
    ecr.send(new BatchGetImageCommand({ ...repo(ref), imageIds: [imageId], acceptedMediaTypes: MANIFEST_MEDIA_TYPES })),
  );
  const found: Image | undefined = output.images?.[0];
  if (found?.imageManifest === undefined) {
    const failure = output.failures?.[0];
    const what = image.digest ?? `tag ${image.tag}`;
    throw new Error(
      `ECR: ${what} not found in repository ${ref.repositoryName}${failure ? ` (${failure.failureCode}: ${failure.failureReason})` : ''}`,
    );
  }
  return {
    manifest: found.imageManifest,
    digest: manifestDigest(found.imageManifest),
    mediaType: found.imageManifestMediaType ?? mediaTypeOf(found.imageManifest),
  };
}

export interface AddTagsResult {
  readonly digest: string;
  /** Tags that were added (or moved). */
  readonly added: readonly string[];
  /** Tags that already pointed at the digest. */
  readonly unchanged: readonly string[];
}

/**
 * Points `tags` at the image `source` names, without pulling it. A tag that already points at that
 * digest is left alone; one that points elsewhere is an error unless listed in `movable` (e.g. `latest`).
 */
export async function addTags(
  ecr: ECRClient,
  ref: ImageRef,
  source: { tag?: string; digest?: string },
  tags: readonly string[],
  options: { movable?: readonly string[]; endpoint?: string } = {},
): Promise<AddTagsResult> {
  const endpoint = options.endpoint;
  const image = await getManifest(ecr, ref, source, endpoint);
  const added: string[] = [];
  const unchanged: string[] = [];
  for (const tag of tags) {
    const current = await findTagDigest(ecr, ref, tag, endpoint);
    if (current === image.digest) {
      unchanged.push(tag);
      continue;
    }
    if (current !== undefined && !(options.movable ?? []).includes(tag)) {
      throw new Error(
        `ECR: tag ${tag} in ${ref.repositoryName} already points at ${current}, not ${image.digest}; ` +
          'release tags are immutable: use a new tag, or list it as movable (like latest) if it is meant to move',
      );
    }
    await putManifest(ecr, ref, image, tag, endpoint);
    added.push(tag);
  }
  return { digest: image.digest, added, unchanged };
}

/** PutImage of a manifest, always with its digest (moto computes a wrong one otherwise). */
export async function putManifest(ecr: ECRClient, ref: ImageRef, image: ManifestCopy, tag: string, endpoint?: string): Promise<void> {
  const { PutImageCommand } = ecrSdk();
  try {
    await ecr.send(
      new PutImageCommand({
        ...repo(ref),
        imageManifest: image.manifest,
        imageManifestMediaType: image.mediaType,
        imageDigest: image.digest,
        imageTag: tag,
      }),
    );
  } catch (error) {
    // A concurrent writer already put the same manifest under this tag: that is the outcome we want.
    if (errorCode(error) === 'ImageAlreadyExistsException') return;
    throw describeAwsError(error, 'ECR', 'PutImage', await endpointName(endpoint ?? ecr));
  }
}

export interface TagCheck {
  readonly present: Readonly<Record<string, string>>;
  readonly missing: readonly string[];
}

/** DescribeImages for each tag; rejects naming every missing tag unless `allowMissing`. */
export async function verifyTags(
  ecr: ECRClient,
  ref: ImageRef,
  tags: readonly string[],
  options: { allowMissing?: boolean; endpoint?: string } = {},
): Promise<TagCheck> {
  const present: Record<string, string> = {};
  const missing: string[] = [];
  for (const tag of tags) {
    const digest = await findTagDigest(ecr, ref, tag, options.endpoint);
    if (digest === undefined) missing.push(tag);
    else present[tag] = digest;
  }
  if (missing.length > 0 && options.allowMissing !== true) {
    throw new Error(`ECR: repository ${ref.repositoryName} lacks tag${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  return { present, missing };
}

function repo(ref: ImageRef): { repositoryName: string; registryId?: string } {
  return { repositoryName: ref.repositoryName, ...(ref.registryId === undefined ? {} : { registryId: ref.registryId }) };
}

function mediaTypeOf(manifest: string): string {
  try {
    const parsed = JSON.parse(manifest) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string') return parsed.mediaType;
  } catch {
    // Not JSON: fall through to the OCI default.
  }
  return 'application/vnd.oci.image.manifest.v1+json';
}
