// DOWNLOAD_SOURCE: an S3 object at a version (`bucket/key` + VersionId) unpacked, or a git URL at a ref.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

export interface SourceRequest {
  readonly type: string;
  readonly location: string | undefined;
  readonly version: string | undefined;
}

export interface SourceSettings {
  readonly s3Endpoint: string | undefined;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Fetches the source into `dir`/src and returns that folder and the resolved version. */
export async function fetchSource(
  source: SourceRequest,
  dir: string,
  settings: SourceSettings,
): Promise<{ srcDir: string; resolved?: string }> {
  const srcDir = join(dir, 'src');
  await mkdir(srcDir, { recursive: true });
  if (source.type === 'NO_SOURCE') return { srcDir };
  if (source.location === undefined || source.location === '') throw new Error(`source type ${source.type} needs a location`);
  if (source.type === 'S3') {
    const version = await fetchS3(source.location, source.version, join(dir, 'source.archive'), settings);
    await unpack(join(dir, 'source.archive'), srcDir);
    return { srcDir, ...(version === undefined ? {} : { resolved: version }) };
  }
  // GITHUB, GITHUB_ENTERPRISE, CODECOMMIT, BITBUCKET, GITLAB: a git URL.
  if (source.location.startsWith('-')) throw new Error(`invalid git location "${source.location}"`);
  await run('git', ['clone', '--quiet', '--', source.location, srcDir], dir);
  if (source.version !== undefined && source.version !== '') {
    if (source.version.startsWith('-')) throw new Error(`invalid source version "${source.version}"`);
    await run('git', ['checkout', '--quiet', '--detach', source.version], srcDir);
  }
  const head = await run('git', ['rev-parse', 'HEAD'], srcDir);
  return { srcDir, resolved: head.trim() };
}

async function fetchS3(location: string, version: string | undefined, file: string, settings: SourceSettings): Promise<string | undefined> {
  const slash = location.indexOf('/');
  if (slash <= 0 || slash === location.length - 1) throw new Error(`S3 source location must be "bucket/key", got "${location}"`);
  const bucket = location.slice(0, slash);
  const key = location.slice(slash + 1);
  const s3 = new S3Client({
    region: settings.region,
    credentials: settings.credentials,
    forcePathStyle: true,
    ...(settings.s3Endpoint === undefined ? {} : { endpoint: settings.s3Endpoint }),
  });
  try {
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(version === undefined || version === '' ? {} : { VersionId: version }) }),
    );
    if (object.Body === undefined) throw new Error('empty body');
    await pipeline(object.Body as Readable, createWriteStream(file));
    return object.VersionId;
  } catch (error) {
    const name = (error as Error).name;
    const where = `s3://${bucket}/${key}${version ? ` (version ${version})` : ''}`;
    throw new Error(`CLIENT_ERROR: cannot get ${where}: ${name}: ${(error as Error).message}`, { cause: error });
  } finally {
    s3.destroy();
  }
}

async function unpack(file: string, dir: string): Promise<void> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(4);
  await handle.read(head, 0, 4, 0);
  await handle.close();
  if (head[0] === 0x50 && head[1] === 0x4b) await run('unzip', ['-q', '-o', file, '-d', dir], dir);
  else if (head[0] === 0x1f && head[1] === 0x8b) await run('tar', ['-xzf', file, '-C', dir], dir);
  else throw new Error('CLIENT_ERROR: the source object is neither a zip nor a tar.gz archive');
}

function run(command: string, args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString('utf8')).slice(-2000)));
    child.once('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`CLIENT_ERROR: ${command} ${args[0]} failed (exit ${code}): ${err.trim()}`)),
    );
  });
}
