// "Slack notification": posts the run's status so far (release, steps passed, images) to the
// success channel; a step that fails posts to the failure channel itself (support/notify.ts).
import { defineSteps } from 'seqrun';
import { postProgress } from './support/notify.ts';
import type { ReleaseState } from './support/settings.ts';

export default defineSteps<ReleaseState>((s) => {
  s.note('Slack notification', { over: 'Pay CI' }, (ctx) => postProgress(ctx));
});
