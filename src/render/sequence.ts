// The canonical js-sequence text (the `fmt` printer), optionally with each step's status appended to
// its text, so a HackMD reader sees the run in the syntax they know.
import type { Diagram, Statement } from '../ast/types.ts';
import { isStep } from '../ast/types.ts';
import { formatDiagram } from '../syntax/index.ts';
import type { RunView } from './run-view.ts';
import { viewOf } from './run-view.ts';
import { statusMark } from './text.ts';

/** The diagram with ` (✔ passed, 1.2 s)` appended to every step's text. */
export function markDiagram(diagram: Diagram, run: RunView): Diagram {
  let index = 0;
  const marked = (s: Statement): Statement => {
    if (s.kind !== 'message' && s.kind !== 'note') return s;
    const view = viewOf(run, index++);
    return view ? { ...s, text: `${s.text} (${statusMark(view)})` } : s;
  };
  const statements = diagram.statements.map(marked);
  return { ...diagram, statements, steps: statements.filter(isStep) };
}

export interface SequenceOptions {
  readonly run?: RunView | null;
}

export function toSequence(diagram: Diagram, options: SequenceOptions = {}): string {
  return formatDiagram(options.run ? markDiagram(diagram, options.run) : diagram);
}
