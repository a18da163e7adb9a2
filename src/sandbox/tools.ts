// The programs `seqrun sandbox up` runs: moto, with the Step Functions fix when a Python can run it
// (moto/sfn-fix.ts), else the installed moto_server; and docker-registry.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MOTO_SFN_ISSUE, MOTO_SFN_SERVER, probeMoto, type MotoProbe } from './moto/sfn-fix.ts';
import { SandboxError } from './services.ts';
import type { ServiceName } from './services.ts';

/** What the caller may choose (`SandboxOptions.tools`). */
export interface Tools {
  /** moto_server to run as it is, no fix looked for (default: the fallback, `moto_server` on PATH). */
  readonly motoServer: string;
  /** The Python that runs moto with the fix (default `$SEQRUN_MOTO_PYTHON`, else `python3` on PATH). */
  readonly motoPython: string;
  readonly dockerRegistry: string;
}

export interface MotoCommand {
  readonly command: string;
  /** Before `-H 127.0.0.1 -p PORT`. */
  readonly args: readonly string[];
  /** What names the process in its command line, for `down` and `status` (pids are reused). */
  readonly program: string;
  /** Which moto, for `up`'s progress (`moto 5.2.1 with the fix for a second Step Functions execution`). */
  readonly note?: string;
}

export interface FoundTools {
  /** An empty command when moto is not started. */
  readonly moto: MotoCommand;
  readonly dockerRegistry: string;
  /** One line each, for the user: what the sandbox runs without. */
  readonly warnings: readonly string[];
}

/** Looks `program` up on PATH (or takes it as a path). */
export function findProgram(program: string, path: string | undefined): string | null {
  if (program.includes('/')) return existsSync(program) ? program : null;
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, program))) return join(dir, program);
  }
  return null;
}

const MOTO_MISSING = `moto_server is not installed (install it with: pip install 'moto[server]')`;

type MotoFound = { readonly moto: MotoCommand; readonly warning?: string } | { readonly missing: string };

const plainMoto = (path: string | null, warning?: string): MotoFound =>
  path === null ? { missing: MOTO_MISSING } : { moto: { command: path, args: [], program: path }, ...(warning ? { warning } : {}) };

const withoutFix = (why: string, hint: string): string =>
  `moto runs without seqrun's fix for a second Step Functions execution (${why}): on moto 5.2.1, every StartExecution after the first in this sandbox answers 500 (${MOTO_SFN_ISSUE})${hint}`;

/**
 * moto_sfn_server.py with the Python named (tools.motoPython or $SEQRUN_MOTO_PYTHON: it must have moto),
 * else with python3 when its moto is one the script fixes, else moto_server as installed, with a warning.
 */
async function findMoto(env: Readonly<Record<string, string>>, wanted: Partial<Tools>): Promise<MotoFound> {
  if (wanted.motoServer !== undefined) return plainMoto(findProgram(wanted.motoServer, env['PATH']));
  const named = wanted.motoPython !== undefined && wanted.motoPython !== '';
  const name = named ? (wanted.motoPython as string) : 'python3';
  const python = findProgram(name, env['PATH']);
  const probe: MotoProbe = python === null ? { found: false, reason: `${name} is not found` } : await probeMoto(python, env);
  if (named && !probe.found)
    throw new SandboxError(
      `cannot start the sandbox: the Python for moto (SEQRUN_MOTO_PYTHON=${name}) cannot run it: ${probe.reason}; point SEQRUN_MOTO_PYTHON at the Python that has moto, or unset it to run moto_server`,
    );
  if (python !== null && probe.found && (probe.patched || named)) {
    const moto = { command: python, args: [MOTO_SFN_SERVER], program: MOTO_SFN_SERVER };
    if (probe.patched) return { moto: { ...moto, note: `moto ${probe.version} with the fix for a second Step Functions execution` } };
    return { moto: { ...moto, note: `moto ${probe.version}` }, warning: withoutFix(`${name} has moto ${probe.version}`, '') };
  }
  const why = probe.found ? `${name} has moto ${probe.version}, not a version the fix is for` : `${name}: ${probe.reason}`;
  return plainMoto(findProgram('moto_server', env['PATH']), withoutFix(why, '; set SEQRUN_MOTO_PYTHON to a Python with moto 5.2.1'));
}

/** Finds moto and docker-registry (those `services` run), or says which is missing and how to install it. */
export async function findTools(
  env: Readonly<Record<string, string>>,
  wanted: Partial<Tools>,
  services: readonly ServiceName[],
): Promise<FoundTools> {
  const needsRegistry = services.includes('ecr-registry') || services.includes('dockerhub');
  const moto: MotoFound = services.includes('moto') ? await findMoto(env, wanted) : { moto: { command: '', args: [], program: '' } };
  const registry = !needsRegistry
    ? ''
    : wanted.dockerRegistry !== undefined
      ? findProgram(wanted.dockerRegistry, env['PATH'])
      : (findProgram('docker-registry', env['PATH']) ?? findProgram('/usr/bin/docker-registry', undefined));
  const missing = [
    'missing' in moto ? moto.missing : '',
    registry === null ? 'docker-registry is not installed (install it with: sudo apt-get install docker-registry)' : '',
  ].filter(Boolean);
  if (missing.length > 0 || 'missing' in moto) throw new SandboxError(`cannot start the sandbox: ${missing.join('; ')}`);
  return { moto: moto.moto, dockerRegistry: registry as string, warnings: moto.warning === undefined ? [] : [moto.warning] };
}
