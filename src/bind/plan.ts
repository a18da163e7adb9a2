// `bind`: a pure function from a diagram and a registry to the plan the runtime executes.
import type { Diagram, Step } from '../ast/types.ts';
import type { DiagnosticCode } from '../diagnostics/catalogue.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { BindCode } from './codes.ts';
import type { ResolvedConfig } from './config.ts';
import type { StepParticipants } from './lookup.ts';
import { effectiveOptions } from './overrides.ts';
import { timedKind, withDefaultTimeout } from './timeouts.ts';
import { messageOf, type Registry } from './registry.ts';
import { nearestHandler } from './near-miss.ts';
import { snippetFor } from './snippet.ts';
import { isCallMessage, shapeSteps, type StepShape } from './structure.ts';
import { pairActivations, stepIndexes } from './activations.ts';
import { boundLabels, planTree } from './blocks.ts';
import type { Binding, Handler, Plan, PlanNode, PlannedStep, StepKind } from './types.ts';

/** The built-in reply assertion: passes when the answered call succeeded. */
export const SUCCESS = 'Success';

/** The names each participant goes by: its id, and its label when that differs. */
type Names = ReadonlyMap<string, readonly string[]>;

function namesOf(diagram: Diagram): Names {
  return new Map(diagram.participants.map((p) => [p.id, p.label !== p.id ? [p.id, p.label] : [p.id]]));
}

/** Participants per pair of names, messages and notes apart: a diagram has few pairs. */
interface ParticipantsSeen {
  readonly messages: Map<string, Map<string, StepParticipants>>;
  readonly notes: Map<string, Map<string, StepParticipants>>;
}

/** Stands for "no second participant" of a note; participant ids never contain NUL. */
const NONE = '\u0000';

function participantsOf(names: Names, step: Step, seen: ParticipantsSeen): StepParticipants {
  // Nested maps on the ids themselves, no key string built per step: this runs once per step.
  const isMessage = step.kind === 'message';
  const first = isMessage ? step.from : step.participants[0];
  const second = isMessage ? step.to : (step.participants[1] ?? NONE);
  const pairs = isMessage ? seen.messages : seen.notes;
  let bySecond = pairs.get(first);
  if (!bySecond) pairs.set(first, (bySecond = new Map()));
  const known = bySecond.get(second);
  if (known) return known;
  let value: StepParticipants;
  if (isMessage) value = { from: names.get(first) ?? [first], to: names.get(second) ?? [second] };
  else {
    const over = names.get(first) ?? [first];
    value = { over: second === NONE ? over : [...over, ...(names.get(second) ?? [second])] };
  }
  bySecond.set(second, value);
  return value;
}

interface Bound {
  readonly binding: Binding;
  readonly problem?: string;
}

interface Scope {
  readonly names: Names;
  readonly participants: ParticipantsSeen;
  readonly registry: Registry;
}

const BUILTIN_SUCCESS: Bound = { binding: { status: 'builtin', name: SUCCESS } };

function bindText(kind: StepKind, step: Step, scope: Scope): Bound {
  if (kind === 'reply' && step.text === SUCCESS) return BUILTIN_SUCCESS;
  const { registry } = scope;
  const matches = registry.match(kind, participantsOf(scope.names, step, scope.participants), step.text);
  const [only] = matches;
  if (matches.length > 1) return { binding: { status: 'ambiguous', candidates: matches.map((m) => m.handler) } };
  if (!only) return { binding: { status: 'undefined', snippet: snippetFor(kind, step, registry) } };
  try {
    return { binding: { status: 'bound', handler: only.handler, args: only.values() } };
  } catch (error) {
    return { binding: { status: 'bound', handler: only.handler, args: [] }, problem: messageOf(error) };
  }
}

const NO_DIAGNOSTICS: readonly Diagnostic[] = [];
const kindNames: Record<StepKind, string> = { call: 'call', reply: 'reply', note: 'note (action)', expect: 'note (expectation)' };
const at = (h: Handler): string => `${h.source.file}:${h.source.line}`;

function stepDiagnostic(
  diagram: Diagram,
  step: Step,
  code: DiagnosticCode,
  severity: Diagnostic['severity'],
  message: string,
  hint: string,
): Diagnostic {
  return { code, severity, message, hint, file: diagram.file, span: step.span };
}

