// mermaid's `autonumber` (SEMANTICS.md 7: drawing only, but its numbers also appear in reports): the
// number mermaid 11 draws beside each message, computed as its sequence renderer does. Every message
// counts, numbered or not; `autonumber [start [step]]` turns numbers on (`autonumber 10`: step 1; a
// start or step of 0 keeps the current one, as mermaid's `||` does), `autonumber off` turns them off;
// notes are never numbered.
import { forEachStatement, type Diagram, type Step } from './types.ts';

/** The number drawn beside each numbered message, by the step node; empty without `autonumber`. */
export function autonumbers(diagram: Diagram): ReadonlyMap<Step, number> {
  const numbers = new Map<Step, number>();
  if (diagram.dialect !== 'mermaid') return numbers;
  let next = 1;
  let step = 1;
  let visible = false;
  forEachStatement(diagram.statements, (statement) => {
    if (statement.kind === 'autonumber') {
      // `autonumber 10` means step 1 (mermaid's grammar says so); a bare `autonumber` keeps both.
      next = statement.start || next;
      step = (statement.step ?? (statement.start === null ? null : 1)) || step;
      visible = !statement.off;
    } else if (statement.kind === 'message') {
      if (visible) numbers.set(statement, next);
      next = Math.round((next + step) * 100) / 100;
    }
  });
  return numbers;
}

/** A step's text headed by its autonumber as reports show it: `(3) CI->>AWS: Build`; as it is without one. */
export function numbered(number: number | undefined, text: string): string {
  return number === undefined ? text : `(${number}) ${text}`;
}
