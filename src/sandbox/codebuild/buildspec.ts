// buildspec.yml version 0.2, the part the local endpoint runs: env variables and the four phases,
// each with `commands` and `finally`.
import { parse } from 'yaml';
import { SeqrunError } from '../../errors.ts';

export const PHASE_NAMES = ['install', 'pre_build', 'build', 'post_build'] as const;
export type PhaseName = (typeof PHASE_NAMES)[number];

export interface BuildspecPhase {
  readonly commands: readonly string[];
  readonly finally: readonly string[];
}

export interface Buildspec {
  readonly variables: Readonly<Record<string, string>>;
  readonly phases: Readonly<Partial<Record<PhaseName, BuildspecPhase>>>;
}

export class BuildspecError extends SeqrunError {
  override readonly name = 'BuildspecError';
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'BUILDSPEC_INVALID', options);
  }
}

export function parseBuildspec(text: string, file = 'buildspec.yml'): Buildspec {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new BuildspecError(`${file}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  if (!isRecord(doc)) throw new BuildspecError(`${file}: expected a mapping with "version: 0.2" and "phases"`);
  if (String(doc['version']) !== '0.2') throw new BuildspecError(`${file}: version must be 0.2 (found ${String(doc['version'])})`);
  const env = doc['env'];
  const variables: Record<string, string> = {};
  if (isRecord(env) && isRecord(env['variables'])) {
    for (const [name, value] of Object.entries(env['variables'])) variables[name] = String(value);
  }
  const phases: Partial<Record<PhaseName, BuildspecPhase>> = {};
  const rawPhases = doc['phases'];
  if (rawPhases !== undefined && !isRecord(rawPhases)) throw new BuildspecError(`${file}: "phases" must be a mapping`);
  for (const name of PHASE_NAMES) {
    const phase = rawPhases?.[name];
    if (phase === undefined || phase === null) continue;
    if (!isRecord(phase)) throw new BuildspecError(`${file}: phases.${name} must be a mapping with "commands"`);
    phases[name] = {
      commands: commandList(phase['commands'], `${file}: phases.${name}.commands`),
      finally: commandList(phase['finally'], `${file}: phases.${name}.finally`),
    };
  }
  return { variables, phases };
}

function commandList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BuildspecError(`${where} must be a list of commands`);
  return value.map((command) => {
    if (typeof command !== 'string') throw new BuildspecError(`${where}: every command must be a string`);
    return command;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
