// Steps and bindings in the words a reviewer reads: one rule for the text, JSON and Markdown outputs.
import type { Step } from '../ast/types.ts';
import { isCallMessage } from '../bind/structure.ts';
import type { Binding, Handler, PlannedStep } from '../bind/types.ts';
import type { HandlerRef, StepRef } from './types.ts';

/** Turns a handler of one version into what `diff` compares: paths relative to the repository, a hash of its code. */
export type Identify = (handler: Handler) => HandlerRef;

/** `Pay CI->AWS: Copy repo to S3`, `Note right of AWS: Tests passed`: the step as written, by participant id. */
export function stepLabel(step: Step): string {
  if (step.kind === 'note') {
    const where = step.position === 'over' ? 'over' : `${step.position} of`;
    return `Note ${where} ${step.participants.join(',')}: ${step.text}`;
  }
  return `${step.from}${isCallMessage(step) ? '->' : '-->'}${step.to}: ${step.text}`;
}

export function stepRef(planned: PlannedStep): StepRef {
  const { step } = planned;
  return { id: planned.id, line: step.span.start.line, kind: planned.kind, label: stepLabel(step), text: step.text };
}

export const handlerAt = (ref: HandlerRef): string => `${ref.file}:${ref.line}`;

/** How a step is bound, in words: `"Copy repo to S3" (specs/steps/build.ts:12)`. */
export function bindingWords(binding: Binding, identify: Identify): string {
  switch (binding.status) {
    case 'bound': {
      const ref = identify(binding.handler);
      return `${JSON.stringify(ref.expression)} (${handlerAt(ref)})`;
    }
    case 'builtin':
      return 'the built-in Success';
    case 'undefined':
      return 'no handler (undefined)';
    case 'ambiguous':
      return `${binding.candidates.length} handlers (ambiguous)`;
  }
}

/** What a step is: `job`, `sync call`, `expectation`, `reply`, `action`. */
export function stepWhat(planned: PlannedStep): string {
  switch (planned.kind) {
    case 'call':
      return planned.mode === 'job' ? 'job' : 'sync call';
    case 'expect':
      return 'expectation';
    case 'note':
      return 'action';
    case 'reply':
      return 'reply';
  }
}

/** A step's options as compared: its time limit and its retry attempts. */
export function optionWords(planned: PlannedStep): string {
  const { timeoutMs, retry } = planned.options;
  const parts = [timeoutMs === undefined ? 'no timeout' : `timeout ${timeoutMs} ms`];
  if (retry && retry.attempts > 1) parts.push(`${retry.attempts} attempts`);
  return parts.join(', ');
}
