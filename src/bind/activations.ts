// mermaid's explicit activations (SEMANTICS.md 7): `A->>+B` or `activate B` opens a lifetime on B,
// `B-->>-A` or `deactivate B` closes the innermost one. A closing reply answers the call that opened
// it, in place of the inference rules of section 3; a close with nothing open is an error.
import { forEachStatement, type Diagram, type Span, type Step } from '../ast/types.ts';

export interface Activations {
  /** Reply index → the call index its activation pairs it with. */
  readonly explicit: ReadonlyMap<number, number>;
  /** Where a `-` or `deactivate` closes nothing: participant and location. */
  readonly unmatched: readonly { readonly participant: string; readonly span: Span }[];
}

/** Step indexes by node: `diagram.steps` holds the very nodes the statements hold. */
export function stepIndexes(diagram: Diagram): Map<Step, number> {
  return new Map(diagram.steps.map((step, i) => [step, i]));
}

/** Pairs calls and replies by activations, in document order. No activations: an empty map. */
export function pairActivations(diagram: Diagram, indexOf: ReadonlyMap<Step, number>, isCall: (step: Step) => boolean): Activations {
  const explicit = new Map<number, number>();
  const unmatched: { participant: string; span: Span }[] = [];
  if (diagram.dialect !== 'mermaid') return { explicit, unmatched };
  const open = new Map<string, number[]>();
  const stack = (p: string): number[] => open.get(p) ?? (open.set(p, []), open.get(p) as number[]);
  const lastCallTo = new Map<string, number>();
  let lastStep: { step: Step; index: number } | null = null;
  const close = (participant: string, span: Span, reply: { step: Step; index: number } | null): void => {
    const opened = stack(participant).pop();
    if (opened === undefined) unmatched.push({ participant, span });
    else if (opened >= 0 && reply && !isCall(reply.step) && !explicit.has(reply.index)) explicit.set(reply.index, opened);
  };
  forEachStatement(diagram.statements, (statement) => {
    if (statement.kind === 'activation') {
      if (statement.action === 'activate') stack(statement.participant).push(lastCallTo.get(statement.participant) ?? -1);
      else {
        const reply = lastStep?.step.kind === 'message' && lastStep.step.from === statement.participant ? lastStep : null;
        close(statement.participant, statement.span, reply);
      }
      return;
    }
    if (statement.kind !== 'message' && statement.kind !== 'note') return;
    const index = indexOf.get(statement);
    if (index === undefined) return;
    lastStep = { step: statement, index };
    if (statement.kind !== 'message') return;
    if (isCall(statement)) lastCallTo.set(statement.to, index);
    const activation = statement.mermaid?.activation;
    if (activation === 'activate-target') stack(statement.to).push(isCall(statement) ? index : -1);
    else if (activation === 'deactivate-source') close(statement.from, statement.span, lastStep);
  });
  return { explicit, unmatched };
}
