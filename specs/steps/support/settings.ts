// The settings the release bindings read (`settings` in seqrun.config.ts, per profile), and the
// per-run state they keep. Values may name environment variables (`$NAME`) and the app (`{app}`).
import { resolve } from 'node:path';
import type { HandlerContext } from 'seqrun';
import type { CodeBuildHandle } from 'seqrun/packs/codebuild';

export interface ReleaseSettings {
  /** The app being released: `pay-<app>`. `--var app=NAME` wins. */
  readonly app: string;
  /** Where the app's repository is (`https://github.com/alphagov/pay-{app}.git`, `$SEQRUN_GIT_REMOTE`). */
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
}

/** What a run remembers between steps (journaled, so a resumed run has it too). */
export interface ReleaseState {
  release?: number;
  tag?: string;
  sha?: string;
  workspace?: string;
  source?: { bucket: string; key: string; versionId: string };
  /** Digests of the images this run pushed or looked up, by tag. */
  images?: Record<string, string>;
  /** CodeBuild builds started and not yet awaited, by step id. */
  openBuilds?: Record<string, BuildRecord[]>;
  /** Steps that passed so far, for notifications. */
  passed?: string[];
}

export type ReleaseContext = HandlerContext<ReleaseState>;

export function settingsOf(ctx: ReleaseContext): ReleaseSettings {
  return ctx.config as unknown as ReleaseSettings;
}

export function appName(ctx: ReleaseContext): string {
  return ctx.vars['app'] ?? settingsOf(ctx).app;
}

/** Expands `{app}`, `{release}` and `$NAME` / `${NAME}` (from the run's environment) in a setting. */
export function expand(ctx: ReleaseContext, value: string): string {
  return value
    .replace(/\{app\}/g, appName(ctx))
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

export function recordImage(ctx: ReleaseContext, tag: string, digest: string): void {
  ctx.state.images = { ...ctx.state.images, [tag]: digest };
}
