// Releasing the tested candidate: release tags and `latest` in ECR (a registry-level manifest copy,
// no rebuild), then `latest-master` (and `latest-arm`) on Docker Hub, copied from ECR by digest.
import { defineSteps } from 'seqrun';
import { addTags } from 'seqrun/packs/ecr';
import { copyImage } from 'seqrun/packs/registry';
import { noticed } from './support/notify.ts';
import { aws, dockerHubImages, ecrImages, ecrRepository } from './support/services.ts';
import { recordImage, release, settingsOf, type ReleaseContext, type ReleaseState } from './support/settings.ts';
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

async function tagInEcr(ctx: ReleaseContext, names: readonly TagName[]): Promise<Record<string, string>> {
  const added: Record<string, string> = {};
  for (const [from, tags] of bySource(names, release(ctx))) {
    const result = await addTags(aws(ctx).ecr, { repositoryName: ecrRepository(ctx) }, { tag: from }, tags, { movable: MOVABLE_TAGS });
    for (const tag of tags) {
      added[tag] = result.digest;
      recordImage(ctx, tag, result.digest);
    }
  }
  return added;
}

async function copyToDockerHub(ctx: ReleaseContext, names: readonly TagName[]): Promise<Record<string, string>> {
  const ecr = await ecrImages(ctx);
  const hub = dockerHubImages(ctx);
  const copied: Record<string, string> = {};
  for (const [from, tags] of bySource(names, release(ctx))) {
    const result = await copyImage({ from: ecr, reference: from, to: hub, tags });
    for (const tag of tags) copied[tag] = result.digest;
  }
  return copied;
}

export default defineSteps<ReleaseState>((s) => {
  s.call(
    'Push {tags} to ECR',
    { from: 'Pay CI', to: 'AWS', retry: { attempts: 3, backoffMs: 500 } },
    noticed(3, (ctx, names: TagName[]) => tagInEcr(ctx, names)),
  );

  s.call(
    'Push {tags} to Dockerhub',
    { from: 'Pay CI', to: 'Dockerhub', timeoutMs: 900_000 },
    noticed(1, (ctx, names: TagName[]) => {
      const attempts = settingsOf(ctx).dockerhub.retry?.attempts ?? 4;
      ctx.log.info(`copying to Docker Hub (registry requests retried up to ${attempts} attempts)`);
      return copyToDockerHub(ctx, names);
    }),
  );
});
