// Releasing the tested candidate: release tags and `latest` in ECR (a registry-level manifest copy,
// no rebuild), then `latest-master` (and `latest-arm`) on Docker Hub, copied from ECR by digest.
// One release of several apps: after release.mmd's loop these steps publish every app the loop built
// (each app's own ECR and Docker Hub repository), in the order it built them; in a js-sequence
// process, the one app.
import { defineSteps } from 'seqrun';
import { addTags } from 'seqrun/packs/ecr';
import { copyImage } from 'seqrun/packs/registry';
import { noticed } from './support/notify.ts';
import { aws, dockerHubImages, ecrImages, ecrRepository } from './support/services.ts';
import { builtApps, recordImage, release, settingsOf, type ReleaseContext, type ReleaseState } from './support/settings.ts';
import { concreteTags, MOVABLE_TAGS, sourceTag, type TagName } from './support/tags.ts';

/** Groups the tags to add by the tag they are copied from. */
function bySource(names: readonly TagName[], n: number): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const from = sourceTag(name, n);
    groups.set(from, [...(groups.get(from) ?? []), ...concreteTags(name, n)]);
  }
  return groups;
}

/** The tags `names` stand for, added in `app`'s ECR repository; the digest of each. */
async function tagInEcr(ctx: ReleaseContext, app: string, names: readonly TagName[]): Promise<Record<string, string>> {
  const added: Record<string, string> = {};
  for (const [from, tags] of bySource(names, release(ctx))) {
    const repository = { repositoryName: ecrRepository(ctx, app) };
    const result = await addTags(aws(ctx).ecr, repository, { tag: from }, tags, { movable: MOVABLE_TAGS });
    for (const tag of tags) {
      added[tag] = result.digest;
      recordImage(ctx, tag, result.digest, app);
    }
  }
  return added;
}

/** The tags `names` stand for, copied from `app`'s ECR repository to its Docker Hub one. */
async function copyToDockerHub(ctx: ReleaseContext, app: string, names: readonly TagName[]): Promise<Record<string, string>> {
  const ecr = await ecrImages(ctx, app);
  const hub = dockerHubImages(ctx, app);
  const copied: Record<string, string> = {};
  for (const [from, tags] of bySource(names, release(ctx))) {
    const result = await copyImage({ from: ecr, reference: from, to: hub, tags });
    for (const tag of tags) copied[tag] = result.digest;
  }
  return copied;
}

/** `publish` for each app built, one after the other; the digests by app and tag. */
async function forEachApp(
  ctx: ReleaseContext,
  publish: (app: string) => Promise<Record<string, string>>,
): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const app of builtApps(ctx)) out[app] = await publish(app);
  return out;
}

export default defineSteps<ReleaseState>((s) => {
  s.call(
    'Push {tags} to ECR',
    { from: 'Pay CI', to: 'AWS', retry: { attempts: 3, backoffMs: 500 } },
    noticed(3, (ctx, names: TagName[]) => forEachApp(ctx, (app) => tagInEcr(ctx, app, names))),
  );

  s.call(
    'Push {tags} to Dockerhub',
    { from: 'Pay CI', to: 'Dockerhub', timeoutMs: 900_000 },
    noticed(1, (ctx, names: TagName[]) => {
      const attempts = settingsOf(ctx).dockerhub.retry?.attempts ?? 4;
      ctx.log.info(`copying to Docker Hub (registry requests retried up to ${attempts} attempts)`);
      return forEachApp(ctx, (app) => copyToDockerHub(ctx, app, names));
    }),
  );
});
