// The S3 calls the journal store and the lease make, each with its failure said in seqrun's terms:
// a conditional write that loses is an answer (null), not an error; a bucket that is missing,
// access denied or an endpoint that does not answer is a JournalStoreError naming the bucket and key.
import type { S3Client } from '@aws-sdk/client-s3';
import { resolveAwsConfig } from '../packs/aws/clients.ts';
import { s3Sdk } from '../packs/aws/sdk.ts';
import { JournalStoreError } from './errors.ts';
import { locationUrl, type S3Location } from './location.ts';

export interface S3Store {
  readonly client: S3Client;
  readonly location: S3Location;
}

/** An S3 client from `env` as the packs build theirs (AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, region, keys). */
export function s3Client(env: Readonly<Record<string, string | undefined>>): S3Client {
  const config = resolveAwsConfig({ env });
  const endpoint = config.endpoints?.s3;
  return new (s3Sdk().S3Client)({
    ...(config.region === undefined ? { region: 'us-east-1' } : { region: config.region }),
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    ...(config.credentials === undefined ? {} : { credentials: config.credentials }),
    maxAttempts: 3,
    retryMode: 'standard',
  });
}

interface SdkError {
  readonly name?: string;
  readonly code?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function statusOf(error: unknown): number | undefined {
  return (error as SdkError | null)?.$metadata?.httpStatusCode;
}

/** True for the answers of a conditional write that lost: 412 Precondition Failed, 409 a concurrent one. */
function lostCondition(error: unknown): boolean {
  const status = statusOf(error);
  return status === 412 || status === 409 || (error as SdkError | null)?.name === 'PreconditionFailed';
}

function notFound(error: unknown): boolean {
  const name = (error as SdkError | null)?.name;
  return name === 'NoSuchKey' || name === 'NotFound' || (statusOf(error) === 404 && name !== 'NoSuchBucket');
}

/** The JournalStoreError for a failed call on `key`. */
export function storeError(store: S3Store, action: string, key: string, error: unknown): JournalStoreError {
  const where = `${locationUrl({ bucket: store.location.bucket, prefix: '' })}/${key}`;
  const e = error as SdkError | null;
  const name = e?.name ?? '';
  const detail = e?.message ?? String(error);
  if (name === 'NoSuchBucket') {
    return new JournalStoreError(
      `cannot ${action} ${where}: the bucket ${store.location.bucket} does not exist; create it, or name another with --journal`,
      'NO_SUCH_BUCKET',
      { cause: error },
    );
  }
  if (name === 'AccessDenied' || statusOf(error) === 403) {
    return new JournalStoreError(
      `cannot ${action} ${where}: access denied (${detail}); the journal needs s3:GetObject, s3:PutObject and s3:ListBucket on it (docs/engines.md)`,
      'ACCESS_DENIED',
      { cause: error },
    );
  }
  return new JournalStoreError(`cannot ${action} ${where}: ${name ? `${name}: ` : ''}${detail}`, 'UNREACHABLE', { cause: error });
}

/** Writes `key` only if it does not exist yet: its ETag, or null when it does. */
export async function putIfAbsent(store: S3Store, key: string, body: string): Promise<string | null> {
  try {
    const out = await store.client.send(
      new (s3Sdk().PutObjectCommand)({ Bucket: store.location.bucket, Key: key, Body: body, IfNoneMatch: '*' }),
    );
    return out.ETag ?? '';
  } catch (error) {
    if (lostCondition(error)) return null;
    throw storeError(store, 'write', key, error);
  }
}

/** Replaces `key` only if its ETag is still `etag`: the new ETag, or null when it changed. */
export async function putIfMatch(store: S3Store, key: string, body: string, etag: string): Promise<string | null> {
  try {
    const out = await store.client.send(
      new (s3Sdk().PutObjectCommand)({ Bucket: store.location.bucket, Key: key, Body: body, IfMatch: etag }),
    );
    return out.ETag ?? '';
  } catch (error) {
    if (lostCondition(error) || notFound(error)) return null;
    throw storeError(store, 'write', key, error);
  }
}

export async function putObject(store: S3Store, key: string, body: string): Promise<void> {
  try {
    await store.client.send(new (s3Sdk().PutObjectCommand)({ Bucket: store.location.bucket, Key: key, Body: body }));
  } catch (error) {
    throw storeError(store, 'write', key, error);
  }
}

/** The object's text and ETag, or null when there is no such key. */
export async function getText(store: S3Store, key: string): Promise<{ text: string; etag: string } | null> {
  try {
    const out = await store.client.send(new (s3Sdk().GetObjectCommand)({ Bucket: store.location.bucket, Key: key }));
    return { text: (await out.Body?.transformToString('utf8')) ?? '', etag: out.ETag ?? '' };
  } catch (error) {
    if (notFound(error)) return null;
    throw storeError(store, 'read', key, error);
  }
}

/**
 * Every key under `prefix` (all pages), sorted; with `folders`, the next-level "folders" instead.
 * With `after`, only the keys that sort after it (S3's StartAfter: a reader that has the first keys asks
 * for the rest alone, one short answer however long the list grows).
 */
export async function listKeys(store: S3Store, prefix: string, folders = false, after?: string): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    try {
      const out = await store.client.send(
        new (s3Sdk().ListObjectsV2Command)({
          Bucket: store.location.bucket,
          Prefix: prefix,
          ...(folders ? { Delimiter: '/' } : {}),
          ...(after !== undefined ? { StartAfter: after } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      if (folders) for (const p of out.CommonPrefixes ?? []) found.push(p.Prefix ?? '');
      else for (const o of out.Contents ?? []) found.push(o.Key ?? '');
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } catch (error) {
      throw storeError(store, 'list', prefix, error);
    }
  } while (token);
  return found.filter((k) => k !== '').sort();
}
