// A mermaid diagram rendered to mermaid: the diagram itself (blocks, boxes, activations and all, in the
// canonical layout of the mermaid printer), and with a run, each step in a `rect` of its status colour,
// its status appended to its text and a failed message drawn with a cross.
import type { BlockStatement, Diagram, Statement, Step } from '../ast/types.ts';
import { isStep } from '../ast/types.ts';
import { printMermaid } from '../syntax/mermaid/printer.ts';
import type { RunView, StepView } from './run-view.ts';
import { viewOf } from './run-view.ts';
import { iterationsView, markBlock } from './mermaid-blocks.ts';
import { statusMark, statusRgb } from './text.ts';

function markStep(step: Step, view: StepView): Step {
  const text = `${step.text} (${statusMark(view)})`;
  if (step.kind === 'note' || view.status !== 'failed') return { ...step, text };
  const written = step.line === 'dashed' ? '--x' : '-x';
  const arrow = step.line === 'dashed' ? 'dotted-cross' : 'solid-cross';
  return { ...step, text, mermaid: { arrow, written, activation: step.mermaid?.activation ?? null } };
}

function inRect(step: Step, view: StepView): BlockStatement {
  const section = { keyword: 'rect' as const, label: statusRgb(view.status), span: step.span, statements: [step] };
  return { kind: 'block', block: 'rect', sections: [section], endSpan: step.span, span: step.span };
}

/** A step's view; a loop body's step (journaled per iteration, `s4#2`) drawn with what its iterations did. */
function stepView(run: RunView, index: number): StepView | null {
  return iterationsView(run, index) ?? viewOf(run, index);
}

/**
 * The statements with every step that has a view marked and wrapped, and every block's labels marked;
 * `next` counts steps and blocks (rect aside, as the plan numbers them) in document order.
 */
function markStatements(statements: readonly Statement[], run: RunView, next: { index: number; block: number }): Statement[] {
  return statements.map((s): Statement => {
    if (isStep(s)) {
      const view = stepView(run, next.index++);
      return view ? inRect(markStep(s, view), view) : s;
    }
    if (s.kind === 'block') {
      const marked = s.block === 'rect' ? s : markBlock(s, `b${next.block++}`, run);
      return {
        ...marked,
        sections: marked.sections.map((section) => ({ ...section, statements: markStatements(section.statements, run, next) })),
      };
    }
    return s.kind === 'box' ? { ...s, statements: markStatements(s.statements, run, next) } : s;
  });
}

/** mermaid text for a mermaid diagram, with `run` drawn onto it. */
export function mermaidInputToMermaid(diagram: Diagram, run: RunView | null): string {
  if (run === null) return printMermaid(diagram);
  return printMermaid({ ...diagram, statements: markStatements(diagram.statements, run, { index: 0, block: 0 }) });
}
