// Run ids sort by start time (a compact UTC timestamp) and stay unique with a random suffix.
import { randomBytes } from 'node:crypto';

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export { diagramHash } from '../ast/meaning.ts';
