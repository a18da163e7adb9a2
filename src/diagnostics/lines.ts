// Offsets to 1-based lines and columns, and the text of a line. Lines break at \r\n, \r or \n (like
// the reference lexer's NL). One index per text, shared by the parser (spans) and code frames (lines).
import type { Position, Span } from '../ast/types.ts';

export class LineIndex {
  private readonly starts: number[];
  /** The line of the last lookup: statements are read in order, so the next lookup is usually near. */
  private recent = 0;

  readonly text: string;
  constructor(text: string) {
    this.text = text;
    const starts = [0];
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (code === 10) starts.push(at + 1);
      else if (code === 13) starts.push(text.charCodeAt(at + 1) === 10 ? ++at + 1 : at + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const near = this.nearLine(clamped);
    if (near >= 0) return { line: near + 1, column: clamped - (this.starts[near] ?? 0) + 1, offset: clamped };
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    this.recent = low;
    return { line: low + 1, column: clamped - (this.starts[low] ?? 0) + 1, offset: clamped };
  }

  /** The 0-based line of `offset` if it is on the recent line or one of the next two, else -1. */
  private nearLine(offset: number): number {
    for (let line = this.recent; line < this.recent + 3; line++) {
      const start = this.starts[line];
      if (start === undefined || start > offset) return -1;
      const next = this.starts[line + 1];
      if (next === undefined || offset < next) {
        this.recent = line;
        return line;
      }
    }
    return -1;
  }

  span(start: number, end: number): Span {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r\n?$|\n$/, '');
  }
}
