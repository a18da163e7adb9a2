// What exists on AWS and GitHub before the release process runs, made in the sandbox: the fixture
// apps (test/fixtures/demo-app and test/fixtures/cardid-app), each in its own git remote
// `$SEQRUN_SANDBOX_DIR/github/pay-<app>.git` (the sandbox profile's `gitRemote`) and all tagged with the
// same `alpha_release-<N>`, so one release number covers every app release.mmd's loop builds; per app
// the ECR repository `pay-<app>` and the CodeBuild projects pay-<app>-amd64, -armv8 and -manifest with
// their buildspecs; and endtoend-tests. The sandbox profile's `sandbox.provision` in seqrun.config.ts,
// so `seqrun run --sandbox specs/final.seq --profile sandbox` runs green on its own; `npm run demo` and
// the fault drills use the same functions.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateProjectCommand } from '@aws-sdk/client-codebuild';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import type { SandboxProvision } from 'seqrun';
import { createAwsClients } from 'seqrun/packs/aws';

const exec = promisify(execFile);
const fixture = (folder: string): string => fileURLToPath(new URL(`../../test/fixtures/${folder}/`, import.meta.url));

/** The apps the sandbox's "GitHub" holds, and the fixture folder of each. */
export const APP_SOURCES: Readonly<Record<string, string>> = { demo: fixture('demo-app'), cardid: fixture('cardid-app') };
export const APPS = Object.keys(APP_SOURCES);
/** The app the seed's js-sequence processes release (the settings' `app`). */
export const APP = 'demo';
export const REPOSITORY = `pay-${APP}`;
export const SOURCE_BUCKET = 'pay-ci-sources';
export const E2E_PROJECT = 'endtoend-tests';

/** An app's CodeBuild projects and their buildspecs (in the app's source). */
export function projectsOf(app: string): Record<string, string> {
  return {
    [`pay-${app}-amd64`]: 'ci/buildspec-amd64.yml',
    [`pay-${app}-armv8`]: 'ci/buildspec-armv8.yml',
    [`pay-${app}-manifest`]: 'ci/buildspec-manifest.yml',
  };
}

/** The projects a release of the demo app starts, each once: its own three and the E2E project. */
export const PROJECTS: Readonly<Record<string, string>> = { ...projectsOf(APP), [E2E_PROJECT]: 'ci/buildspec-e2e.yml' };

type Env = Readonly<Record<string, string | undefined>>;

function isAlreadyThere(error: unknown): boolean {
  const name = (error as { name?: string }).name ?? '';
  return name === 'ResourceAlreadyExistsException' || name === 'RepositoryAlreadyExistsException';
}

/** Per app the ECR repository and the CodeBuild projects, and the E2E project; existing ones are left alone. */
export async function provisionAws(env: Env): Promise<void> {
  const aws = createAwsClients({ env });
  try {
    for (const app of APPS) {
      await aws.ecr.send(new CreateRepositoryCommand({ repositoryName: `pay-${app}` })).catch((error: unknown) => {
        if (!isAlreadyThere(error)) throw error;
      });
    }
    const projects = [
      ...APPS.flatMap((app) => Object.entries(projectsOf(app)).map(([name, buildspec]) => ({ name, buildspec, app }))),
      { name: E2E_PROJECT, buildspec: 'ci/buildspec-e2e.yml', app: APP },
    ];
    for (const { name, buildspec, app } of projects) {
      // Every build names its own source (the S3 snapshot); this default is never built.
      const source = { type: 'S3' as const, location: `${SOURCE_BUCKET}/sources/pay-${app}/source.zip`, buildspec };
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

/**
 * The git remote of `app` in the sandbox: what the sandbox profile's `gitRemote`
 * (`$SEQRUN_SANDBOX_DIR/github/pay-{app}.git`) names. The sandbox's own seeded `SEQRUN_GIT_REMOTE`
 * (pay-app.git) is not used by the seed.
 */
export function appRemote(env: Env, app: string): string {
  const dir = env['SEQRUN_SANDBOX_DIR'];
  if (!dir) throw new Error('the sandbox has no SEQRUN_SANDBOX_DIR: provision a sandbox started with `seqrun sandbox up`');
  return join(dir, 'github', `pay-${app}.git`);
}

/** Creates the bare remote of every app that has none yet (branch `main`). */
async function ensureRemotes(env: Env): Promise<void> {
  for (const app of APPS) {
    const remote = appRemote(env, app);
    if (
      await stat(remote).then(
        () => true,
        () => false,
      )
    )
      continue;
    await mkdir(remote, { recursive: true });
    await git(remote, ['init', '--quiet', '--bare', '--initial-branch=main']);
  }
}

/** The newest `alpha_release-<N>` number on the remote (0 when there is none). */
export async function newestRelease(remote: string): Promise<number> {
  const out = await git(tmpdir(), ['ls-remote', '--tags', '--refs', remote]);
  const numbers = [...out.matchAll(/refs\/tags\/alpha_release-(\d+)$/gm)].map((m) => Number(m[1]));
  return Math.max(0, ...numbers);
}

/** The release after the newest one any app's remote holds: the next number that covers every app. */
export async function nextReleaseNumber(env: Env): Promise<number> {
  await ensureRemotes(env);
  const newest = await Promise.all(APPS.map((app) => newestRelease(appRemote(env, app))));
  return Math.max(0, ...newest) + 1;
}

/**
 * Commits the fixture app `app` (after `edit`, which may break it on purpose) to its remote's main
 * branch and tags it `alpha_release-<release>`.
 */
export async function publishRelease(env: Env, app: string, release: number, edit?: (dir: string) => Promise<void>): Promise<string> {
  const fixtureDir = APP_SOURCES[app];
  if (!fixtureDir) throw new Error(`no fixture app ${app} (the sandbox holds ${APPS.join(', ')})`);
  await ensureRemotes(env);
  const work = await mkdtemp(join(tmpdir(), `seqrun-${app}-app-`));
  try {
    await git(work, ['clone', '--quiet', appRemote(env, app), 'app']);
    const dir = join(work, 'app');
    for (const entry of await readdir(dir)) if (entry !== '.git') await rm(join(dir, entry), { recursive: true, force: true });
    await cp(fixtureDir, dir, { recursive: true });
    await edit?.(dir);
    await git(dir, ['add', '-A']);
    await git(dir, ['commit', '--quiet', '--allow-empty', '-m', `pay-${app} release ${release}`]);
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
 * `sandbox.provision`: the AWS resources, then every app as release `--var release=N` (an app whose
 * remote already has that tag is kept) or as the next one after the newest tag of any app.
 */
const provision: SandboxProvision = async (sandbox, ctx) => {
  await provisionAws(sandbox.env);
  const given = ctx.vars['release'];
  if (given !== undefined && !/^\d+$/.test(given)) throw new Error(`--var release=${given} is not a release number`);
  const release = given === undefined ? await nextReleaseNumber(sandbox.env) : Number(given);
  await ensureRemotes(sandbox.env);
  for (const app of APPS) {
    const remote = appRemote(sandbox.env, app);
    if (await hasRelease(remote, release)) {
      ctx.log(`sandbox: pay-${app} alpha_release-${release} is already in its git remote`);
      continue;
    }
    const sha = await publishRelease(sandbox.env, app, release);
    ctx.log(`sandbox: pushed pay-${app} alpha_release-${release} (${sha.slice(0, 12)}) to its git remote`);
  }
  ctx.log(`sandbox: created the ECR repositories and the CodeBuild projects of ${APPS.map((app) => `pay-${app}`).join(', ')}`);
};
export default provision;
