// Makes the sandbox's ECR API (moto) and ECR registry (docker-registry) agree, as they do on AWS.
// A proxy in front of the registry: every manifest pushed through it is mirrored into moto with
// PutImage; a manifest the registry lacks but moto has (a tag added with PutImage) is written into the
// registry before the request is answered, and tag lists are completed from DescribeImages first.
import type { ECRClient } from '@aws-sdk/client-ecr';
import { BatchGetImageCommand, CreateRepositoryCommand, DescribeImagesCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EcrBridgeOptions {
  /** The docker-registry behind the bridge, e.g. `http://127.0.0.1:5001`. */
  readonly registryUrl: string;
  readonly ecr: ECRClient;
  readonly port?: number;
  /** Told about mirroring failures (the sandbox writes them to the bridge's log file). */
  readonly onError?: (message: string) => void;
}

export interface EcrBridge {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

const ACCEPT =
  'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json';
const MANIFEST_PATH = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const TAGS_PATH = /^\/v2\/(.+)\/tags\/list$/;

interface Upstream {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function send(base: URL, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: base.hostname, port: base.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function ensureRepository(ecr: ECRClient, repositoryName: string): Promise<void> {
  try {
    await ecr.send(new CreateRepositoryCommand({ repositoryName }));
  } catch (error) {
    if ((error as Error).name !== 'RepositoryAlreadyExistsException') throw error;
  }
}

/** Mirrors a manifest the registry accepted into moto's ECR. */
async function mirrorToEcr(
  ecr: ECRClient,
  repository: string,
  reference: string,
  manifest: Buffer,
  mediaType: string,
  digest: string,
): Promise<void> {
  await ensureRepository(ecr, repository);
  try {
    await ecr.send(
      new PutImageCommand({
        repositoryName: repository,
        imageManifest: manifest.toString('utf8'),
        imageManifestMediaType: mediaType,
        imageDigest: digest,
        ...(reference.startsWith('sha256:') ? {} : { imageTag: reference }),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ImageAlreadyExistsException') throw error;
  }
}

/** Writes into the registry a manifest moto has but the registry lacks; true when it did. */
async function fillFromEcr(ecr: ECRClient, registry: URL, repository: string, reference: string): Promise<boolean> {
  const imageId = reference.startsWith('sha256:') ? { imageDigest: reference } : { imageTag: reference };
  const found = await ecr
    .send(new BatchGetImageCommand({ repositoryName: repository, imageIds: [imageId], acceptedMediaTypes: ACCEPT.split(', ') }))
    .catch(() => null);
  const image = found?.images?.[0];
  if (!image?.imageManifest) return false;
  const body = Buffer.from(image.imageManifest, 'utf8');
  const mediaType =
    image.imageManifestMediaType ??
    (JSON.parse(image.imageManifest) as { mediaType?: string }).mediaType ??
    'application/vnd.oci.image.manifest.v1+json';
  const put = await send(
    registry,
    'PUT',
    `/v2/${repository}/manifests/${reference}`,
    { 'content-type': mediaType, 'content-length': String(body.length) },
    body,
  );
  return put.status === 201;
}

async function syncTags(ecr: ECRClient, registry: URL, repository: string): Promise<void> {
  const described = await ecr.send(new DescribeImagesCommand({ repositoryName: repository })).catch(() => null);
  for (const image of described?.imageDetails ?? []) {
    for (const tag of image.imageTags ?? []) {
      const head = await send(registry, 'HEAD', `/v2/${repository}/manifests/${tag}`, { accept: ACCEPT });
      if (head.status === 404) await fillFromEcr(ecr, registry, repository, tag);
    }
  }
}

/** Blobs and everything else pass through unbuffered. */
function stream(registry: URL, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest({ host: registry.hostname, port: registry.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('error', reject);
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  });
}

export async function startEcrBridge(options: EcrBridgeOptions): Promise<EcrBridge> {
  const registry = new URL(options.registryUrl);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://bridge').pathname;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'authorization') headers[k] = v;
    const manifest = MANIFEST_PATH.exec(path);
    const tags = TAGS_PATH.exec(path);
    if (!manifest && !tags) return stream(registry, req, res, headers);
    if (tags?.[1] && req.method === 'GET') await syncTags(options.ecr, registry, tags[1]);
    const body = await readAll(req);
    let answer = await send(registry, req.method ?? 'GET', req.url ?? '/', headers, body.length > 0 ? body : undefined);
    if (manifest?.[1] && manifest[2] && (req.method === 'GET' || req.method === 'HEAD') && answer.status === 404) {
      if (await fillFromEcr(options.ecr, registry, manifest[1], manifest[2]))
        answer = await send(registry, req.method, req.url ?? '/', headers);
    }
    if (manifest?.[1] && manifest[2] && req.method === 'PUT' && answer.status === 201) {
      const digest = String(answer.headers['docker-content-digest'] ?? '');
      try {
        await mirrorToEcr(options.ecr, manifest[1], manifest[2], body, headers['content-type'] ?? '', digest);
      } catch (error) {
        options.onError?.(`could not mirror ${manifest[1]}:${manifest[2]} into the ECR API: ${(error as Error).message}`);
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: `sandbox ECR bridge: ${(error as Error).message}` }] }));
        return;
      }
    }
    res.writeHead(answer.status, answer.headers).end(req.method === 'HEAD' ? undefined : answer.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(`bridge error on ${req.method} ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
