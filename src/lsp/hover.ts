// Hover on a step: what it is bound to (handler, file:line, sync or job, timeout, retry), what a reply
// answers, which call a note is an expectation of. Diagram text reaches the editor only inside code
// spans, with control characters shown as escapes.
import { relative } from 'node:path';
import type { Step } from '../ast/types.ts';
import type { ResolvedConfig } from '../bind/config.ts';
import { effectiveOptions } from '../bind/overrides.ts';
import { nearestHandler } from '../bind/near-miss.ts';
import type { Registry } from '../bind/registry.ts';
import { timedKind, withDefaultTimeout } from '../bind/timeouts.ts';
import type { Handler, PlannedStep, StepOptions } from '../bind/types.ts';
import { escapeControls } from '../diagnostics/escape.ts';
import { formatDuration } from '../report/duration.ts';
import { absoluteStep, type StepAt } from './document.ts';
import { labelHandlers, type LabelAt } from './labels.ts';

/** `text` as a Markdown code span: a run of backticks longer than any inside it, control bytes escaped. */
export function code(text: string): string {
  const shown = escapeControls(text, { singleLine: true });
  const longest = Math.max(0, ...[...shown.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') || shown === '' ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

export interface HoverContext {
  readonly registry: Registry | null;
  readonly config: ResolvedConfig | null;
  /** The project's folder: handler files are shown relative to it. */
  readonly root: string;
}

const KIND_NAMES = { call: 'call', reply: 'reply', note: 'action (note)', expect: 'expectation (note)' } as const;

function who(step: Step): string {
  return step.kind === 'message' ? `${step.from} → ${step.to}` : `by ${step.participants.join(' and ')}`;
}

function handlerLine(handler: Handler, root: string): string {
  const where = `${relative(root, handler.source.file) || handler.source.file}:${handler.source.line}`;
  const mode = handler.kind === 'call' ? (handler.mode === 'job' ? 'job' : 'sync') : handler.kind;
  return `handler ${code(String(handler.expression))} at ${code(where)} (${mode})`;
}

function optionsLine(options: StepOptions): string {
  const parts = [`timeout ${options.timeoutMs === undefined ? 'none' : formatDuration(options.timeoutMs)}`];
  const retry = options.retry;
  parts.push(
    retry
      ? `retry ${retry.attempts} attempts${retry.backoffMs === undefined ? '' : `, backoff ${formatDuration(retry.backoffMs)}`}`
      : 'no retry',
  );
  return parts.join(' · ');
}

/** A line of the same plan, as the document numbers it. */
function other(at: StepAt, index: number): string {
  const step = at.plan.steps[index]?.step;
  return step ? `line ${step.span.start.line + at.part.line}: ${code(step.text)} (${who(step)})` : 'an unknown step';
}

function relations(at: StepAt): string[] {
  const { planned } = at;
  const lines: string[] = [];
  if (planned.kind === 'reply')
    lines.push(planned.answers == null ? 'answers no call' : `answers the call on ${other(at, planned.answers)}`);
  if (planned.kind === 'expect' && planned.expectationOf !== undefined && planned.expectationOf >= 0)
    lines.push(`an expectation of the call on ${other(at, planned.expectationOf)}`);
  if (planned.kind === 'call' && planned.mode === 'job')
    lines.push(planned.joinedAt == null ? 'joined at the end of the diagram' : `joined by the reply on ${other(at, planned.joinedAt)}`);
  return lines;
}

function bindingLines(at: StepAt, context: HoverContext): string[] {
  const { planned } = at;
  const { binding } = planned;
  if (binding.status === 'builtin') return [`built in: ${code(binding.name)} passes when the answered call succeeded`];
  if (binding.status === 'ambiguous')
    return ['ambiguous, matched by:', ...binding.candidates.map((h) => `- ${handlerLine(h, context.root)}`)];
  if (binding.status === 'undefined') {
    const near = context.registry ? nearestHandler(planned.kind, planned.step.text, context.registry.handlers) : undefined;
    return [`no handler${near ? `; did you mean ${code(String(near.expression))}?` : ''}`];
  }
  return [handlerLine(binding.handler, context.root), optionsLine(stepOptions(at, planned, context.config))];
}

/** The options as `run` applies them: the handler's, the config's overrides (by text or file:line), the default timeout. */
function stepOptions(at: StepAt, planned: PlannedStep, config: ResolvedConfig | null): StepOptions {
  const step = absoluteStep(at);
  const own = effectiveOptions(at.plan.diagram, step, planned.binding, config ?? undefined);
  return withDefaultTimeout(own, timedKind(planned.kind, planned.mode), config?.timeouts);
}

/** The hover text for the step `at`, as Markdown. */
export function hoverText(at: StepAt, context: HoverContext): string {
  const { planned } = at;
  const mode = planned.kind === 'call' ? ` · ${planned.mode ?? 'sync'}` : '';
  const head = `**${KIND_NAMES[planned.kind]}** ${code(planned.step.text)} (${who(planned.step)})${mode}`;
  return [head, ...bindingLines(at, context), ...relations(at)].join('\n\n');
}

/** The hover text for a mermaid block label bound like a step (a loop's text, a condition). */
export function labelHoverText(at: LabelAt, context: HoverContext): string {
  const head = `**${at.kind}** ${code(at.label.text)}`;
  const handlers = labelHandlers(at);
  if (handlers.length === 0) return `${head}\n\nno handler`;
  if (handlers.length > 1)
    return [`${head}\n\nambiguous, matched by:`, ...handlers.map((h) => `- ${handlerLine(h, context.root)}`)].join('\n');
  return `${head}\n\n${handlerLine(handlers[0] as Handler, context.root)}`;
}