function bindingDiagnostics(
  diagram: Diagram,
  planned: PlannedStep,
  problem: string | undefined,
  registry: Registry,
): readonly Diagnostic[] {
  const { step, binding, kind } = planned;
  if (binding.status === 'bound' && problem === undefined) return NO_DIAGNOSTICS;
  if (binding.status === 'builtin') return NO_DIAGNOSTICS;
  const quoted = JSON.stringify(step.text);
  if (binding.status === 'undefined') {
    const near = nearestHandler(kind, step.text, registry.handlers);
    const guess = near
      ? `Did you mean ${JSON.stringify(near.expression)} (${at(near)})? Fix the diagram or the expression, or register`
      : 'Register';
    return [
      stepDiagnostic(
        diagram,
        step,
        BindCode.undefinedStep,
        'error',
        `Undefined ${kindNames[kind]}: ${quoted}.`,
        `${guess} a handler for it:\n${binding.snippet}`,
      ),
    ];
  }
  if (binding.status === 'ambiguous') {
    const where = binding.candidates.map((h) => `  ${String(h.expression)} at ${at(h)}`).join('\n');
    const message = `Ambiguous ${kindNames[kind]}: ${quoted} matches ${binding.candidates.length} handlers:\n${where}`;
    return [
      stepDiagnostic(
        diagram,
        step,
        BindCode.ambiguousStep,
        'error',
        message,
        'Make the expressions disjoint, or scope them with from/to/over.',
      ),
    ];
  }
  return [
    stepDiagnostic(
      diagram,
      step,
      BindCode.argumentFailed,
      'error',
      `The arguments of ${quoted} could not be converted: ${problem}`,
      'Fix the parameter type transformer.',
    ),
  ];
}

/**
 * `unbound` holds `from\0to` of the calls before this step that are undefined or ambiguous: a reply
 * that may answer one of them once it is bound is not reported twice.
 */
function structureDiagnostics(diagram: Diagram, planned: PlannedStep, unbound: ReadonlySet<string>): readonly Diagnostic[] {
  const { step } = planned;
  if (planned.kind === 'reply' && planned.answers === null && step.kind === 'message' && !unbound.has(`${step.to}\u0000${step.from}`)) {
    const message = `The reply ${step.from}-->${step.to}: ${JSON.stringify(step.text)} answers no call: no call ${step.to}->${step.from} stands right before it and no job from ${step.to} to ${step.from} is open.`;
    return [
      stepDiagnostic(
        diagram,
        step,
        BindCode.replyAnswersNothing,
        'error',
        message,
        `Move it right after its call, or register that call with s.job() if it runs in the background.`,
      ),
    ];
  }
  if (planned.mode === 'job' && planned.joinedAt === null) {
    const message = `Nobody waits for the job ${JSON.stringify(step.text)}: it is joined at the end of the diagram.`;
    return [
      stepDiagnostic(
        diagram,
        step,
        BindCode.jobNeverJoined,
        'warning',
        message,
        `Add a reply (e.g. \`${replyExample(diagram, step)}\`) where the pipeline should wait for it.`,
      ),
    ];
  }
  return NO_DIAGNOSTICS;
}

/** The reply that would join `call`, in its diagram's dialect: `AWS-->Pay CI: Success`, `AWS-->>CI: Success`. */
function replyExample(diagram: Diagram, call: Step): string {
  if (call.kind !== 'message') return 'B-->A: Success';
  return `${call.to}${diagram.dialect === 'mermaid' ? '-->>' : '-->'}${call.from}: ${SUCCESS}`;
}

/** A call's mode from its handler; for an ambiguous call, 'job' when every candidate is a job. */
function modeOfBinding(binding: Binding | undefined): 'sync' | 'job' {
  if (binding?.status === 'bound') return binding.handler.kind === 'call' ? binding.handler.mode : 'sync';
  if (binding?.status === 'ambiguous' && binding.candidates.every((h) => h.kind === 'call' && h.mode === 'job')) return 'job';
  return 'sync';
}

function planStep(diagram: Diagram, index: number, shape: StepShape, bound: Bound, config: ResolvedConfig | undefined): PlannedStep {
  const step = diagram.steps[index] as Step;
  const { binding } = bound;
  const mode = shape.kind === 'call' ? modeOfBinding(binding) : undefined;
  // Every step has a time limit, so that a run always ends: its own, or the default for its kind.
  const options = withDefaultTimeout(effectiveOptions(diagram, step, binding, config), timedKind(shape.kind, mode), config?.timeouts);
  const id = `s${index}`;
  // Literal objects per kind (no spreads): this runs once per step.
  switch (shape.kind) {
    case 'call': {
      if (mode === 'sync') return { id, index, step, kind: 'call', binding, options, mode };
      return { id, index, step, kind: 'call', binding, options, mode, joinedAt: shape.joinedAt ?? null, overlaps: shape.overlaps ?? [] };
    }
    case 'reply':
      return { id, index, step, kind: 'reply', binding, options, answers: shape.answers ?? null };
    case 'expect':
      return { id, index, step, kind: 'expect', binding, options, expectationOf: shape.expectationOf ?? -1 };
    case 'note':
      return { id, index, step, kind: 'note', binding, options };
  }
}

/** mermaid's arrows that change a message's meaning: `-x` refused, `-)` asynchronous. */
function arrowMeaning(step: Step): { refused: boolean; async: boolean } {
  const arrow = step.kind === 'message' ? step.mermaid?.arrow : undefined;
  return { refused: arrow === 'solid-cross' || arrow === 'dotted-cross', async: arrow === 'solid-async' || arrow === 'dotted-async' };
}

