// One BatchGetBuilds call per interval for every build open in the process, instead of one poller per
// build: builds register, the poller asks for all of them at once (100 ids per call), and backs off
// while nothing changes or the service throttles.
import type { Build, CodeBuildClient } from '@aws-sdk/client-codebuild';
import { codeBuildSdk } from '../aws/sdk.ts';
import { describeAwsError, endpointName } from '../aws/errors.ts';

export interface PollerOptions {
  /** First delay between polls (default 5 s, what GOV.UK Pay's script uses per build). */
  readonly intervalMs?: number;
  /** Longest delay while no build changes (default 10 s). */
  readonly maxIntervalMs?: number;
  /** Growth of the delay per unchanged poll (default 1.25). */
  readonly factor?: number;
  /** Endpoint name for error messages. */
  readonly endpoint?: string;
  /** Failed polls in a row (each already retried by the SDK) before the builds' waits fail (default 3). */
  readonly maxConsecutiveErrors?: number;
}

interface Watch {
  readonly onUpdate: (build: Build) => void;
  readonly onError: (error: Error) => void;
}

const MAX_IDS_PER_CALL = 100;

export class BuildPoller {
  private readonly watches = new Map<string, Set<Watch>>();
  private readonly lastSeen = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private delayMs: number;
  private polling = false;
  private consecutiveErrors = 0;
  /** BatchGetBuilds calls made so far (for benchmarks). */
  calls = 0;

  private readonly client: CodeBuildClient;
  private readonly options: PollerOptions;
  constructor(client: CodeBuildClient, options: PollerOptions = {}) {
    this.client = client;
    this.options = options;
    this.delayMs = options.intervalMs ?? 5000;
  }

  /** Calls `onUpdate` with every fresh state of the build until the returned function is called. */
  watch(buildId: string, onUpdate: (build: Build) => void, onError: (error: Error) => void): () => void {
    const watch: Watch = { onUpdate, onError };
    const set = this.watches.get(buildId) ?? new Set();
    set.add(watch);
    this.watches.set(buildId, set);
    // A newcomer should not wait for a long backed-off delay.
    this.delayMs = this.options.intervalMs ?? 5000;
    this.schedule();
    return () => {
      set.delete(watch);
      if (set.size === 0) {
        this.watches.delete(buildId);
        this.lastSeen.delete(buildId);
      }
      if (this.watches.size === 0 && this.timer !== undefined) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  private schedule(): void {
    if (this.timer !== undefined || this.polling || this.watches.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, this.delayMs);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    let changed = false;
    try {
      const ids = [...this.watches.keys()];
      for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) {
        changed = (await this.pollBatch(ids.slice(i, i + MAX_IDS_PER_CALL))) || changed;
      }
    } finally {
      this.polling = false;
    }
    const base = this.options.intervalMs ?? 5000;
    const max = this.options.maxIntervalMs ?? 10_000;
    this.delayMs = changed ? base : Math.min(max, this.delayMs * (this.options.factor ?? 1.25));
    this.schedule();
  }

  private async pollBatch(ids: string[]): Promise<boolean> {
    let changed = false;
    try {
      this.calls += 1;
      const { BatchGetBuildsCommand } = codeBuildSdk();
      const output = await this.client.send(new BatchGetBuildsCommand({ ids }));
      this.consecutiveErrors = 0;
      for (const build of output.builds ?? []) {
        if (build.id === undefined) continue;
        const fingerprint = `${build.buildStatus}/${build.currentPhase}/${build.phases?.length ?? 0}`;
        if (this.lastSeen.get(build.id) !== fingerprint) changed = true;
        this.lastSeen.set(build.id, fingerprint);
        for (const watch of [...(this.watches.get(build.id) ?? [])]) watch.onUpdate(build);
      }
      for (const id of output.buildsNotFound ?? []) {
        this.fail(id, new Error(`CodeBuild build ${id} not found at ${await endpointName(this.options.endpoint ?? this.client)}`));
      }
    } catch (error) {
      // The SDK has already retried (standard mode); a build outlives a short outage, not a long one.
      this.consecutiveErrors += 1;
      if (this.consecutiveErrors >= (this.options.maxConsecutiveErrors ?? 3)) {
        const described = describeAwsError(error, 'CodeBuild', 'BatchGetBuilds', await endpointName(this.options.endpoint ?? this.client));
        for (const id of ids) this.fail(id, described);
      }
    }
    return changed;
  }

  private fail(id: string, error: Error): void {
    for (const watch of [...(this.watches.get(id) ?? [])]) watch.onError(error);
  }
}

const pollers = new WeakMap<CodeBuildClient, BuildPoller>();

/** The poller shared by every build awaited through this client (one per client, created on first use). */
export function sharedPoller(client: CodeBuildClient, options?: PollerOptions): BuildPoller {
  let poller = pollers.get(client);
  if (poller === undefined) {
    poller = new BuildPoller(client, options);
    pollers.set(client, poller);
  }
  return poller;
}
