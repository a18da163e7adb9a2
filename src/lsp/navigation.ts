// Go to definition (a step to the handler it binds to) and find references (a handler's registration
// to every step bound to it, across the open documents and the project's specs).
import type { Location } from 'vscode-languageserver';
import type { Handler } from '../bind/types.ts';
import { rangeOf, sourceLocation } from './convert.ts';
import type { Part, StepAt } from './document.ts';
import { boundLabels, labelHandlers } from './labels.ts';

/** The handlers a step is bound to: one, or every candidate of an ambiguous step. */
export function handlersOf(at: StepAt): readonly Handler[] {
  const { binding } = at.planned;
  if (binding.status === 'bound') return [binding.handler];
  if (binding.status === 'ambiguous') return binding.candidates;
  return [];
}

export function definitions(at: StepAt): Location[] {
  return handlersOf(at).map((h) => sourceLocation(h.source));
}

/** Handlers registered on 0-based `line` of `file`. */
export function handlersAt(handlers: readonly Handler[], file: string, line: number): Handler[] {
  return handlers.filter((h) => h.source.file === file && h.source.line === line + 1);
}

/** Where each of `steps` is bound to one of `handlers`. */
export function references(handlers: readonly Handler[], steps: readonly { uri: string; at: StepAt }[]): Location[] {
  const wanted = new Set(handlers);
  return steps
    .filter(({ at }) => handlersOf(at).some((h) => wanted.has(h)))
    .map(({ uri, at }) => ({ uri, range: rangeOf(at.planned.step.span, at.part) }));
}

/** Where the block labels of the parts `steps` come from are bound to one of `handlers`. */
export function labelReferences(handlers: readonly Handler[], steps: readonly { uri: string; at: StepAt }[]): Location[] {
  const wanted = new Set(handlers);
  const plans = new Set(steps.map(({ at }) => at.plan));
  const parts = new Map<Part, string>(steps.map(({ uri, at }) => [at.part, uri]));
  const found: Location[] = [];
  for (const [part, uri] of parts) {
    for (const at of boundLabels(part)) {
      if (plans.has(at.plan) && labelHandlers(at).some((h) => wanted.has(h))) found.push({ uri, range: rangeOf(at.label.span, part) });
    }
  }
  return found;
}