/** An asynchronous call (`-)`) is a job: one bound to a sync handler is an error. */
function asyncDiagnostic(diagram: Diagram, planned: PlannedStep): Diagnostic | null {
  if (planned.kind !== 'call' || planned.binding.status !== 'bound' || planned.mode === 'job' || !arrowMeaning(planned.step).async)
    return null;
  const message = `The asynchronous call ${JSON.stringify(planned.step.text)} (-)) is bound to a sync call handler at ${at(planned.binding.handler)}.`;
  return stepDiagnostic(
    diagram,
    planned.step,
    BindCode.asyncCallNotJob,
    'error',
    message,
    'Register it with s.job(), or draw it as a call (->>).',
  );
}

/** The tree of a mermaid diagram's blocks and its explicit activations; a flat sequence otherwise. */
function structureOf(diagram: Diagram, registry: Registry) {
  if (diagram.dialect !== 'mermaid') return { tree: undefined, explicit: new Map<number, number>(), diagnostics: [] as Diagnostic[] };
  const indexOf = stepIndexes(diagram);
  const { explicit, unmatched } = pairActivations(diagram, indexOf, isCallMessage);
  const { tree, diagnostics } = planTree(diagram, registry, indexOf);
  for (const { participant, span } of unmatched) {
    const message = `Nothing is active on ${JSON.stringify(participant)} here: this deactivation closes nothing.`;
    const hint = `Activate it first (A->>+${participant} or activate ${participant}), or remove the deactivation.`;
    diagnostics.push({ code: BindCode.nothingActive, severity: 'error', message, hint, file: diagram.file, span });
  }
  return { tree, explicit, diagnostics };
}

/** Binds every step of `diagram`: kinds, handlers and arguments, reply pairing, expectations, jobs. Pure. */
export function bind(diagram: Diagram, registry: Registry, config?: ResolvedConfig): Plan {
  const scope: Scope = { names: namesOf(diagram), participants: { messages: new Map(), notes: new Map() }, registry };
  const messages = new Map<number, Bound>();
  diagram.steps.forEach((step, i) => {
    if (step.kind === 'message') messages.set(i, bindText(isCallMessage(step) ? 'call' : 'reply', step, scope));
  });
  const modeOf = (i: number): 'sync' | 'job' => modeOfBinding(messages.get(i)?.binding);
  const structure = structureOf(diagram, registry);
  const shapes = shapeSteps(diagram.steps, modeOf, structure.explicit);
  const steps: PlannedStep[] = [];
  const diagnostics: Diagnostic[] = [];
  const unbound = new Set<string>();
  shapes.forEach((shape, i) => {
    const step = diagram.steps[i] as Step;
    const bound = messages.get(i) ?? bindText(shape.kind, step, scope);
    const plain = planStep(diagram, i, shape, bound, config);
    const planned = structure.tree && arrowMeaning(step).refused ? { ...plain, refused: true } : plain;
    steps.push(planned);
    for (const d of bindingDiagnostics(diagram, planned, bound.problem, registry)) diagnostics.push(d);
    const unjoinable = structure.tree ? asyncDiagnostic(diagram, planned) : null;
    if (unjoinable) diagnostics.push(unjoinable);
    for (const d of structureDiagnostics(diagram, planned, unbound)) diagnostics.push(d);
    const status = bound.binding.status;
    if (shape.kind === 'call' && step.kind === 'message' && (status === 'undefined' || status === 'ambiguous'))
      unbound.add(`${step.from}\u0000${step.to}`);
  });
  if (!structure.tree) return { diagram, steps, diagnostics };
  diagnostics.push(...structure.diagnostics);
  return { diagram, steps, tree: structure.tree, diagnostics };
}

const NO_NODES: readonly PlanNode[] = [];

/** Handlers no step of `plans` binds to (ambiguous candidates count as used), as warnings-to-be. */
export function unusedHandlers(plans: readonly Plan[], registry: Registry): Handler[] {
  const used = new Set<Handler>();
  for (const plan of plans) {
    for (const { binding } of plan.steps) {
      if (binding.status === 'bound') used.add(binding.handler);
      if (binding.status === 'ambiguous') binding.candidates.forEach((h) => used.add(h));
    }
    for (const { binding } of boundLabels(plan.tree ?? NO_NODES)) {
      if (binding?.status === 'bound') used.add(binding.handler);
      if (binding?.status === 'ambiguous') binding.candidates.forEach((h) => used.add(h));
    }
  }
  return registry.handlers.filter((h) => !used.has(h));
}

/** `unusedHandlers` as diagnostics located at each handler's registration. */
export function unusedDiagnostics(handlers: readonly Handler[], severity: Diagnostic['severity'] = 'error'): Diagnostic[] {
  return handlers.map((h) => ({
    code: BindCode.unusedHandler,
    severity,
    message: `The ${h.kind === 'call' ? (h.mode === 'job' ? 'job' : 'call') : h.kind} handler ${JSON.stringify(String(h.expression))} matches no step of the checked diagrams.`,
    hint: 'Remove it, fix its expression, or pass --allow-unused when checking a subset of the diagrams.',
    file: h.source.file,
    span: {
      start: { line: h.source.line, column: h.source.column, offset: 0 },
      end: { line: h.source.line, column: h.source.column, offset: 0 },
    },
  }));
}
