// `seqrun diff --format markdown`: a pull-request comment. A hidden marker (so a workflow finds its own
// comment again and updates it), a table of the changes, and per changed diagram the new diagram drawn
// in mermaid (added steps green, changed amber) with the removed steps listed under it.
import type { Plan } from '../bind/types.ts';
import { escapeControls } from '../diagnostics/escape.ts';
import { markdownCell as htmlCell } from '../render/text.ts';
import { markedMermaid } from './mermaid.ts';
import { CHANGE_WORDS, detailOf, lineOf, signOf } from './text.ts';
import type { Change, DiffResult, StepMarks } from './types.ts';

/** The first line of every comment `seqrun diff` writes: what the CI job looks for to update it. */
export const COMMENT_MARKER = '<!-- seqrun-diff -->';

/** Inline code in Markdown (a table cell or a list item): backticks cannot be escaped in code, pipes must be. */
function code(text: string): string {
  return `\`${escapeControls(text, { singleLine: true })
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ')}\``;
}

/** A table cell (or heading) of diagram text: control bytes shown as escapes, HTML and Markdown escaped. */
const markdownCell = (text: string): string => htmlCell(escapeControls(text, { singleLine: true }));

const SIGN_WORDS = { '+': '🟢 added', '-': '🔴 removed', '~': '🟠 changed' } as const;

function row(diagram: string, change: Change): string {
  const step = change.after ?? change.before;
  const cells = [
    markdownCell(diagram),
    lineOf(change),
    `${SIGN_WORDS[signOf(change)]}: ${markdownCell(CHANGE_WORDS[change.kind])}`,
    step && !change.kind.startsWith('diagram-') ? code(step.label) : '',
    markdownCell(detailOf(change)),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** The working tree's steps a diagram's changes touch: green for new ones, amber for the others. */
export function marksOf(changes: readonly Change[]): StepMarks {
  const marks = new Map<number, 'added' | 'changed'>();
  for (const change of changes) {
    if (!change.after || change.kind.startsWith('diagram-')) continue;
    const index = Number(change.after.id.slice(1));
    if (signOf(change) === '+') marks.set(index, 'added');
    else if (!marks.has(index)) marks.set(index, 'changed');
  }
  return marks;
}

/** A fence longer than any backtick run in `text`. */
const fenceFor = (text: string): string => '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));

/** The comment; `plans` are the working tree's, by diagram name, to draw. */
export function diffMarkdown(result: DiffResult, plans: ReadonlyMap<string, Plan>): string {
  const changed = result.diagrams.filter((d) => d.status !== 'unchanged');
  const base = `${markdownCell(result.base.ref)} (\`${result.base.commit.slice(0, 12)}\`)`;
  const out = [COMMENT_MARKER, `### seqrun diff against ${base}`, ''];
  if (changed.length === 0) {
    out.push(`No pipeline changes in ${result.diagrams.length} diagram${result.diagrams.length === 1 ? '' : 's'}.`);
    return `${out.join('\n')}\n`;
  }
  out.push(`${changed.length} of ${result.diagrams.length} diagram${result.diagrams.length === 1 ? '' : 's'} changed.`, '');
  out.push('| Diagram | Line | Change | Step | Detail |', '|---|---|---|---|---|');
  for (const d of changed) for (const change of d.changes) out.push(row(d.diagram, change));
  for (const d of changed) {
    const plan = plans.get(d.diagram);
    out.push('', `#### ${markdownCell(d.diagram)} (${d.status})`, '');
    if (plan) {
      // A new diagram is new throughout: every step green.
      const marks = d.status === 'added' ? new Map(plan.steps.map((s) => [s.index, 'added' as const])) : marksOf(d.changes);
      const drawing = markedMermaid(plan.diagram, marks);
      const fence = fenceFor(drawing);
      out.push(`${fence}mermaid`, drawing.trimEnd(), fence);
    }
    const removed = d.changes.filter((c) => c.after === null && c.before !== null);
    if (removed.length > 0 && d.status !== 'deleted') {
      out.push('', 'Removed:', '');
      for (const c of removed) if (c.before) out.push(`- line ${c.before.line} at BASE: ${code(c.before.label)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
