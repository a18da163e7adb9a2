// "Upload the built site to S3": a folder mirrored under a prefix, each file with its content type and
// cache header, only the files that changed uploaded (by content hash, kept in the object's metadata),
// large files as streamed multipart uploads, and optionally objects gone from the folder deleted.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { callAws } from '../aws/errors.ts';
import { s3Sdk, storageSdk } from '../aws/sdk.ts';

export interface FolderUploadInput {
  /** The folder to upload (e.g. the site's `dist/`). */
  readonly dir: string;
  readonly bucket: string;
  /** Key prefix, e.g. `site/` (default: the bucket's root). */
  readonly prefix?: string;
  /** Cache-Control per file, by its path relative to `dir` (default: none). */
  readonly cacheControl?: (path: string) => string | undefined;
  /** Content types by extension, over the built-in table (`.html`, `.css`, `.js`, `.json`, images, fonts...). */
  readonly contentTypes?: Readonly<Record<string, string>>;
  /** Delete objects under the prefix that the folder no longer has (default false). */
  readonly deleteRemoved?: boolean;
  /** Files at least this large go as multipart uploads (default 16 MiB). */
  readonly multipartThreshold?: number;
  /** Multipart part size in bytes (default 8 MiB; at least 5 MiB). */
  readonly partSize?: number;
  readonly signal?: AbortSignal;
  /** Called with each file's path relative to `dir` and what happened to it. */
  readonly onFile?: (path: string, action: 'uploaded' | 'unchanged' | 'deleted') => void;
}

export interface FolderUploadResult {
  readonly uploaded: readonly string[];
  readonly unchanged: readonly string[];
  readonly deleted: readonly string[];
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.pdf': 'application/pdf',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/** The metadata key that holds a file's SHA-256: what "changed" is decided by. */
const HASH_KEY = 'seqrun-sha256';

async function filesUnder(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) found.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return found.sort();
}

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** Every object under the prefix: its key and the hash seqrun stored when it uploaded it (if any). */
async function remoteObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  signal: AbortSignal | undefined,
): Promise<Map<string, string | undefined>> {
  const { ListObjectsV2Command, HeadObjectCommand } = s3Sdk();
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await callAws('S3', 'ListObjectsV2', s3, () =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const hashes = new Map<string, string | undefined>();
  for (const key of keys) {
    const head = await callAws('S3', 'HeadObject', s3, () =>
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }),
    );
    hashes.set(key, head.Metadata?.[HASH_KEY]);
  }
  return hashes;
}

async function putFile(s3: S3Client, input: FolderUploadInput, path: string, key: string, hash: string, size: number): Promise<void> {
  const type = input.contentTypes?.[extname(path).toLowerCase()] ?? TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const cache = input.cacheControl?.(path);
  const params = {
    Bucket: input.bucket,
    Key: key,
    ContentType: type,
    Metadata: { [HASH_KEY]: hash },
    ...(cache ? { CacheControl: cache } : {}),
  };
  const file = join(input.dir, path);
  if (size >= (input.multipartThreshold ?? 16 * 1024 * 1024)) {
    const { Upload } = storageSdk();
    const upload = new Upload({
      client: s3,
      params: { ...params, Body: createReadStream(file) },
      partSize: Math.max(input.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024),
      queueSize: 4,
    });
    const stop = (): void => void upload.abort();
    input.signal?.addEventListener('abort', stop, { once: true });
    try {
      await callAws('S3', 'Upload', s3, () => upload.done());
    } finally {
      input.signal?.removeEventListener('abort', stop);
    }
    return;
  }
  const { PutObjectCommand } = s3Sdk();
  await callAws('S3', 'PutObject', s3, () =>
    s3.send(new PutObjectCommand({ ...params, Body: createReadStream(file), ContentLength: size }), { abortSignal: input.signal }),
  );
}

/** Mirrors `dir` to `s3://bucket/prefix`; returns what was uploaded, left as it was, and deleted. */
export async function uploadFolder(s3: S3Client, input: FolderUploadInput): Promise<FolderUploadResult> {
  const prefix = input.prefix ?? '';
  const files = await filesUnder(input.dir);
  const remote = await remoteObjects(s3, input.bucket, prefix, input.signal);
  const uploaded: string[] = [];
  const unchanged: string[] = [];
  for (const path of files) {
    const key = `${prefix}${path}`;
    const hash = await sha256Of(join(input.dir, path));
    if (remote.get(key) === hash) {
      unchanged.push(path);
      input.onFile?.(path, 'unchanged');
      continue;
    }
    await putFile(s3, input, path, key, hash, (await stat(join(input.dir, path))).size);
    uploaded.push(path);
    input.onFile?.(path, 'uploaded');
  }
  const deleted = input.deleteRemoved ? await deleteRemoved(s3, input, [...remote.keys()], new Set(files.map((f) => `${prefix}${f}`))) : [];
  return { uploaded, unchanged, deleted };
}

async function deleteRemoved(
  s3: S3Client,
  input: FolderUploadInput,
  keys: readonly string[],
  kept: ReadonlySet<string>,
): Promise<string[]> {
  const { DeleteObjectsCommand } = s3Sdk();
  const prefix = input.prefix ?? '';
  const gone = keys.filter((key) => !kept.has(key));
  for (let i = 0; i < gone.length; i += 1000) {
    const batch = gone.slice(i, i + 1000).map((Key) => ({ Key }));
    await callAws('S3', 'DeleteObjects', s3, () =>
      s3.send(new DeleteObjectsCommand({ Bucket: input.bucket, Delete: { Objects: batch } }), { abortSignal: input.signal }),
    );
  }
  const paths = gone.map((key) => key.slice(prefix.length));
  for (const path of paths) input.onFile?.(path, 'deleted');
  return paths;
}
