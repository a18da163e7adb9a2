// What exists on AWS and GitHub before the release process runs, made in the sandbox: the demo app
// (test/fixtures/demo-app) pushed to the git remote with an `alpha_release-<N>` tag, the ECR
// repository, and the CodeBuild projects (pay-demo-amd64, pay-demo-armv8, pay-demo-manifest,
// endtoend-tests) with their buildspecs. The sandbox profile's `sandbox.provision` in seqrun.config.ts,
// so `seqrun run --sandbox specs/final.seq --profile sandbox` runs green on its own; `npm run demo` and
// the fault drills use the same functions.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import type { SandboxProvision } from 'seqrun';
import { createAwsClients } from 'seqrun/packs/aws';

const exec = promisify(execFile);
export const DEMO_APP = fileURLToPath(new URL('../../test/fixtures/demo-app/', import.meta.url));
export const APP = 'demo';
export const REPOSITORY = `pay-${APP}`;
export const SOURCE_BUCKET = 'pay-ci-sources';

export const PROJECTS = {
  [`pay-${APP}-amd64`]: 'ci/buildspec-amd64.yml',
  [`pay-${APP}-armv8`]: 'ci/buildspec-armv8.yml',
  [`pay-${APP}-manifest`]: 'ci/buildspec-manifest.yml',
  'endtoend-tests': 'ci/buildspec-e2e.yml',
};

type Env = Readonly<Record<string, string | undefined>>;

function isAlreadyThere(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return name === 'ResourceAlreadyExistsException' || name === 'RepositoryAlreadyExistsException';
}

/** The ECR repository and the CodeBuild projects; existing ones are left alone. */
export async function provisionAws(env: Env): Promise<void> {
  const aws = createAwsClients({ env });
  try {
    await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY })).catch((error: unknown) => {
      if (!isAlreadyThere(error)) throw error;
    });
    for (const [name, buildspec] of Object.entries(PROJECTS)) {
      const source = { type: 'S3' as const, location: `${SOURCE_BUCKET}/sources/${REPOSITORY}/source.zip`, buildspec };
      const request = {
        name,
        source,
        artifacts: { type: 'NO_ARTIFACTS' as const },
        environment: {
          type: 'LINUX_CONTAINER' as const,
          image: 'aws/codebuild/standard:7.0',
          computeType: 'BUILD_GENERAL1_SMALL' as const,
        },
        serviceRole: 'arn:aws:iam::123456789012:role/pay-ci',
      };
      await aws.codebuild.send(new CreateProjectCommand(request)).catch((error: unknown) => {
        if (!isAlreadyThere(error)) throw error;
      });
    }
  } finally {
    aws.destroy();
  }
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const env = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GIT_AUTHOR_NAME: 'Pay CI demo',
    GIT_AUTHOR_EMAIL: 'demo@example.invalid',
    GIT_COMMITTER_NAME: 'Pay CI demo',
    GIT_COMMITTER_EMAIL: 'demo@example.invalid',
  };
  return (await exec('git', [...args], { cwd, env })).stdout;
}

/** The newest `alpha_release-<N>` number on the remote (0 when there is none). */
export async function newestRelease(remote: string): Promise<number> {
  const out = await git(tmpdir(), ['ls-remote', '--tags', '--refs', remote]);
  const numbers = [...out.matchAll(/refs\/tags\/alpha_release-(\d+)$/gm)].map((m) => Number(m[1]));
  return Math.max(0, ...numbers);
}

/**
 * Commits the demo app (after `edit`, which may break it on purpose) to the remote's main branch and
 * tags it `alpha_release-<release>`.
 */
export async function publishRelease(remote: string, release: number, edit?: (dir: string) => Promise<void>): Promise<string> {
  const work = await mkdtemp(join(tmpdir(), 'seqrun-demo-app-'));
  try {
    await git(work, ['clone', '--quiet', remote, 'app']);
    const dir = join(work, 'app');
    for (const entry of await readdir(dir)) if (entry !== '.git') await rm(join(dir, entry), { recursive: true, force: true });
    await cp(DEMO_APP, dir, { recursive: true });
    await edit?.(dir);
    await git(dir, ['add', '-A']);
    await git(dir, ['commit', '--quiet', '--allow-empty', '-m', `pay-demo release ${release}`]);
    await git(dir, ['tag', `alpha_release-${release}`]);
    await git(dir, ['push', '--quiet', 'origin', 'HEAD:refs/heads/main', `refs/tags/alpha_release-${release}`]);
    return (await git(dir, ['rev-parse', 'HEAD'])).trim();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Does the remote hold the tag `alpha_release-<release>`? */
async function hasRelease(remote: string, release: number): Promise<boolean> {
  const out = await git(tmpdir(), ['ls-remote', '--tags', '--refs', remote, `refs/tags/alpha_release-${release}`]);
  return out.trim() !== '';
}

/**
 * `sandbox.provision`: the AWS resources, then the demo app as release `--var release=N` (kept when
 * that tag is already there) or as the next one after the newest tag.
 */
const provision: SandboxProvision = async (sandbox, ctx) => {
  await provisionAws(sandbox.env);
  const remote = sandbox.env['SEQRUN_GIT_REMOTE'];
  if (!remote) throw new Error('the sandbox has no SEQRUN_GIT_REMOTE');
  const given = ctx.vars['release'];
  if (given !== undefined && !/^\d+$/.test(given)) throw new Error(`--var release=${given} is not a release number`);
  const release = given === undefined ? (await newestRelease(remote)) + 1 : Number(given);
  if (await hasRelease(remote, release)) {
    ctx.log(`sandbox: ${REPOSITORY} alpha_release-${release} is already in the git remote`);
    return;
  }
  const sha = await publishRelease(remote, release);
  ctx.log(
    `sandbox: pushed ${REPOSITORY} alpha_release-${release} (${sha.slice(0, 12)}) to the git remote; created the ECR repository and the CodeBuild projects`,
  );
};
export default provision;
