// What a handler sees: the HandlerContext for one attempt of one step.
import type { HandlerContext, Logger, PlannedStep, RunInfo, StepInfo } from '../bind/types.ts';
import { formatStatement } from '../syntax/printer.ts';
import type { RunEvent } from './events.ts';
import type { Redactor } from './redact.ts';

/** What every context of a run shares. */
export interface RunScope {
  readonly runId: string;
  readonly run: RunInfo;
  readonly file: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly outputs: Map<string, unknown>;
  readonly state: Record<string, unknown>;
  readonly redactor: Redactor;
  readonly emit: (event: RunEvent) => void;
  readonly now: () => Date;
  /** What `ctx.progress` recorded per step since the step's handle was journaled (the executor clears it). */
  readonly recorded: Map<string, unknown[]>;
}

export function stepInfo(file: string, planned: PlannedStep): StepInfo {
  const { line, column } = planned.step.span.start;
  return { id: planned.id, kind: planned.kind, text: planned.step.text, file, line, column };
}

/** A logger whose lines are journaled under `stepId` (a step's id, or a hook run's). */
export function logger(scope: RunScope, stepId: string): Logger {
  const log =
    (level: 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void => {
      const at = scope.now().toISOString();
      scope.emit({ type: 'log', at, runId: scope.runId, stepId, level, message, ...(fields ? { fields } : {}) });
    };
  return { info: log('info'), warn: log('warn'), error: log('error') };
}

/** `ctx.progress`: journaled (the writer fsyncs it) before the handler goes on. */
function progress(scope: RunScope, stepId: string, attempt: number): (part: unknown) => void {
  return (part) => {
    scope.emit({ type: 'step-progress', at: scope.now().toISOString(), runId: scope.runId, stepId, attempt, part });
    scope.recorded.set(stepId, [...(scope.recorded.get(stepId) ?? []), part]);
  };
}

export function handlerContext(
  scope: RunScope,
  planned: PlannedStep,
  attempt: number,
  signal: AbortSignal,
  result?: { readonly value: unknown },
): HandlerContext {
  return contextOf(scope, stepInfo(scope.file, planned), attempt, signal, result);
}

/** The context of a step, or of a mermaid block label's handler (`loop`, `condition`) described by `info`. */
export function contextOf(
  scope: RunScope,
  info: StepInfo,
  attempt: number,
  signal: AbortSignal,
  result?: { readonly value: unknown },
): HandlerContext {
  const planned = { id: info.id };
  return {
    step: info,
    vars: scope.vars,
    env: scope.env,
    outputs: scope.outputs,
    state: scope.state,
    signal,
    log: logger(scope, planned.id),
    attempt,
    ...(result ? { result: result.value } : {}),
    secret: (value: string) => scope.redactor.add(value),
    redact: (text: string) => scope.redactor.text(text),
    config: scope.config,
    runId: scope.runId,
    run: scope.run,
    progress: progress(scope, planned.id, attempt),
    recorded: [...(scope.recorded.get(planned.id) ?? [])],
  };
}

/** How a step reads in reports: the line as the diagram author wrote it. */
export function stepLabel(planned: PlannedStep): string {
  return formatStatement(planned.step);
}
