// Where a registration was written: the first stack frame outside seqrun's own bind layer.
// Node strips types in place (positions unchanged) and vitest installs source maps, so the frames point
// at the TypeScript the user wrote.
import { fileURLToPath } from 'node:url';
import type { SourceRef } from './types.ts';

const FRAME = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?$/;
const BIND_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface StackFrame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Parses V8 stack lines (`    at fn (file:line:col)`) into frames, skipping node internals. */
export function stackFrames(stack: string | undefined): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of (stack ?? '').split('\n')) {
    if (!line.trimStart().startsWith('at ')) continue;
    const match = FRAME.exec(line.trim());
    if (!match) continue;
    const [, location = '', lineText = '0', columnText = '0'] = match;
    if (location.startsWith('node:')) continue;
    const file = location.startsWith('file://') ? safePath(location) : location;
    frames.push({ file, line: Number(lineText), column: Number(columnText) });
  }
  return frames;
}

function safePath(url: string): string {
  try {
    return fileURLToPath(url.replace(/\?.*$/, ''));
  } catch {
    return url;
  }
}

/** The file and line of the code that called into the bind layer. */
export function callerSource(): SourceRef {
  const frames = stackFrames(new Error().stack);
  const caller = frames.find((f) => !f.file.startsWith(BIND_DIR) || f.file.endsWith('.test.ts'));
  return caller ?? { file: '<unknown>', line: 0, column: 0 };
}
