// `--sandbox` for `run` and `resume`: once the diagram is bound, up, provision, execute against the
// sandbox, down. The sandbox is tied to this process: it dies with it, even by SIGKILL.
import { EXIT } from './exit-codes.ts';
import type { Io } from './io.ts';
import type { AroundExecute } from './start.ts';

export async function withSandboxAround(
  command: 'run' | 'resume',
  io: Io,
  provisioning: { readonly vars: Readonly<Record<string, string>>; readonly signal: AbortSignal },
  call: (around: AroundExecute) => Promise<number>,
): Promise<number> {
  const { loadProvision, withSandbox, SandboxError } = await import('../sandbox/index.ts');
  const log = (line: string): void => io.stderr(`${line}\n`);
  const options = { cwd: io.cwd, env: io.env, onProgress: log };
  try {
    // Bound diagram, loaded provisioning module, then up, provision, run, down.
    return await call(async (config, execute) => {
      const provision = await loadProvision(config);
      return withSandbox(options, async (sandbox) => {
        await provision(sandbox, { vars: provisioning.vars, env: io.env, log, signal: provisioning.signal });
        return execute({ ...io.env, ...sandbox.env });
      });
    });
  } catch (error) {
    if (!(error instanceof SandboxError)) throw error;
    io.stderr(`seqrun ${command} --sandbox: ${error.message}\n`);
    return EXIT.usage;
  }
}
