// The system tools the demo needs. Missing ones are installed with apt when running as root on a
// Debian-like machine (what CI is); otherwise the demo stops and prints the exact install line.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Debian package for each program, and whether the demo can do without it. */
const TOOLS = [
  { program: 'git', pkg: 'git', optional: false },
  { program: 'tar', pkg: 'tar', optional: false },
  { program: 'unzip', pkg: 'unzip', optional: false },
  { program: 'docker-registry', pkg: 'docker-registry', optional: false },
  { program: 'chromium', pkg: 'chromium', optional: true },
] as const;

export function onPath(program: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const dirs = (env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return dirs.some((dir) => existsSync(join(dir, program))) || existsSync(join('/usr/bin', program));
}

export interface Readiness {
  readonly ok: boolean;
  readonly chromium: boolean;
  readonly messages: readonly string[];
}

/** Installs what is missing when it can (root + apt-get); says what to run when it cannot. */
export function ensureTools(print: (line: string) => void): Readiness {
  const messages: string[] = [];
  const missing = TOOLS.filter((t) => !onPath(t.program));
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (missing.length > 0 && canInstall) {
    const packages = missing.map((t) => t.pkg);
    print(`demo: installing ${packages.join(', ')} with apt-get`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const installed = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (installed.status !== 0) messages.push(`apt-get install ${packages.join(' ')} failed (exit ${installed.status ?? 'signal'})`);
  }
  const stillMissing = TOOLS.filter((t) => !onPath(t.program));
  const required = stillMissing.filter((t) => !t.optional);
  if (required.length > 0)
    messages.push(
      `missing: ${required.map((t) => t.program).join(', ')}; install with: sudo apt-get install -y ${required.map((t) => t.pkg).join(' ')}`,
    );
  if (!onPath('moto_server')) messages.push("missing: moto_server; install with: pip install 'moto[server]'");
  const chromium = !stillMissing.some((t) => t.program === 'chromium');
  if (!chromium) print('demo: no chromium, so the runs are rendered as Markdown only (for SVGs: sudo apt-get install -y chromium)');
  return { ok: messages.length === 0, chromium, messages };
}
