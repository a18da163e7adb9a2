// The run lock as `seqrun run` and `seqrun resume` hold it: around the whole execution, and a refusal
// that names the run holding it (src/run/lock.ts takes and frees the lock itself).
import { lockRelease, releaseKey, type ReleaseIdentity } from '../run/lock.ts';
import type { Redactor } from '../run/redact.ts';
import { EXIT } from './exit-codes.ts';
import type { Prepared } from './prepare.ts';

export type Release = ReleaseIdentity & { readonly keyVars: readonly string[] | null };

/**
 * The release a new run of `prepared` with `vars` is, on either engine: its diagram, profile and
 * variables as `run-started` journals them (secrets masked), and the config's `releaseKey`.
 */
export function releaseOfRun(prepared: Prepared, vars: Readonly<Record<string, string>>, redactor: Redactor): Release {
  const { config } = prepared.project;
  return { diagram: prepared.diagramRef, profile: config.profile, vars: redactor.vars(vars), keyVars: config.releaseKey };
}

/** Why a second run of a release is refused, as every refusal says it. */
export const TWO_RUNS = 'Two runs of one release would both start its builds and push its tags';

/** How a refusal names the release: `specs/final.seq with the same profile and app, release`. */
export function sameRelease(release: ReleaseIdentity & { readonly keyVars?: readonly string[] | null }): string {
  return `${release.diagram} with the same profile and ${release.keyVars ? release.keyVars.join(', ') : 'variables'}`;
}

/**
 * Runs `fn` holding the lock of `release`; when another live run holds it, says which (run id, pid)
 * on stderr and returns the usage exit code (2) without calling `fn`.
 */
export async function holdingRelease(
  command: 'run' | 'resume',
  at: { readonly root: string; readonly runId: string; readonly pid: number; readonly stderr: (text: string) => void },
  release: ReleaseIdentity & { readonly keyVars?: readonly string[] | null },
  fn: () => Promise<number>,
): Promise<number> {
  const lock = lockRelease(at.root, releaseKey(release, release.keyVars ?? null), at.runId, at.pid);
  if (!lock.ok) {
    const { runId, pid, since } = lock.holder;
    at.stderr(
      `seqrun ${command}: run ${runId} (pid ${pid}) is running this release since ${since}: ${sameRelease(release)}. ` +
        `${TWO_RUNS}; wait for that run to end, or stop it (Ctrl-C, or kill ${pid}) and continue it with 'seqrun resume ${runId}'.\n`,
    );
    return EXIT.usage;
  }
  try {
    return await fn();
  } finally {
    lock.unlock();
  }
}
