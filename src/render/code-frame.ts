// A small code frame of a diagram line: two lines of context and a caret under the column.

export function codeFrame(source: string, line: number, column: number, context = 2): string {
  // A final line break ends the last line; it does not start an empty one to show.
  const lines = source.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? '';
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`.trimEnd());
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, column - 1))}^`);
  }
  return out.join('\n');
}
