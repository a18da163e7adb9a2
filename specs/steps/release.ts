// Pay CI's own steps around the builds: the release tag, the checkout, the source snapshot in S3,
// the candidate images, and the hand-over to the deploy-to-test stage.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { defineSteps } from 'seqrun';
import { resolveTag } from 'seqrun/packs/ecr';
import { fetchRelease, resolveReleaseTag } from 'seqrun/packs/git';
import { ensureVersionedBucket, uploadSnapshot } from 'seqrun/packs/s3';
import { runCommand } from 'seqrun/packs/shell';
import type { Arch } from './params.ts';
import { noticed } from './support/notify.ts';
import { aws, ecrRepository } from './support/services.ts';
import {
  appName,
  appState,
  builtApps,
  expand,
  recordImage,
  release,
  releaseApps,
  settingsOf,
  updateApp,
  workFolder,
  type ReleaseContext,
  type ReleaseState,
} from './support/settings.ts';

const TAG_PATTERN = 'alpha_release-<N>';

async function newestReleaseTag(ctx: ReleaseContext, remote: string): Promise<{ tag: string; release: number }> {
  const listed = await runCommand({
    command: ['git', 'ls-remote', '--tags', '--refs', remote],
    env: { GIT_TERMINAL_PROMPT: '0' },
    signal: ctx.signal,
    timeoutMs: 60_000,
    tailLines: 100_000,
  });
  const tags = listed.tail.map((line) => line.split('refs/tags/')[1] ?? '').filter(Boolean);
  const newest = resolveReleaseTag(tags, TAG_PATTERN);
  if (!newest) throw new Error(`no tag on ${remote} matches ${TAG_PATTERN}; push one or pass --var release=N`);
  return newest;
}

/** The candidate images of every app built (release.mmd: each app of its loop), by app and tag. */
async function candidateDigests(ctx: ReleaseContext, arches: readonly Arch[]): Promise<Record<string, Record<string, string>>> {
  const n = release(ctx);
  const tags = arches.map((arch) => (arch === 'ARM' ? `${n}-candidate-armv8` : `${n}-candidate`));
  const found: Record<string, Record<string, string>> = {};
  for (const app of builtApps(ctx)) {
    const digests: Record<string, string> = {};
    for (const tag of tags) {
      digests[tag] = await resolveTag(aws(ctx).ecr, { repositoryName: ecrRepository(ctx, app) }, tag);
      recordImage(ctx, tag, digests[tag], app);
    }
    found[app] = digests;
  }
  return found;
}

/** The deployment request of `app` (one JSON file per app and release), written where deploy-to-test picks it up. */
async function requestDeployment(ctx: ReleaseContext, app: string): Promise<Record<string, unknown>> {
  const n = release(ctx);
  const { images = {}, sha } = appState(ctx, app);
  const digest = images[`${n}-release`] ?? images[`${n}-candidate`];
  if (!digest) throw new Error(`no digest recorded for pay-${app} ${n}-release; the release tags must be pushed before deploying`);
  const request = {
    app: `pay-${app}`,
    release: n,
    environment: 'test',
    image: `${ecrRepository(ctx, app)}@${digest}`,
    tags: Object.keys(images).sort(),
    commit: sha ?? null,
  };
  const folder = resolve(ctx.vars['deployRequests'] ?? expand(ctx, settingsOf(ctx).deployRequests, app));
  await mkdir(folder, { recursive: true });
  const file = join(folder, `pay-${app}-${n}.json`);
  await writeFile(file, `${JSON.stringify(request, null, 2)}\n`);
  ctx.log.info(`deployment request written to ${file}`);
  return { file, ...request };
}

export default defineSteps<ReleaseState>((s) => {
  s.note(
    'Candidate build tag created',
    { over: 'Pay CI' },
    noticed(1, async (ctx) => {
      const given = ctx.vars['release'];
      if (given !== undefined && !/^\d+$/.test(given)) throw new Error(`--var release=${given} is not a release number`);
      const found =
        given === undefined
          ? await newestReleaseTag(ctx, expand(ctx, settingsOf(ctx).gitRemote, releaseApps(ctx)[0]))
          : { tag: `alpha_release-${given}`, release: Number(given) };
      ctx.state.release = found.release;
      ctx.state.tag = found.tag;
      return found;
    }),
  );

  s.call(
    'Fetch main branch release',
    { from: 'Pay CI', to: 'GitHub', timeoutMs: 300_000 },
    noticed(1, async (ctx) => {
      const tag = ctx.state.tag ?? `alpha_release-${release(ctx)}`;
      const workspace = workFolder(ctx, 'src');
      const fetched = await fetchRelease({
        remote: expand(ctx, settingsOf(ctx).gitRemote),
        workspace,
        ref: { tag },
        env: ctx.env,
        log: ctx.log,
        signal: ctx.signal,
        timeoutMs: 120_000,
      });
      updateApp(ctx, { sha: fetched.sha, workspace });
      return { app: appName(ctx), tag, sha: fetched.sha };
    }),
  );

  s.call(
    'Copy repo to S3',
    { from: 'Pay CI', to: 'AWS', timeoutMs: 600_000, retry: { attempts: 3, backoffMs: 2000 } },
    noticed(3, async (ctx) => {
      const bucket = expand(ctx, settingsOf(ctx).sourceBucket);
      const key = `sources/pay-${appName(ctx)}/alpha_release-${release(ctx)}.zip`;
      await ensureVersionedBucket(aws(ctx).s3, bucket);
      const object = await uploadSnapshot(aws(ctx).s3, {
        repoDir: appState(ctx).workspace ?? workFolder(ctx, 'src'),
        ref: appState(ctx).sha ?? 'HEAD',
        bucket,
        key,
        signal: ctx.signal,
      });
      if (!object.versionId) throw new Error(`s3://${bucket} returned no VersionId: CodeBuild needs a versioned bucket`);
      updateApp(ctx, { source: { bucket, key, versionId: object.versionId } });
      return { bucket, key, versionId: object.versionId, bytes: object.bytes };
    }),
  );

  s.note(
    'Get candidate image',
    { over: 'Pay CI' },
    noticed(1, (ctx) => candidateDigests(ctx, ['x86'])),
  );
  s.note(
    'Get candidate images {arch}',
    { over: 'Pay CI' },
    noticed(1, (ctx, arches: Arch[]) => candidateDigests(ctx, arches)),
  );

  // The hand-over: a deployment request per app built, which the deploy-to-test stage picks up.
  s.note(
    'Deploy to test...',
    { over: 'Pay CI' },
    noticed(1, async (ctx) => {
      const requests = [];
      for (const app of builtApps(ctx)) requests.push(await requestDeployment(ctx, app));
      return requests;
    }),
  );
});
