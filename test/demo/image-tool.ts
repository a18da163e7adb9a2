// What the demo app's buildspecs run inside the local CodeBuild endpoint, in place of `docker buildx`:
//   push  --context DIR --tag TAG --arch amd64|armv8   build an OCI image without Docker, push it to ECR
//   index --tag TAG --from TAG1,TAG2                   put the multi-architecture index over TAG1, TAG2
//   pull  --tag TAG --arch amd64 --out DIR             fetch the image (through an index) and unpack it
// ECR is reached with ECR_REGISTRY (the registry), ECR_REPOSITORY, and the AWS_* environment (the API).
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createAwsClients } from 'seqrun/packs/aws';
import { createImageIndex, getRegistryLogin } from 'seqrun/packs/ecr';
import { buildImage } from 'seqrun/packs/image';
import { pushLayout, RegistryClient } from 'seqrun/packs/registry';

const ARCH = { amd64: { os: 'linux', architecture: 'amd64' }, armv8: { os: 'linux', architecture: 'arm64', variant: 'v8' } } as const;
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

function need(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function arch(name: string | undefined): (typeof ARCH)[keyof typeof ARCH] {
  if (name !== 'amd64' && name !== 'armv8') throw new Error(`--arch must be amd64 or armv8, not ${name ?? 'nothing'}`);
  return ARCH[name];
}

async function ecrRegistry(): Promise<RegistryClient> {
  const aws = createAwsClients({ env: process.env });
  try {
    const login = await getRegistryLogin(aws.ecr);
    return new RegistryClient({
      url: process.env['ECR_REGISTRY'] ?? login.registry,
      auth: { kind: 'basic', username: login.username, password: login.password },
    });
  } finally {
    aws.destroy();
  }
}

async function push(options: { context: string; tag: string; arch: string | undefined }): Promise<void> {
  const layoutDir = await mkdtemp(join(tmpdir(), 'image-'));
  const image = await buildImage({
    contextDir: resolve(options.context),
    layoutDir,
    tag: options.tag,
    platform: arch(options.arch),
    config: { cmd: ['node', '/app/server.mjs'] },
  });
  const pushed = await pushLayout({
    layoutDir,
    name: options.tag,
    to: { client: await ecrRegistry(), repository: need('ECR_REPOSITORY') },
    tags: [options.tag],
  });
  console.log(`pushed ${need('ECR_REPOSITORY')}:${options.tag} ${pushed.digest} (${image.layer.size} byte layer)`);
}

async function index(options: { tag: string; from: string }): Promise<void> {
  const aws = createAwsClients({ env: process.env });
  try {
    const entries = options.from.split(',').map((tag) => ({ tag }));
    const result = await createImageIndex(aws.ecr, { repositoryName: need('ECR_REPOSITORY') }, entries, options.tag);
    console.log(`pushed index ${need('ECR_REPOSITORY')}:${options.tag} ${result.digest} over ${options.from}`);
  } finally {
    aws.destroy();
  }
}

async function getJson(
  client: RegistryClient,
  repository: string,
  reference: string,
): Promise<{ mediaType?: string; manifests?: { digest: string; platform?: { architecture?: string } }[]; layers?: { digest: string }[] }> {
  const response = await client.send(
    {
      method: 'GET',
      path: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: ACCEPT },
      scopes: [`repository:${repository}:pull`],
    },
    `GET manifest ${reference}`,
  );
  if (!response.ok) throw new Error(`${repository}:${reference}: the registry answered ${response.status}`);
  return (await response.json()) as never;
}

async function pull(options: { tag: string; arch: string | undefined; out: string }): Promise<void> {
  const client = await ecrRegistry();
  const repository = need('ECR_REPOSITORY');
  let manifest = await getJson(client, repository, options.tag);
  if (manifest.manifests) {
    const wanted = arch(options.arch).architecture;
    const entry = manifest.manifests.find((m) => m.platform?.architecture === wanted);
    if (!entry) throw new Error(`${repository}:${options.tag} has no ${wanted} image`);
    manifest = await getJson(client, repository, entry.digest);
  }
  await mkdir(options.out, { recursive: true });
  for (const layer of manifest.layers ?? []) {
    const blob = await client.send(
      { method: 'GET', path: `/v2/${repository}/blobs/${layer.digest}`, scopes: [`repository:${repository}:pull`] },
      `GET blob ${layer.digest}`,
    );
    const file = join(await mkdtemp(join(tmpdir(), 'layer-')), 'layer.tar.gz');
    await writeFile(file, Buffer.from(await blob.arrayBuffer()));
    execFileSync('tar', ['-xzf', file, '-C', options.out]);
  }
  console.log(`unpacked ${repository}:${options.tag} (${options.arch ?? 'amd64'}) into ${options.out}`);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    context: { type: 'string' },
    tag: { type: 'string' },
    arch: { type: 'string' },
    from: { type: 'string' },
    out: { type: 'string' },
  },
});
const tag = values.tag ?? '';
const commands: Record<string, () => Promise<void>> = {
  push: () => push({ context: values.context ?? 'dist', tag, arch: values.arch }),
  index: () => index({ tag, from: values.from ?? '' }),
  pull: () => pull({ tag, arch: values.arch, out: values.out ?? 'image' }),
};
const command = commands[positionals[0] ?? ''];
if (!command || !tag) {
  console.error('usage: image-tool push|index|pull --tag TAG [--context DIR] [--arch amd64|armv8] [--from T1,T2] [--out DIR]');
  process.exitCode = 2;
} else {
  await command().catch((error: unknown) => {
    console.error(`image-tool: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
