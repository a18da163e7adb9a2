// A Cucumber expression read as text: the literal a piece of it stands for (optional text left out,
// the first of alternatives, escapes taken as written), and, for a near-miss step, the text the
// expression's words would give with the step's own values in the parameters.

const PARAMETER = /((?<!\\)\{[^}]*\})/;

/** The text a literal piece of an expression stands for: `image(s)` → `image`, `x86/arm` → `x86`, `\(` → `(`. */
export function literal(piece: string): string {
  return piece
    .replace(/(?<!\\)\([^)]*\)/g, '')
    .replace(/(\S+?)(?:(?<!\\)\/\S+)+/g, '$1')
    .replace(/\\(.)/g, '$1');
}

/** The expression cut into literal pieces and parameters (`{tags}`), in order. */
export function pieces(expression: string): { readonly text: string; readonly parameter: boolean }[] {
  return expression
    .split(PARAMETER)
    .filter((p) => p !== '')
    .map((p) =>
      PARAMETER.test(p) && p.startsWith('{') ? { text: p.slice(1, -1), parameter: true } : { text: literal(p), parameter: false },
    );
}

const MAX_CELLS = 250_000;

/** Edit distances aligning the expression's characters (null: a parameter, any non-empty run at no cost) with `text`. */
function distances(tokens: readonly (string | null)[], text: string): Float64Array[] {
  const rows = [Float64Array.from({ length: text.length + 1 }, (_v, j) => j)];
  for (const token of tokens) {
    const above = rows[rows.length - 1] as Float64Array;
    const row = new Float64Array(text.length + 1).fill(Infinity);
    let bestBefore = Infinity;
    for (let j = 0; j <= text.length; j++) {
      if (token === null) {
        row[j] = bestBefore;
        bestBefore = Math.min(bestBefore, above[j] as number);
        continue;
      }
      let cost = (above[j] as number) + 1;
      if (j > 0) cost = Math.min(cost, (row[j - 1] as number) + 1, (above[j - 1] as number) + (token === text[j - 1] ? 0 : 1));
      row[j] = cost;
    }
    rows.push(row);
  }
  return rows;
}

/**
 * The expression's text with each parameter filled by the part of `text` it lines up with (the
 * alignment of least edits), or null when that cannot be found. `Trigger CodeBuild {arch}` and
 * `Trigger CodeBuil (ARM)` give `Trigger CodeBuild (ARM)`.
 */
export function fillParameters(expression: string, text: string): string | null {
  const parts = pieces(expression);
  const tokens: (string | null)[] = parts.flatMap((p) => (p.parameter ? [null] : [...p.text]));
  if ((tokens.length + 1) * (text.length + 1) > MAX_CELLS) return null;
  const rows = distances(tokens, text);
  const values: string[] = [];
  let j = text.length;
  for (let i = tokens.length; i > 0; i--) {
    const here = (rows[i] as Float64Array)[j] as number;
    const above = rows[i - 1] as Float64Array;
    if (tokens[i - 1] === null) {
      let k = j - 1;
      while (k >= 0 && above[k] !== here) k--;
      if (k < 0) return null;
      values.unshift(text.slice(k, j));
      j = k;
    } else if (j > 0 && here === (above[j - 1] as number) + (tokens[i - 1] === text[j - 1] ? 0 : 1)) j--;
    else if (here !== (above[j] as number) + 1) {
      j--;
      i++; // the step's character was dropped: stay on this token
    }
  }
  let next = 0;
  return parts.map((p) => (p.parameter ? (values[next++] ?? '') : p.text)).join('');
}
