// What `seqrun run` does before anything runs, on either engine: the diagram bound (its problems and
// warnings shown), the config's secrets declared to the run's one redactor, and the declared inputs
// applied to `--var`. An exit code when the run cannot start.
import { applyInputs, declaredSecrets, type VarsConfig } from '../bind/inputs.ts';
import { runRedactor, type Redactor } from '../run/redact.ts';
import { EXIT } from './exit-codes.ts';
import type { RunIo } from './io.ts';
import { prepare, type Prepared } from './prepare.ts';
import { showForRun } from './show-diagnostics.ts';

export interface RunRequest {
  readonly diagram: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
}

/**
 * How an engine applies the declared inputs to `--var`: the vars its run gets, and why it cannot start.
 * The local engine's is `applyInputs`; the Step Functions engine's also refuses secret vars.
 */
export type ApplyInputs = (
  config: VarsConfig,
  given: Readonly<Record<string, string>>,
  redactor: Redactor,
) => { readonly vars: Record<string, string>; readonly problems: readonly string[] };

const localInputs: ApplyInputs = (config, given) => applyInputs(config.vars, given);

export interface RunReady {
  readonly prepared: Prepared;
  /** One redactor for the whole run, from the load errors on. */
  readonly redactor: Redactor;
  /** `--var` with the declared inputs' defaults applied. */
  readonly vars: Record<string, string>;
}

export async function prepareRun(request: RunRequest, io: RunIo, apply: ApplyInputs = localInputs): Promise<RunReady | number> {
  const redactor = runRedactor(request.vars, io.env);
  const preparation = await prepare({
    cwd: io.cwd,
    diagram: request.diagram,
    configPath: request.configPath,
    profile: request.profile,
    redact: (text) => redactor.text(text),
  });
  if (!preparation.ok) {
    await showForRun(preparation.diagnostics, io);
    return EXIT.usage;
  }
  const { prepared } = preparation;
  await showForRun(prepared.warnings, io);
  const { config } = prepared.project;
  redactor.declare(declaredSecrets(config));
  // The values of the names just declared secret (the Step Functions run has no executor to add them).
  redactor.addNamed(request.vars);
  redactor.addNamed(io.env);
  // Declared inputs hold before anything runs or is recorded (a dry run says so too).
  const inputs = apply(config, request.vars, redactor);
  if (inputs.problems.length > 0) {
    io.stderr(inputs.problems.map((problem) => `seqrun run: ${redactor.text(problem)}\n`).join(''));
    return EXIT.usage;
  }
  return { prepared, redactor, vars: inputs.vars };
}
