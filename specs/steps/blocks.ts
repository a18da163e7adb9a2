// The block labels of specs/release.mmd (mermaid's control flow): the loop over the apps of the build
// stage, the E2E run's compensation, and stopping the release.
import { defineSteps } from 'seqrun';
import { appName, type ReleaseContext, type ReleaseState } from './support/settings.ts';

export default defineSteps<ReleaseState>((s) => {
  // `--var apps=frontend,publicapi`; without it, the app the settings name (the sandbox's demo app).
  s.loop('for each app in {word}', { maxIterations: 20 }, (ctx: ReleaseContext, list: string) => {
    const given = ctx.vars[list];
    return given === undefined || given.trim() === '' ? [appName(ctx)] : given.split(',').map((app) => app.trim());
  });
  // Any failure of the E2E run is compensated by telling the team and stopping the release.
  s.condition('the E2E run failed', (ctx) => ctx.error !== undefined);
  s.condition('the release is stopped', () => true);
  s.note('Stop the release', { over: 'Pay CI' }, (ctx: ReleaseContext) => {
    ctx.log.warn('the E2E run failed: the release stops here, nothing is published');
  });
});
