// The x86 build on Pay CI itself: build the project, build its image without Docker (an OCI layout),
// push it to ECR as the candidate.
import { join } from 'node:path';
import { defineSteps } from 'seqrun';
import { buildImage } from 'seqrun/packs/image';
import { pushLayout } from 'seqrun/packs/registry';
import { runCommand } from 'seqrun/packs/shell';
import type { Arch } from './params.ts';
import { noticed } from './support/notify.ts';
import { ecrImages } from './support/services.ts';
import { appState, recordImage, release, settingsOf, workFolder, type ReleaseContext, type ReleaseState } from './support/settings.ts';
import { concreteTagList, type TagName } from './support/tags.ts';

function onlyX86(arches: readonly Arch[]): void {
  if (arches.length !== 1 || arches[0] !== 'x86') throw new Error(`Pay CI builds x86 only; (${arches.join(', ')}) builds run in CodeBuild`);
}

async function pushCandidate(
  ctx: ReleaseContext,
  names: readonly TagName[],
  arches: readonly Arch[],
): Promise<{ digest: string; tags: string[] }> {
  onlyX86(arches);
  const tags = concreteTagList(names, release(ctx));
  const pushed = await pushLayout({ layoutDir: workFolder(ctx, 'oci'), name: `${release(ctx)}-candidate`, to: await ecrImages(ctx), tags });
  for (const tag of tags) recordImage(ctx, tag, pushed.digest);
  return { digest: pushed.digest, tags };
}

export default defineSteps<ReleaseState>((s) => {
  s.call(
    'Build project {arch}',
    { from: 'Pay CI', to: 'Pay CI' },
    noticed(1, async (ctx, arches: Arch[]) => {
      onlyX86(arches);
      const build = settingsOf(ctx).build;
      const cwd = appState(ctx).workspace ?? workFolder(ctx, 'src');
      const env = { RELEASE_NUMBER: String(release(ctx)), ARCH: 'amd64', DEMO_BUILD_SECONDS: ctx.vars['buildSeconds'] };
      await runCommand({ command: build.command, cwd, env, log: ctx.log, signal: ctx.signal, timeoutMs: build.timeoutMs ?? 900_000 });
      return { output: join(cwd, build.output) };
    }),
  );

  s.call(
    'Build image {arch}',
    { from: 'Pay CI', to: 'Pay CI' },
    noticed(1, async (ctx, arches: Arch[]) => {
      onlyX86(arches);
      const cwd = appState(ctx).workspace ?? workFolder(ctx, 'src');
      const image = await buildImage({
        contextDir: join(cwd, settingsOf(ctx).build.output),
        layoutDir: workFolder(ctx, 'oci'),
        tag: `${release(ctx)}-candidate`,
        platform: { os: 'linux', architecture: 'amd64' },
        config: {
          cmd: ['node', '/app/server.mjs'],
          labels: {
            'org.opencontainers.image.revision': appState(ctx).sha ?? '',
            'org.opencontainers.image.version': String(release(ctx)),
          },
        },
      });
      return { digest: image.manifest.digest, size: image.manifest.size };
    }),
  );

  s.call(
    'Push {tags} {arch} to ECR',
    { from: 'Pay CI', to: 'AWS' },
    noticed(1, (ctx, names: TagName[], arches: Arch[]) => pushCandidate(ctx, names, arches)),
  );
  s.call(
    'Push {tags} to ECR {arch}',
    { from: 'Pay CI', to: 'AWS' },
    noticed(1, (ctx, names: TagName[], arches: Arch[]) => pushCandidate(ctx, names, arches)),
  );
});
