// The settings the release bindings read (`settings` in seqrun.config.ts, per profile), and the
// per-run state they keep. Values may name environment variables (`$NAME`) and the app (`{app}`).
import { resolve } from 'node:path';
import type { HandlerContext } from 'seqrun';
import type { CodeBuildHandle } from 'seqrun/packs/codebuild';

export interface ReleaseSettings {
  /** The app being released: `pay-<app>`. `--var app=NAME` wins. */
  readonly app: string;
  /**
   * The apps release.mmd's `loop for each app in apps` builds when neither `--var apps=a,b` nor
   * `--var app=NAME` is given (unset: the one app above).
   */
  readonly apps?: readonly string[];
  /** Where an app's repository is (`https://github.com/alphagov/pay-{app}.git`, `$SEQRUN_SANDBOX_DIR/github/pay-{app}.git`). */
  readonly gitRemote: string;
  /** ECR: the repository, and the registry URL (`login`: the one GetAuthorizationToken names). */
  readonly ecr: { readonly repository: string; readonly registry: string };
  readonly dockerhub: {
    readonly registry: string;
    readonly repository: string;
    /** Environment variables holding Docker Hub credentials (unset: anonymous). */
    readonly usernameVariable?: string;
    readonly tokenVariable?: string;
    readonly retry?: { readonly attempts: number; readonly backoffMs?: number };
  };
  /** Versioned bucket for "Copy repo to S3"; objects go under `sources/pay-<app>/`. */
  readonly sourceBucket: string;
  readonly projects: { readonly amd64: string; readonly armv8: string; readonly manifest: string; readonly e2e: string };
  /** The local x86 build: a command (argument array) run in the checkout, and its output folder. */
  readonly build: { readonly command: readonly string[]; readonly output: string; readonly timeoutMs?: number };
  /** PLAINTEXT variables added to every CodeBuild build (values expanded like the rest). */
  readonly buildEnvironment?: Readonly<Record<string, string>>;
  readonly polling?: { readonly intervalMs?: number; readonly maxIntervalMs?: number };
  readonly slack: {
    /** Web API base (`https://slack.com/api/` when unset). */
    readonly apiUrl?: string;
    readonly tokenVariable: string;
    readonly channels: { readonly success: string; readonly failure: string };
  };
  /** Where checkouts and image layouts go, and where deployment requests are written. */
  readonly workdir: string;
  readonly deployRequests: string;
  /** A log line of the E2E build that reports its tests, e.g. `E2E SUMMARY passed=4 failed=0`. */
  readonly testSummary: string;
}

export interface BuildRecord {
  readonly handle: CodeBuildHandle;
  readonly arch?: string;
  readonly app?: string;
}

/** What a run remembers of one app it releases. */
export interface AppRelease {
  sha?: string;
  workspace?: string;
  source?: { bucket: string; key: string; versionId: string };
  /** Digests of the images this run pushed or looked up for the app, by tag. */
  images?: Record<string, string>;
}

/**
 * What a run remembers between steps (journaled, so a resumed run has it too). The release number and
 * tag cover every app; what differs per app is kept by app, so that release.mmd's second iteration
 * does not overwrite the first's checkout, snapshot or images.
 */
export interface ReleaseState {
  release?: number;
  tag?: string;
  /** By app name, in the order the run fetched them. */
  apps?: Record<string, AppRelease>;
  /** CodeBuild builds started and not yet awaited, by step id. */
  openBuilds?: Record<string, BuildRecord[]>;
  /** Steps that passed so far, for notifications. */
  passed?: string[];
}

export type ReleaseContext = HandlerContext<ReleaseState>;

export function settingsOf(ctx: ReleaseContext): ReleaseSettings {
  return ctx.config as unknown as ReleaseSettings;
}

/**
 * The app a step works on: inside a loop iteration the loop's item (release.mmd's `for each app in
 * apps`), else `--var app=NAME` or the settings' app.
 */
export function appName(ctx: ReleaseContext): string {
  if (typeof ctx.item === 'string') return ctx.item;
  return ctx.vars['app'] ?? settingsOf(ctx).app;
}

/** The apps of a release: `--var <list>=a,b` (the loop label's word), else `--var app`, else the settings' apps or app. */
export function releaseApps(ctx: ReleaseContext, list = 'apps'): string[] {
  const given = ctx.vars[list];
  const listed = (given ?? '')
    .split(',')
    .map((app) => app.trim())
    .filter((app) => app !== '');
  if (listed.length > 0) return listed;
  const apps = ctx.vars['app'] === undefined ? settingsOf(ctx).apps : undefined;
  return apps && apps.length > 0 ? [...apps] : [appName(ctx)];
}

/**
 * The apps a step after the build stage works on: the loop's app inside an iteration; else every app
 * this run fetched (release.mmd: each app its loop built), or the one app when none was.
 */
export function builtApps(ctx: ReleaseContext): string[] {
  if (typeof ctx.item === 'string') return [ctx.item];
  const fetched = Object.keys(ctx.state.apps ?? {});
  return fetched.length > 0 ? fetched : [appName(ctx)];
}

/** What the run keeps for `app` (the step's app by default). */
export function appState(ctx: ReleaseContext, app = appName(ctx)): AppRelease {
  return ctx.state.apps?.[app] ?? {};
}

/** Merges `part` into what the run keeps for `app` (a new object each time: the state is journaled). */
export function updateApp(ctx: ReleaseContext, part: AppRelease, app = appName(ctx)): void {
  ctx.state.apps = { ...ctx.state.apps, [app]: { ...appState(ctx, app), ...part } };
}

/** Expands `{app}` (the step's app unless `app` is given), `{release}` and `$NAME` / `${NAME}` (from the run's environment) in a setting. */
export function expand(ctx: ReleaseContext, value: string, app = appName(ctx)): string {
  return value
    .replace(/\{app\}/g, app)
    .replace(/\{release\}/g, String(ctx.state.release ?? ''))
    .replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_match, name: string) => requireEnv(ctx, name));
}

export function requireEnv(ctx: ReleaseContext, name: string): string {
  const value = ctx.env[name];
  if (!value) {
    const hint =
      name.startsWith('SEQRUN_') || name === 'SLACK_BOT_TOKEN'
        ? ' (against the sandbox: eval "$(seqrun sandbox env)" and --profile sandbox)'
        : '';
    throw new Error(`the environment variable ${name} is not set${hint}`);
  }
  return value;
}

export function release(ctx: ReleaseContext): number {
  const n = ctx.state.release;
  if (n === undefined) throw new Error('no release number yet: the "Candidate build tag created" note sets it');
  return n;
}

/**
 * Folder for this run's checkout and image layouts: per run (a resume finds its own again), so that
 * two runs of one release never share a checkout and its git lock.
 */
export function workFolder(ctx: ReleaseContext, part: string): string {
  const base = ctx.vars['workdir'] ?? expand(ctx, settingsOf(ctx).workdir);
  return resolve(base, `${appName(ctx)}-${release(ctx)}`, ctx.runId, part);
}

export function recordImage(ctx: ReleaseContext, tag: string, digest: string, app = appName(ctx)): void {
  updateApp(ctx, { images: { ...appState(ctx, app).images, [tag]: digest } }, app);
}
