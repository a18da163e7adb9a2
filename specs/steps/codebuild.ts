// The AWS side: CodeBuild builds started by "Trigger ... CodeBuild" calls (jobs), the notes written
// while they run (expectations checked against the finished builds), and Pay CI awaiting them.
import { defineSteps } from 'seqrun';
import { getManifest, verifyTags } from 'seqrun/packs/ecr';
import type { Arch } from './params.ts';
import { awaitOpenBuilds, buildEnvironment, buildsJob, type BuildRequest, type BuildsResult, type OnFailure } from './support/builds.ts';
import { noticed, noticeOnFailure } from './support/notify.ts';
import { aws, ecrRepository } from './support/services.ts';
import {
  appName,
  appState,
  builtApps,
  expand,
  recordImage,
  release,
  settingsOf,
  type ReleaseContext,
  type ReleaseState,
} from './support/settings.ts';
import { ARCH_SUFFIX, concreteTagList, type TagName } from './support/tags.ts';

/** The source of `app`'s builds: the snapshot "Copy repo to S3" made, or the release tag in git. */
function source(ctx: ReleaseContext, app = appName(ctx)): Pick<BuildRequest, 'sourceType' | 'sourceLocation' | 'sourceVersion'> {
  const snapshot = appState(ctx, app).source;
  if (snapshot) return { sourceType: 'S3', sourceLocation: `${snapshot.bucket}/${snapshot.key}`, sourceVersion: snapshot.versionId };
  return {
    sourceType: 'GITHUB',
    sourceLocation: expand(ctx, settingsOf(ctx).gitRemote, app),
    sourceVersion: ctx.state.tag ?? `alpha_release-${release(ctx)}`,
  };
}

function common(ctx: ReleaseContext, app = appName(ctx)): Record<string, string> {
  const vars: Record<string, string> = { RELEASE_NUMBER: String(release(ctx)), ECR_REPOSITORY: ecrRepository(ctx, app) };
  if (ctx.vars['buildSeconds']) vars['DEMO_BUILD_SECONDS'] = ctx.vars['buildSeconds'];
  return vars;
}

function archBuilds(ctx: ReleaseContext, arches: readonly Arch[]): BuildRequest[] {
  const projects = settingsOf(ctx).projects;
  return arches.map((arch) => {
    const suffix = ARCH_SUFFIX[arch];
    const environment = buildEnvironment(ctx, { ...common(ctx), ARCH: suffix, IMAGE_TAG: `${release(ctx)}-candidate-${suffix}` });
    return { arch, projectName: expand(ctx, projects[suffix]), ...source(ctx), environment };
  });
}

const failureNotice: OnFailure = (ctx, work) => noticeOnFailure(ctx, 1, work);

function resultOf(ctx: ReleaseContext): BuildsResult {
  const result = ctx.result as BuildsResult | undefined;
  if (!result?.builds) throw new Error('this note expects a CodeBuild call to check; none is open');
  return result;
}

