// mermaid's `-x` / `--x`: a call or reply that must be refused. The step passes when its handler
// fails with an expected error (any error but a timeout or an abort: those say nothing about the
// other side's answer), and fails when the handler succeeds.
import type { PlannedStep } from '../bind/types.ts';
import { RefusalExpected } from './block-errors.ts';
import { errorInfo } from './errors.ts';
import { isStopError } from './retry.ts';
import type { Invoke } from './plan-steps.ts';
import { stepLabel } from './context.ts';

/** The step's invoke turned around: its output is the refusal (`{ refused: message, name }`). */
export function refusing(planned: PlannedStep, invoke: Invoke): Invoke {
  return async (ctx) => {
    try {
      await invoke(ctx);
    } catch (error) {
      if (isStopError(error)) throw error;
      const { message, name } = errorInfo(error);
      return { refused: message, ...(name ? { name } : {}) };
    }
    const { line, column } = planned.step.span.start;
    // A `--x` reply is said as written, and redrawn as a reply; a `-x` call as a call.
    const reply = planned.kind === 'reply';
    const written = planned.step.kind === 'message' ? (planned.step.mermaid?.written ?? '-x') : '-x';
    throw new RefusalExpected(
      `${stepLabel(planned)} (line ${line}, column ${column}) must be refused (${written}), but its handler succeeded: make the handler throw when the other side refuses, or draw it as a ${reply ? 'reply (-->>)' : 'call (->>)'}.`,
    );
  };
}
