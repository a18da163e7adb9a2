// What a diagram means, as a hash: the runtime records it with every run (to refuse resuming an
// edited diagram) and the renderers use it to find the runs of a diagram wherever it was run from.
import { createHash } from 'node:crypto';
import type { Diagram } from './types.ts';

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
  };
  return createHash('sha256').update(JSON.stringify(meaning)).digest('hex');
}
