// With a Docker engine, images are built by `docker buildx build`; this is its argument array (run it
// with the shell pack's runCommand) and the reading of the digest it reports.
import { readFile } from 'node:fs/promises';

export interface BuildxOptions {
  readonly context: string;
  readonly dockerfile?: string;
  /** e.g. `['linux/amd64', 'linux/arm64']`. */
  readonly platforms?: readonly string[];
  /** Full references, e.g. `123.dkr.ecr.eu-west-1.amazonaws.com/pay-connector:42-candidate`. */
  readonly tags?: readonly string[];
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** Push to the tags' registry; otherwise `ociDest` must be given. */
  readonly push?: boolean;
  /** Write an OCI layout tarball here instead of pushing. */
  readonly ociDest?: string;
  /** Where buildx writes its metadata (the image digest). */
  readonly metadataFile: string;
}

export function buildxCommand(options: BuildxOptions): string[] {
  if (!options.push && options.ociDest === undefined)
    throw new Error('buildxCommand: give push: true or an ociDest, or the image is built and thrown away');
  const args = ['docker', 'buildx', 'build'];
  if (options.platforms && options.platforms.length > 0) args.push('--platform', options.platforms.join(','));
  for (const tag of options.tags ?? []) args.push('--tag', tag);
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${key}=${value}`);
  for (const [key, value] of Object.entries(options.labels ?? {})) args.push('--label', `${key}=${value}`);
  if (options.dockerfile) args.push('--file', options.dockerfile);
  args.push('--metadata-file', options.metadataFile);
  if (options.push) args.push('--push');
  else args.push('--output', `type=oci,dest=${options.ociDest}`);
  args.push('--', options.context);
  return args;
}

/** The `containerimage.digest` buildx wrote to its metadata file. */
export async function readBuildxDigest(metadataFile: string): Promise<string> {
  const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>;
  const digest = metadata['containerimage.digest'];
  if (typeof digest !== 'string' || !digest.startsWith('sha256:'))
    throw new Error(`${metadataFile} has no containerimage.digest; did the buildx build finish?`);
  return digest;
}
