// Writing into a registry repository: blob existence, cross-repository mounts, verified uploads, manifests.
import { createHash } from 'node:crypto';
import type { RegistryClient } from './client.ts';
import { RegistryError, registryErrorText } from './client.ts';
import type { BlobRef } from './content.ts';
import { DigestMismatchError, MANIFEST_TYPES } from './content.ts';

export interface Destination {
  readonly client: RegistryClient;
  readonly repository: string;
}

const pushScopes = (repository: string): string[] => [`repository:${repository}:pull,push`];

export async function blobExists(to: Destination, digest: string): Promise<boolean> {
  const response = await to.client.send(
    { method: 'HEAD', path: `/v2/${to.repository}/blobs/${digest}`, scopes: pushScopes(to.repository) },
    `checking blob ${digest}`,
  );
  await response.body?.cancel();
  if (response.status === 200) return true;
  if (response.status === 404) return false;
  throw new RegistryError(
    `checking blob ${digest} in ${to.client.url}/${to.repository}: the registry answered ${response.status}`,
    response.status,
    false,
  );
}

export async function manifestExists(to: Destination, digest: string): Promise<boolean> {
  const response = await to.client.send(
    {
      method: 'HEAD',
      path: `/v2/${to.repository}/manifests/${digest}`,
      headers: { accept: MANIFEST_TYPES.join(', ') },
      scopes: pushScopes(to.repository),
    },
    `checking manifest ${digest}`,
  );
  await response.body?.cancel();
  return response.status === 200;
}

/** Asks the registry to mount `digest` from `fromRepository`; true when it did (201). */
export async function mountBlob(to: Destination, digest: string, fromRepository: string): Promise<boolean> {
  const query = new URLSearchParams({ mount: digest, from: fromRepository });
  const response = await to.client.send(
    {
      method: 'POST',
      path: `/v2/${to.repository}/blobs/uploads/?${query}`,
      headers: { 'content-length': '0' },
      scopes: [...pushScopes(to.repository), `repository:${fromRepository}:pull`],
    },
    `mounting blob ${digest}`,
  );
  await response.body?.cancel();
  if (response.status === 201) return true;
  // 202: the registry started an ordinary upload instead; leave it to expire and upload normally.
  return false;
}

/** Passes bytes through while hashing them; throws at the end when the digest or size is wrong. */
async function* verified(source: AsyncIterable<Uint8Array>, ref: BlobRef, where: string): AsyncGenerator<Uint8Array> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    size += chunk.length;
    yield chunk;
  }
  const actual = `sha256:${hash.digest('hex')}`;
  if (actual !== ref.digest || size !== ref.size)
    throw new DigestMismatchError(`${ref.digest} (${ref.size} bytes)`, `${actual} (${size} bytes)`, where);
}

/**
 * Uploads one blob (POST then a monolithic PUT with the digest). The whole upload is one retryable
 * unit: a failure midway starts a new upload with a fresh stream. A digest mismatch is never retried.
 */
export async function uploadBlob(
  to: Destination,
  ref: BlobRef,
  open: () => Promise<AsyncIterable<Uint8Array>>,
  where: string,
): Promise<void> {
  const scopes = pushScopes(to.repository);
  const what = `uploading blob ${ref.digest} to ${to.client.url}/${to.repository}`;
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const start = await to.client.send(
      { method: 'POST', path: `/v2/${to.repository}/blobs/uploads/`, headers: { 'content-length': '0' }, scopes },
      what,
    );
    const location = start.headers.get('location');
    if (start.status !== 202 || location === null)
      throw new RegistryError(`${what}: could not start the upload: ${await registryErrorText(start)}`, start.status, false);
    await start.body?.cancel();
    const url = to.client.resolve(location);
    url.searchParams.set('digest', ref.digest);
    const stream = verified(await open(), ref, where);
    let failure: Error;
    try {
      const put = await to.client.send(
        {
          method: 'PUT',
          path: url.toString(),
          headers: { 'content-type': 'application/octet-stream', 'content-length': String(ref.size) },
          body: () => stream,
          scopes,
          once: true,
        },
        what,
      );
      if (put.status === 201) {
        await put.body?.cancel();
        return;
      }
      failure = new RegistryError(`${what}: ${await registryErrorText(put)}`, put.status, put.status >= 500);
    } catch (error) {
      if (error instanceof DigestMismatchError || (error as { cause?: unknown }).cause instanceof DigestMismatchError)
        throw error instanceof DigestMismatchError ? error : (error as { cause: Error }).cause;
      failure = error as Error;
    }
    if (attempt >= attempts)
      throw new RegistryError(`${failure.message} (gave up after ${attempts} uploads); nothing that depends on it was pushed`, null, false);
    to.client.log?.warn(`${failure.message}; starting the upload again (${attempt + 1} of ${attempts})`);
  }
}

export async function putManifest(to: Destination, reference: string, bytes: Buffer, mediaType: string, digest: string): Promise<void> {
  const response = await to.client.send(
    {
      method: 'PUT',
      path: `/v2/${to.repository}/manifests/${reference}`,
      headers: { 'content-type': mediaType },
      body: () => new Uint8Array(bytes),
      scopes: pushScopes(to.repository),
    },
    `pushing manifest ${to.client.url}/${to.repository}:${reference}`,
  );
  if (response.status !== 201)
    throw new RegistryError(
      `pushing manifest ${to.client.url}/${to.repository}:${reference}: ${await registryErrorText(response)}`,
      response.status,
      false,
    );
  await response.body?.cancel();
  const stored = response.headers.get('docker-content-digest');
  if (stored !== null && stored !== digest)
    throw new DigestMismatchError(digest, stored, `manifest ${to.repository}:${reference} as stored by the registry`);
}