export default defineSteps<ReleaseState>((s) => {
  s.job(
    'Trigger CodeBuild {arch}',
    { from: 'Pay CI', to: 'AWS', timeoutMs: 3_600_000 },
    buildsJob((ctx, arches: Arch[]) => archBuilds(ctx, arches), failureNotice),
  );

  s.job(
    'Trigger manifest CodeBuild',
    { from: 'Pay CI', to: 'AWS', timeoutMs: 1_800_000 },
    buildsJob((ctx) => {
      const n = release(ctx);
      const environment = buildEnvironment(ctx, {
        ...common(ctx),
        IMAGE_TAG: `${n}-candidate`,
        SOURCE_TAGS: `${n}-candidate-amd64,${n}-candidate-armv8`,
      });
      return [{ projectName: expand(ctx, settingsOf(ctx).projects.manifest), ...source(ctx), environment }];
    }, failureNotice),
  );

  // One E2E run after the build stage, testing every app it built: release.mmd's critical block runs
  // this step once, and it starts one endtoend-tests build per app (its source snapshot's suite
  // against its candidate), awaited together, so that nothing is published untested.
  s.job(
    'Trigger E2E CodeBuild {arch}',
    { from: 'Pay CI', to: 'AWS', timeoutMs: 3_600_000 },
    buildsJob((ctx, arches: Arch[]) => {
      const n = release(ctx);
      return builtApps(ctx).flatMap((app) =>
        arches.map((arch) => {
          const environment = buildEnvironment(ctx, { ...common(ctx, app), ARCH: ARCH_SUFFIX[arch], CANDIDATE_TAG: `${n}-candidate` });
          return { arch, app, projectName: expand(ctx, settingsOf(ctx).projects.e2e, app), ...source(ctx, app), environment };
        }),
      );
    }, failureNotice),
  );

  s.expect(
    'Fetch source from S3',
    { over: 'AWS' },
    noticed(1, (ctx) => {
      const snapshot = appState(ctx).source;
      if (!snapshot) throw new Error('no S3 snapshot in this run: "Copy repo to S3" must come before the build');
      for (const build of resultOf(ctx).builds) {
        if (build.sourceVersion !== snapshot.versionId) {
          throw new Error(
            `${build.projectName} built source version ${build.sourceVersion ?? 'none'}, not the snapshot s3://${snapshot.bucket}/${snapshot.key} version ${snapshot.versionId}`,
          );
        }
      }
      return { versionId: snapshot.versionId, builds: resultOf(ctx).builds.length };
    }),
  );

  s.expect(
    'Push {tags} to ECR',
    { over: 'AWS' },
    noticed(1, async (ctx, names: TagName[]) => {
      const checked = await verifyTags(aws(ctx).ecr, { repositoryName: ecrRepository(ctx) }, concreteTagList(names, release(ctx)));
      for (const [tag, digest] of Object.entries(checked.present)) recordImage(ctx, tag, digest);
      return checked.present;
    }),
  );

  s.expect(
    'Push {tags} index to ECR',
    { over: 'AWS' },
    noticed(1, async (ctx, names: TagName[]) => {
      const out: Record<string, string[]> = {};
      for (const tag of concreteTagList(names, release(ctx))) {
        const manifest = await getManifest(aws(ctx).ecr, { repositoryName: ecrRepository(ctx) }, { tag });
        const parsed = JSON.parse(manifest.manifest) as { manifests?: { platform?: { architecture?: string } }[] };
        const platforms = (parsed.manifests ?? []).map((m) => m.platform?.architecture ?? '?').sort();
        if (!platforms.includes('amd64') || !platforms.includes('arm64'))
          throw new Error(`${tag} is not a multi-architecture index (platforms: ${platforms.join(', ') || 'none'})`);
        recordImage(ctx, tag, manifest.digest);
        out[tag] = platforms;
      }
      return out;
    }),
  );

  s.expect(
    'Tests passed',
    { over: 'AWS' },
    noticed(1, (ctx) => {
      const pattern = /passed=(\d+) failed=(\d+)/;
      return resultOf(ctx).builds.map(({ projectName, app, summary }) => {
        const tested = app ? `${projectName} (pay-${app})` : projectName;
        const counts = summary ? pattern.exec(summary) : null;
        if (!counts) throw new Error(`${tested} printed no test summary matching /${settingsOf(ctx).testSummary}/; did the tests run?`);
        if (Number(counts[2]) > 0 || Number(counts[1]) === 0) throw new Error(`${tested}: ${summary}`);
        return { project: projectName, ...(app ? { app } : {}), summary };
      });
    }),
  );

  // Waits as long as the builds may run (the default for a note, 30 min, could be shorter than a build).
  s.note('Await CodeBuild result', { over: 'Pay CI', timeoutMs: 3_600_000 }, async (ctx) => ({ builds: await awaitOpenBuilds(ctx) }));
});
