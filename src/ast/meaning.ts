// What a diagram means, as a hash: the runtime records it with every run (to refuse resuming an
// edited diagram) and the renderers use it to find the runs of a diagram wherever it was run from.
import { createHash } from 'node:crypto';
import type { Diagram, Statement } from './types.ts';

/**
 * A sha256 of what the diagram means (participants and steps, in order), not of its bytes: a resume
 * survives re-indentation or a new comment, but not a changed, added, removed or moved step.
 */
export function diagramHash(diagram: Diagram): string {
  const meaning = {
    participants: diagram.participants.map((p) => [p.id, p.label]),
    steps: diagram.steps.map((s) =>
      s.kind === 'message' ? ['message', s.from, s.to, s.line, s.text] : ['note', s.position, [...s.participants], s.text],
    ),
    // mermaid: the blocks and arrows too (a step moved into a loop or a par runs otherwise); js-sequence hashes stay as they were.
    ...(diagram.dialect === 'mermaid' ? { control: controlFlow(diagram.statements) } : {}),
  };
  return createHash('sha256').update(JSON.stringify(meaning)).digest('hex');
}

/** A mermaid diagram's run-time structure: blocks with their sections' labels, steps as their arrows, activations. */
function controlFlow(statements: readonly Statement[]): unknown[] {
  const out: unknown[] = [];
  for (const s of statements) {
    if (s.kind === 'block')
      out.push([s.block, s.sections.map((section) => [section.keyword, section.label, controlFlow(section.statements)])]);
    else if (s.kind === 'message') out.push([s.mermaid?.arrow ?? s.line, s.mermaid?.activation ?? null]);
    else if (s.kind === 'note') out.push('note');
    else if (s.kind === 'activation') out.push([s.action, s.participant]);
  }
  return out;
}
