// The work behind `seqrun check` and `seqrun plan`: load the project and diagrams, bind, collect.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Diagram } from '../../ast/types.ts';
import {
  bindCheckingParticipants,
  loadProject,
  type Project,
  unusedDiagnostics,
  unusedHandlers,
  unusedOverrideDiagnostics,
  unusedOverrides,
} from '../../bind/index.ts';
import type { Plan } from '../../bind/types.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { runRedactor } from '../../run/redact.ts';
import { loadDiagrams } from '../../syntax/index.ts';
import type { Io } from '../io.ts';
import type { CheckSummary } from './check-output.ts';

export interface CheckRequest {
  readonly paths: readonly string[];
  readonly allowUnused: boolean;
  readonly configPath?: string | undefined;
  readonly profile?: string | undefined;
}

export interface Loaded {
  readonly project: Project | null;
  readonly diagrams: readonly Diagram[];
  /** Config, binding and parse problems. */
  readonly diagnostics: readonly Diagnostic[];
  /** True when an error among them means nothing can be checked reliably (exit 2). */
  readonly fatal: boolean;
  /** Stack traces behind load failures, for --verbose. */
  readonly stacks: ReadonlyMap<Diagnostic, string>;
}

const isError = (d: Diagnostic): boolean => d.severity === 'error';

/** Loads the project and the diagrams `paths` name (the config's specs when empty). */
export async function loadForCheck(io: Io, request: Omit<CheckRequest, 'allowUnused'>): Promise<Loaded> {
  // A config that fails to load may quote a secret from the environment in its error.
  const redactor = runRedactor({}, io.env);
  const { project, diagnostics, stacks } = await loadProject({
    cwd: io.cwd,
    configPath: request.configPath,
    profile: request.profile,
    redact: (text) => redactor.text(text),
  });
  if (!project) return { project, diagrams: [], diagnostics, fatal: true, stacks };
  const paths = request.paths.length > 0 ? request.paths.map((p) => resolve(io.cwd, p)) : project.specs;
  const all: Diagnostic[] = [...diagnostics];
  if (paths.length === 0) {
    all.push({
      code: 'SEQ002',
      severity: 'error',
      message: 'No diagrams to check.',
      hint: 'Pass diagram paths, or list them in `specs` in the config.',
      file: project.configFile,
      span: null,
    });
  }
  const diagrams: Diagram[] = [];
  for (const path of paths) {
    const loaded = await loadDiagrams(path);
    diagrams.push(...loaded.diagrams);
    all.push(...loaded.diagnostics);
  }
  return { project, diagrams, diagnostics: all, fatal: all.some(isError), stacks };
}

export function summarize(plans: readonly Plan[], unused: number, diagnostics: readonly Diagnostic[]): CheckSummary {
  const steps = plans.flatMap((p) => p.steps);
  const count = (status: string): number => steps.filter((s) => s.binding.status === status).length;
  return {
    diagrams: plans.length,
    steps: steps.length,
    bound: count('bound') + count('builtin'),
    undefinedSteps: count('undefined'),
    ambiguousSteps: count('ambiguous'),
    unusedHandlers: unused,
    errors: diagnostics.filter(isError).length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

export interface CheckOutcome {
  readonly exitCode: number;
  readonly diagnostics: Diagnostic[];
  readonly summary: CheckSummary;
  readonly stacks: ReadonlyMap<Diagnostic, string>;
}

export async function checkDiagrams(io: Io, request: CheckRequest): Promise<CheckOutcome> {
  const loaded = await loadForCheck(io, request);
  const { stacks } = loaded;
  if (loaded.fatal || !loaded.project) {
    return { exitCode: 2, diagnostics: [...loaded.diagnostics], summary: summarize([], 0, loaded.diagnostics), stacks };
  }
  const { registry, config } = loaded.project;
  const plans = loaded.diagrams.map((d) => bindCheckingParticipants(d, registry, config));
  const unused = request.allowUnused ? [] : unusedHandlers(plans, registry);
  const overrides = request.allowUnused ? [] : unusedOverrides(plans, config);
  const configText = overrides.length > 0 ? await readFile(loaded.project.configFile, 'utf8').catch(() => '') : '';
  const diagnostics = [
    ...loaded.diagnostics,
    ...plans.flatMap((p) => p.diagnostics),
    ...unusedDiagnostics(unused),
    ...unusedOverrideDiagnostics(overrides, loaded.project.configFile, configText),
  ];
  const summary = summarize(plans, unused.length, diagnostics);
  return { exitCode: summary.errors > 0 ? 1 : 0, diagnostics, summary, stacks };
}
