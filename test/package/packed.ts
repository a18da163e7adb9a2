// seqrun packed and installed as a team installs it, for the tests that use the package from outside
// this repository (test/package/consumer.test.ts, test/e2e/static-site.test.ts).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** npm without its update notice, funding and audit chatter. */
export const NPM_ENV: Readonly<Record<string, string | undefined>> = {
  ...process.env,
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

export const npm = (args: readonly string[], cwd: string): string =>
  execFileSync('npm', [...args], { cwd, encoding: 'utf8', env: NPM_ENV });

/**
 * `npm pack` of this repository into `dest`; returns the tarball's path. `build: false` packs the dist/
 * that vitest's global setup has just built (no `prepack`), so a test does not rebuild beside others.
 */
export function packSeqrun(dest: string, options: { readonly build?: boolean } = {}): string {
  const args = ['pack', '--silent', '--pack-destination', dest, ...(options.build === false ? ['--ignore-scripts'] : [])];
  return join(dest, npm(args, REPO).trim().split('\n').at(-1) ?? '');
}
