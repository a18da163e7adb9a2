// The block labels of specs/release.mmd (mermaid's control flow): the loop over the apps of the build
// stage, the E2E run's compensation, and stopping the release.
import { defineSteps } from 'seqrun';
import { releaseApps, type ReleaseContext, type ReleaseState } from './support/settings.ts';

export default defineSteps<ReleaseState>((s) => {
  // `--var apps=frontend,publicapi`; without it `--var app=NAME`, else the settings' apps (the
  // sandbox's demo and cardid apps) or app (aws). Each iteration's steps work on its app (ctx.item).
  s.loop('for each app in {word}', { maxIterations: 20 }, (ctx: ReleaseContext, list: string) => releaseApps(ctx, list));
  // Any failure of the E2E run is compensated by telling the team and stopping the release.
  s.condition('the E2E run failed', (ctx) => ctx.error !== undefined);
  s.condition('the release is stopped', () => true);
  s.note('Stop the release', { over: 'Pay CI' }, (ctx: ReleaseContext) => {
    ctx.log.warn('the E2E run failed: the release stops here, nothing is published');
  });
});
