// Slack: the run's status so far (the "Slack notification" note), and a failure notice posted by a
// step that fails for good (what the real pipeline's on_failure hook does).
import { createSlackClient, notifyRun, type RunSummary } from 'seqrun/packs/slack';
import { builtApps, expand, requireEnv, settingsOf, type ReleaseContext } from './settings.ts';

function title(ctx: ReleaseContext): string {
  const tag = ctx.state.tag ?? (ctx.state.release === undefined ? 'release' : `alpha_release-${ctx.state.release}`);
  return `deploy-to-test ${builtApps(ctx)
    .map((app) => `pay-${app}`)
    .join(', ')} ${tag}`;
}

function facts(ctx: ReleaseContext): Record<string, string> {
  const facts: Record<string, string> = { 'Steps passed': String(ctx.outputs.size) };
  if (ctx.state.release !== undefined) facts['Release'] = String(ctx.state.release);
  // Several apps (release.mmd's loop): each image named with its app.
  const apps = builtApps(ctx);
  const images = apps.flatMap((app) =>
    Object.entries(ctx.state.apps?.[app]?.images ?? {}).map(
      ([tag, digest]) => [apps.length > 1 ? `pay-${app} ${tag}` : tag, digest] as const,
    ),
  );
  for (const [name, digest] of images.slice(0, 6)) facts[name] = digest.slice(0, 19);
  return facts;
}

export async function postRunStatus(
  ctx: ReleaseContext,
  summary: Omit<RunSummary, 'title'>,
): Promise<{ destination: string; ts?: string }> {
  const slack = settingsOf(ctx).slack;
  const client = createSlackClient({
    token: ctx.secret(requireEnv(ctx, slack.tokenVariable)),
    ...(slack.apiUrl ? { slackApiUrl: expand(ctx, slack.apiUrl) } : {}),
    retries: 1,
    log: ctx.log,
  });
  return notifyRun(
    { kind: 'bot', client, channels: slack.channels },
    { title: title(ctx), facts: facts(ctx), ...summary },
    { retries: 3, maxWaitSeconds: 30, log: ctx.log, signal: ctx.signal, redact: ctx.redact },
  );
}

/** The "Slack notification" note: every step so far passed, or the run would have stopped. */
export function postProgress(ctx: ReleaseContext): Promise<{ destination: string; ts?: string }> {
  return postRunStatus(ctx, { status: 'passed', facts: { ...facts(ctx), 'At line': String(ctx.step.line) } });
}

/**
 * Runs `work`; when it fails on its last attempt (not because the run was stopped), posts the failure
 * to the failure channel before passing the error on. A notice that cannot be posted is logged only.
 */
export async function noticeOnFailure<T>(ctx: ReleaseContext, attempts: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!ctx.signal.aborted && ctx.attempt >= attempts) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      const failedStep = `line ${ctx.step.line}: ${ctx.step.text}`;
      await postRunStatus(ctx, { status: 'failed', failedStep, reason }).catch((notice: unknown) =>
        ctx.log.warn(`failure notice not posted: ${String(notice)}`),
      );
    }
    throw error;
  }
}

/** A handler that posts a failure notice when it fails on its last attempt (`attempts` as bound). */
export function noticed<Args extends unknown[], T>(
  attempts: number,
  fn: (ctx: ReleaseContext, ...args: Args) => T | Promise<T>,
): (ctx: ReleaseContext, ...args: Args) => Promise<T> {
  return (ctx, ...args) => noticeOnFailure(ctx, attempts, async () => fn(ctx, ...args));
}
