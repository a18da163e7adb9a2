// Run ids sort by start time (a compact UTC timestamp) and stay unique with a random suffix.
import { createHash, randomBytes } from 'node:crypto';
import type { Diagram } from '../ast/types.ts';

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

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
