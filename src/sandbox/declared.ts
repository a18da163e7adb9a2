// Declarative provisioning: what most processes need in a fresh sandbox, written in the config instead
// of a module: S3 buckets, ECR repositories and CodeBuild projects. Made before the provision module
// (if any) runs; anything that already exists is left alone.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createAwsClients } from '../packs/aws/index.ts';
import { codeBuildSdk, ecrSdk, s3Sdk } from '../packs/aws/sdk.ts';

export interface DeclaredProject {
  readonly name: string;
  /** `bucket/key` of an S3 source, or a git URL (`type: 'GITHUB'`...); default: no source. */
  readonly source?: { readonly type: 'S3' | 'NO_SOURCE' | 'GITHUB' | 'CODECOMMIT'; readonly location?: string };
  /** A buildspec file (relative to the config) or, when it has a line break, the buildspec itself. */
  readonly buildspec?: string;
  /** Plain environment variables of the project. */
  readonly environment?: Readonly<Record<string, string>>;
  readonly timeoutInMinutes?: number;
}

export interface DeclaredResources {
  /** Buckets, created versioned (what CodeBuild S3 sources want). */
  readonly buckets?: readonly string[];
  readonly ecrRepositories?: readonly string[];
  readonly codebuildProjects?: readonly DeclaredProject[];
}

export const DECLARED_KEYS = ['buckets', 'ecrRepositories', 'codebuildProjects'] as const;

const alreadyThere = (error: unknown): boolean =>
  ['ResourceAlreadyExistsException', 'RepositoryAlreadyExistsException', 'BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(
    (error as { name?: string }).name ?? '',
  );

async function ignoringExisting(call: () => Promise<unknown>): Promise<void> {
  await call().catch((error: unknown) => {
    if (!alreadyThere(error)) throw error;
  });
}

async function buildspecOf(project: DeclaredProject, root: string): Promise<string | undefined> {
  if (project.buildspec === undefined || project.buildspec.includes('\n')) return project.buildspec;
  return readFile(resolve(root, project.buildspec), 'utf8');
}

/** Makes the declared resources in the sandbox whose endpoints `env` names; returns a line per resource made. */
export async function provisionDeclared(
  resources: DeclaredResources,
  env: Readonly<Record<string, string | undefined>>,
  root: string,
): Promise<string[]> {
  const aws = createAwsClients({ env });
  const made: string[] = [];
  try {
    const { CreateBucketCommand, PutBucketVersioningCommand } = s3Sdk();
    for (const bucket of resources.buckets ?? []) {
      await ignoringExisting(() => aws.s3.send(new CreateBucketCommand({ Bucket: bucket })));
      await aws.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
      made.push(`bucket ${bucket}`);
    }
    const { CreateRepositoryCommand } = ecrSdk();
    for (const repositoryName of resources.ecrRepositories ?? []) {
      await ignoringExisting(() => aws.ecr.send(new CreateRepositoryCommand({ repositoryName })));
      made.push(`ECR repository ${repositoryName}`);
    }
    const { CreateProjectCommand } = codeBuildSdk();
    for (const project of resources.codebuildProjects ?? []) {
      const buildspec = await buildspecOf(project, root);
      const source = {
        type: project.source?.type ?? 'NO_SOURCE',
        ...(project.source?.location ? { location: project.source.location } : {}),
        ...(buildspec ? { buildspec } : {}),
      };
      const environmentVariables = Object.entries(project.environment ?? {}).map(([name, value]) => ({
        name,
        value,
        type: 'PLAINTEXT' as const,
      }));
      const environment = {
        type: 'LINUX_CONTAINER' as const,
        image: 'aws/codebuild/standard:7.0',
        computeType: 'BUILD_GENERAL1_SMALL' as const,
        environmentVariables,
      };
      const request = {
        name: project.name,
        source,
        artifacts: { type: 'NO_ARTIFACTS' as const },
        environment,
        serviceRole: 'arn:aws:iam::000000000000:role/seqrun-sandbox',
        ...(project.timeoutInMinutes ? { timeoutInMinutes: project.timeoutInMinutes } : {}),
      };
      await ignoringExisting(() => aws.codebuild.send(new CreateProjectCommand(request)));
      made.push(`CodeBuild project ${project.name}`);
    }
  } finally {
    aws.destroy();
  }
  return made;
}
