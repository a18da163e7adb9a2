// `seqrun run --engine stepfunctions DIAGRAM`: an execution of the machine `seqrun deploy` made for the
// diagram, followed from its history. Exit 0 when it succeeds, 1 when it fails, 2 when it is not
// deployed or AWS cannot be reached, 130 on Ctrl-C (the execution is stopped).
import type { Io } from '../io.ts';

export async function runOnStepFunctions(
  args: { readonly diagram: string; readonly config?: string; readonly profile?: string },
  vars: Readonly<Record<string, string>>,
  io: Io,
): Promise<number> {
  const { loadForCheck } = await import('./check-run.ts');
  const { showDiagnostics } = await import('../show-diagnostics.ts');
  const { machineName } = await import('../../app/stepfunctions-deploy.ts');
  const { runExecution } = await import('../../app/stepfunctions-run.ts');
  const { newRunId } = await import('../../run/run-id.ts');
  const profile = args.profile ?? (io.env['SEQRUN_PROFILE'] || undefined);
  const loaded = await loadForCheck(io, { paths: [args.diagram], configPath: args.config, profile });
  await showDiagnostics(io, loaded.diagnostics, {});
  const [diagram, ...others] = loaded.diagrams;
  if (loaded.fatal || !diagram || others.length > 0) return 2;
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const request = {
      machine: machineName(diagram),
      runId: newRunId(),
      vars,
      signal: stop.signal,
      print: (line: string) => io.stdout(`${line}\n`),
    };
    const end = await runExecution(io.env, request);
    if (end.status === 'SUCCEEDED') return 0;
    if (end.status === 'INTERRUPTED') return 130;
    io.stderr(`seqrun run: ${end.status.toLowerCase().replace('_', ' ')}${end.cause ? `: ${end.cause}` : ''}\n`);
    return end.status === 'NOT_DEPLOYED' ? 2 : 1;
  } catch (error) {
    io.stderr(`seqrun run: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return 2;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
