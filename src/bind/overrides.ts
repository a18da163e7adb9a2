// Per-step overrides from the config (`steps`), keyed by step text or `file:line`.
import { isAbsolute, relative, resolve } from 'node:path';
import type { Diagram, Step } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { BindCode } from './codes.ts';
import type { ResolvedConfig } from './config.ts';
import type { Binding, Plan, StepOptions } from './types.ts';

const NO_OPTIONS: StepOptions = {};

/** The keys that address `step`, weakest first: its text, then its `file:line` (relative, then as given). */
export function overrideKeys(diagram: Diagram, step: Step, root: string): string[] {
  const file = isAbsolute(diagram.file) ? diagram.file : resolve(root, diagram.file);
  const line = step.span.start.line;
  return [step.text, `${relative(root, file)}:${line}`, `${diagram.file}:${line}`];
}

/** Handler options, then config overrides by step text, then by `file:line`. */
export function effectiveOptions(diagram: Diagram, step: Step, binding: Binding, config: ResolvedConfig | undefined): StepOptions {
  const base = binding.status === 'bound' ? binding.handler.options : NO_OPTIONS;
  if (!config || Object.keys(config.steps).length === 0) return base;
  return overrideKeys(diagram, step, config.root).reduce<StepOptions>((options, key) => ({ ...options, ...config.steps[key] }), base);
}

/** Keys of the config's `steps` that address no step of `plans` (a typo, or a step that was renamed). */
export function unusedOverrides(plans: readonly Plan[], config: ResolvedConfig): string[] {
  const keys = new Set(Object.keys(config.steps));
  for (const plan of plans) {
    for (const { step } of plan.steps) for (const key of overrideKeys(plan.diagram, step, config.root)) keys.delete(key);
  }
  return [...keys];
}

/** `unusedOverrides` as warnings at the line of the config that names each key. */
export function unusedOverrideDiagnostics(keys: readonly string[], configFile: string, configText: string): Diagnostic[] {
  const lines = configText.split('\n');
  return keys.map((key) => {
    const index = lines.findIndex((l) => l.includes(`'${key}'`) || l.includes(`"${key}"`) || l.includes(`${key}:`));
    const column = index < 0 ? 1 : (lines[index] ?? '').indexOf(key) + 1;
    const start = { line: index + 1 || 1, column: Math.max(column, 1), offset: 0 };
    return {
      code: BindCode.unusedOverride,
      severity: 'warning',
      message: `The step override ${JSON.stringify(key)} in \`steps\` matches no step of the checked diagrams.`,
      hint: 'Use the exact step text or `file:line` (relative to the config), or remove it.',
      file: configFile,
      span: { start, end: { ...start, column: start.column + key.length } },
    } satisfies Diagnostic;
  });
}
