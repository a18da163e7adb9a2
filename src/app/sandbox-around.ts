// `--sandbox` for `run` and `resume`: once the diagram is bound, up, provision, execute against the
// sandbox, down. The sandbox is tied to this process: it dies with it, even by SIGKILL.
import { EXIT } from './exit-codes.ts';
import type { Io } from './io.ts';
import type { AroundExecute } from './start.ts';
import type { ServiceName, ServiceNeeds } from '../sandbox/index.ts';

/** `sandbox: starting moto (seqrun/packs/s3 in steps/site.ts), slack (...)`, or that none is needed. */
function startingLine(needs: ServiceNeeds): string {
  if (needs.services.length === 0) return 'sandbox: the bindings use no sandbox service; only the git remote is made';
  const why = (name: ServiceName): string => {
    const reasons = needs.reasons[name] ?? [];
    return reasons.length === 0 ? name : `${name} (${reasons.slice(0, 2).join(', ')}${reasons.length > 2 ? ', ...' : ''})`;
  };
  return `sandbox: starting ${needs.services.map(why).join(', ')}`;
}

export async function withSandboxAround(
  command: 'run' | 'resume',
  io: Io,
  provisioning: { readonly vars: Readonly<Record<string, string>>; readonly signal: AbortSignal },
  call: (around: AroundExecute) => Promise<number>,
): Promise<number> {
  const { loadProvision, servicesNeeded, withSandbox, SandboxError } = await import('../sandbox/index.ts');
  const log = (line: string): void => io.stderr(`${line}\n`);
  const options = { cwd: io.cwd, env: io.env, onProgress: log, onWarning: (line: string) => log(`sandbox: warning: ${line}`) };
  try {
    // Bound diagram, loaded provisioning module, then up, provision, run, down.
    return await call(async (config, execute) => {
      const provision = await loadProvision(config);
      const needs = await servicesNeeded(config);
      log(startingLine(needs));
      return withSandbox({ ...options, services: needs.services }, async (sandbox) => {
        const returned = await provision(sandbox, { vars: provisioning.vars, env: io.env, log, signal: provisioning.signal });
        return execute({ ...io.env, ...sandbox.env, ...returned });
      });
    });
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    io.stderr(`seqrun ${command} --sandbox: ${error.message}\n`);
    return EXIT.usage;
  }
}
