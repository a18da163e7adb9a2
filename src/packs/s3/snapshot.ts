// "Copy repo to S3": a `git archive` of a ref (tracked files only, so untracked files and secrets in
// the working tree never leave the machine) streamed to S3 as a multipart upload, never held in memory.
import { spawn } from 'node:child_process';
import type { S3Client } from '@aws-sdk/client-s3';
import { callAws } from '../aws/errors.ts';
import { storageSdk } from '../aws/sdk.ts';

export interface SnapshotUploadInput {
  /** Working directory of the git repository. */
  readonly repoDir: string;
  /** Commit, tag or branch to archive (e.g. `alpha_release-123`). */
  readonly ref: string;
  readonly bucket: string;
  /** Object key, e.g. `sources/pay-connector/alpha_release-123.zip`. */
  readonly key: string;
  /** `zip` (what CodeBuild's S3 source expects, the default) or `tar.gz`. */
  readonly format?: 'zip' | 'tar.gz';
  /** zip compression 0 (store) to 9; default 6. */
  readonly compressionLevel?: number;
  /** Multipart part size in bytes (default 8 MiB; at least 5 MiB). */
  readonly partSize?: number;
  /** Parts in flight at once (default 4). Peak memory is about partSize * (queueSize + 1). */
  readonly queueSize?: number;
  readonly signal?: AbortSignal;
  /** Called with the bytes uploaded so far. */
  readonly onProgress?: (uploadedBytes: number) => void;
}

export interface SnapshotObject {
  readonly bucket: string;
  readonly key: string;
  readonly etag: string;
  /** Present when the bucket is versioned: the `sourceVersion` to give CodeBuild. */
  readonly versionId: string | undefined;
  /** The commit the ref resolved to. */
  readonly commit: string;
  readonly bytes: number;
}

export async function uploadSnapshot(s3: S3Client, input: SnapshotUploadInput, endpoint?: string): Promise<SnapshotObject> {
  const { Upload } = storageSdk();
  const commit = await resolveCommit(input.repoDir, input.ref);
  const format = input.format ?? 'zip';
  const args = ['archive', `--format=${format}`];
  if (format === 'zip') args.push(`-${input.compressionLevel ?? 6}`);
  args.push(commit);
  const git = spawn('git', args, { cwd: input.repoDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const gitExit = exitOf(git, `git archive ${input.ref}`);
  let bytes = 0;
  git.stdout.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: input.bucket,
      Key: input.key,
      Body: git.stdout,
      ContentType: format === 'zip' ? 'application/zip' : 'application/gzip',
    },
    partSize: Math.max(input.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024),
    queueSize: input.queueSize ?? 4,
    leavePartsOnError: false,
  });
  if (input.onProgress !== undefined) {
    const report = input.onProgress;
    upload.on('httpUploadProgress', (progress) => report(progress.loaded ?? 0));
  }
  const onAbort = () => {
    git.kill('SIGKILL');
    void upload.abort();
  };
  input.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const [result] = await Promise.all([
      callAws('S3', 'multipart upload', endpoint ?? s3, () => upload.done()),
      gitExit.catch(async (error: unknown) => {
        await upload.abort();
        throw error;
      }),
    ]);
    return {
      bucket: input.bucket,
      key: input.key,
      etag: result.ETag ?? '',
      versionId: result.VersionId,
      commit,
      bytes,
    };
  } finally {
    input.signal?.removeEventListener('abort', onAbort);
    if (git.exitCode === null) git.kill('SIGKILL');
  }
}

async function resolveCommit(repoDir: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new Error(`snapshot: "${ref}" is not a git ref (it starts with "-")`);
  const git = spawn('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  git.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  try {
    await exitOf(git, `git rev-parse ${ref}`);
  } catch {
    throw new Error(`snapshot: ref "${ref}" does not name a commit in ${repoDir}; check the tag or branch name (git tag --list)`);
  }
  return out.trim();
}

function exitOf(child: ReturnType<typeof spawn>, what: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  return new Promise((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`${what}: ${error.message}`)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
  });
}
