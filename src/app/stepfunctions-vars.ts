// Which run variables a Step Functions execution's input may carry. AWS keeps an execution's input in
// its description and history, the run's journal on this engine, where a secret never goes: `seqrun run`
// refuses a secret --var before anything starts, and the workers are given it instead (`seqrun worker
// --var`, or their environment); a worker merges its own vars with the input's. A var is secret by the
// rule that journals it as `***` (Redactor.isSecretVar), and so is a declared input: the workers check
// and fill the secret ones, the run the others.
import { applyInputs, declaredSecrets, type InputDeclaration, type VarsConfig } from '../bind/inputs.ts';
import { runRedactor, type Redactor } from '../run/redact.ts';

type Vars = Readonly<Record<string, string>>;

export interface SecretVar {
  readonly name: string;
  /** `name`: its name looks secret or the config says so; `value`: its value holds a secret or a credential shape. */
  readonly why: 'name' | 'value';
}

/** The vars an execution's input must not carry. */
export function secretVars(vars: Vars, redactor: Redactor): SecretVar[] {
  return Object.entries(vars)
    .filter(([name, value]) => redactor.isSecretVar(name, value))
    .map(([name]) => ({ name, why: redactor.isSecretName(name) ? 'name' : 'value' }));
}

/** Why `seqrun run` refuses a var, naming it (never its value) and where to give it instead. */
export function refusal({ name, why }: SecretVar): string {
  const what = why === 'name' ? 'is secret' : 'holds a credential';
  return (
    `--var ${name} ${what}, and Step Functions keeps an execution's input in its history: ` +
    `give it to the workers instead (seqrun worker --engine stepfunctions --var ${name}=..., or their environment)`
  );
}

/**
 * The declared inputs split by who checks and fills them: the workers take the secret ones (by name,
 * by the config's word, or a default that holds a credential), the run the others. Decided from the
 * config alone, so that a run and its workers split them alike.
 */
export function splitInputs(config: VarsConfig): { readonly run: VarsConfig['vars']; readonly workers: VarsConfig['vars'] } {
  const rule = runRedactor({}, {}, declaredSecrets(config));
  const secret = ([name, input]: [string, InputDeclaration]): boolean =>
    rule.isSecretName(name) || (input.default !== undefined && rule.isSecretVar(name, input.default));
  const entries = Object.entries(config.vars);
  return {
    run: Object.fromEntries(entries.filter((entry) => !secret(entry))),
    // Marked secret, so that a problem with one never quotes its value.
    workers: Object.fromEntries(entries.filter(secret).map(([name, input]) => [name, { ...input, secret: true }])),
  };
}

/**
 * `seqrun run --engine stepfunctions`'s vars, the execution's input: `--var` with the run's declared
 * inputs applied; a problem for each secret var given and for each input that does not hold.
 */
export function executionInputs(
  config: VarsConfig,
  given: Vars,
  redactor: Redactor,
): { readonly vars: Record<string, string>; readonly problems: string[] } {
  const inputs = applyInputs(splitInputs(config).run, given);
  return { vars: inputs.vars, problems: [...secretVars(given, redactor).map(refusal), ...inputs.problems] };
}

/**
 * A worker's own vars (`seqrun worker --var`), with the secret inputs `seqrun run` leaves to the
 * workers checked and their defaults applied; and the names whose values it masks.
 */
export function workerVars(
  config: VarsConfig,
  given: Vars,
): { readonly vars: Record<string, string>; readonly problems: string[]; readonly secretNames: string[] } {
  const inputs = applyInputs(splitInputs(config).workers, given);
  return { vars: inputs.vars, problems: inputs.problems, secretNames: declaredSecrets(config) };
}
