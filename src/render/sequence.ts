// The canonical js-sequence text (the `fmt` printer), optionally with each step's status appended to
// its text, so a HackMD reader sees the run in the syntax they know.
import type { Diagram, Statement } from '../ast/types.ts';
import { isStep } from '../ast/types.ts';
import { formatDiagram } from '../syntax/index.ts';
import { toSequenceDiagram } from '../syntax/mermaid/convert.ts';
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

/** Why `diagram` cannot be drawn in js-sequence (a mermaid diagram with a block), or null when it can. */
export function sequenceProblem(diagram: Diagram): { problem: string } | null {
  const converted = toSequenceDiagram(diagram);
  if (converted.ok) return null;
  const { block, span } = converted.block;
  const where = `${diagram.file}:${span.start.line}:${span.start.column}`;
  const selector = diagram.slug ? ` (${diagram.file}#${diagram.slug})` : '';
  return {
    problem:
      `${where}: this mermaid diagram${selector} has a '${block}' block, and js-sequence has no blocks; ` +
      'render it as mermaid, markdown, html, svg or png instead',
  };
}

/**
 * The diagram in js-sequence text; a mermaid diagram is converted first (its drawing-only statements
 * dropped). A mermaid diagram with blocks has no js-sequence form: ask `sequenceProblem` first.
 */
export function toSequence(diagram: Diagram, options: SequenceOptions = {}): string {
  const converted = toSequenceDiagram(diagram);
  if (!converted.ok) throw new Error(sequenceProblem(diagram)?.problem);
  return formatDiagram(options.run ? markDiagram(converted.diagram, options.run) : converted.diagram);
}
