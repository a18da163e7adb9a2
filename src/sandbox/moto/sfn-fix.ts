// moto 5.2.1 answers 500 to every StartExecution after the first in a server once state-machine
// execution is on (getmoto/moto#10077). moto_sfn_server.py, beside this file and shipped with it, is
// moto_server with the upstream fix (#10093) backported for the versions that need it; this asks a
// Python whether it can run it.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** moto_server with the fix: `<python> MOTO_SFN_SERVER -H 127.0.0.1 -p PORT` (or run it directly: it starts with `#!/usr/bin/env python3`). */
export const MOTO_SFN_SERVER = fileURLToPath(new URL('./moto_sfn_server.py', import.meta.url));

/** The issue a warning about running without the fix points to. */
export const MOTO_SFN_ISSUE = 'getmoto/moto#10077';

export type MotoProbe =
  /**
   * `python` imports moto `version`; `patched`: the script fixes it (a version known to need the fix);
   * `faster`: the caches the script adds to it (moto_sfn_server.py's `_speed_up`).
   */
  | { readonly found: true; readonly version: string; readonly patched: boolean; readonly faster: readonly string[] }
  | { readonly found: false; readonly reason: string };

/** Asks `python` (a path) which moto it has and whether moto_sfn_server.py patches it, with the environment moto would run in. */
export function probeMoto(python: string, env: Readonly<Record<string, string>>): Promise<MotoProbe> {
  return new Promise((resolve) => {
    execFile(python, [MOTO_SFN_SERVER, '--probe'], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const said = stderr.trim().split('\n').pop() ?? '';
      if (error !== null) {
        resolve({ found: false, reason: said !== '' ? said : error.message });
        return;
      }
      try {
        const { moto, patched, faster } = JSON.parse(stdout) as { moto: string; patched: boolean; faster?: string[] };
        resolve({ found: true, version: moto, patched, faster: faster ?? [] });
      } catch {
        resolve({ found: false, reason: `it answered ${JSON.stringify(stdout.trim().slice(0, 200))} to --probe` });
      }
    });
  });
}
