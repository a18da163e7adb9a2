// A run report as Markdown: facts, variables, the diagram as a mermaid block, the step table, failures.
import { toMermaid } from './mermaid.ts';
import type { OutputEntry, ReportInput, ReportModel } from './report-model.ts';
import { reportModel } from './report-model.ts';
import { STATUS_MARK, STATUS_WORD, markdownCell } from './text.ts';

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** Inline code inside a table cell: backticks cannot be escaped in code, pipes must be. */
function codeCell(text: string): string {
  return `\`${text
    .replace(/`/g, "'")
    .replace(/\|/g, '\\|')
    .replace(/\r\n|\r|\n/g, ' ')}\``;
}

function outputCell(outputs: readonly OutputEntry[]): string {
  return outputs
    .map((o) => {
      const key = markdownCell(o.key);
      if (o.href === null) return `${key}: ${codeCell(o.value)}`;
      return `${key}: [link](<${o.href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    })
    .join('<br>');
}

/** A code fence longer than any backtick run inside `text`. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function stepTable(model: ReportModel): string[] {
  if (!model.run)
    return table(
      ['#', 'Line', 'Step'],
      model.rows.map((r) => [r.id, String(r.line), codeCell(r.written)]),
    );
  return table(
    ['#', 'Line', 'Step', 'Status', 'Duration', 'Attempts', 'Outputs'],
    model.rows.map((r) => [
      r.id,
      String(r.line),
      codeCell(r.written),
      r.status ? `${STATUS_MARK[r.status]} ${STATUS_WORD[r.status]}` : '',
      r.duration,
      r.attempts > 0 ? String(r.attempts) : '',
      outputCell(r.outputs),
    ]),
  );
}

/** Hooks ran around the steps: listed apart, so that the step table stays the diagram's. */
function hookTable(model: ReportModel): string[] {
  return table(
    ['Hook', 'When', 'Status', 'Duration', 'Error'],
    model.hooks.map((h) => [
      h.id,
      markdownCell(h.when),
      h.status === 'running' ? 'not finished' : `${STATUS_MARK[h.status]} ${h.status}`,
      h.duration,
      markdownCell(h.error),
    ]),
  );
}

function failureSection(model: ReportModel): string[] {
  return model.failures.flatMap((f) => {
    const where = `${model.diagramFile}:${f.row.line}:${f.row.column}`;
    const lines = [`### Step ${f.row.id} failed`, '', `\`${where}\` ${codeCell(f.row.written)}`, ''];
    lines.push(...f.message.split(/\r\n|\r|\n/).map((l) => `> ${markdownCell(l)}`), '');
    if (f.frame !== null) {
      const fence = fenceFor(f.frame);
      lines.push(`${fence}text`, f.frame, fence, '');
    }
    return lines;
  });
}

export function toMarkdownReport(input: ReportInput): string {
  const model = reportModel(input);
  const out = [`# ${markdownCell(model.heading)}`, ''];
  out.push(
    ...table(
      ['', ''],
      model.facts.map(([k, v]) => [k, markdownCell(v)]),
    ),
    '',
  );
  for (const w of model.warnings) out.push(`> **Warning:** ${markdownCell(w)}`, '');
  if (model.vars.length > 0)
    out.push(
      '## Variables',
      '',
      ...table(
        ['Name', 'Value'],
        model.vars.map(([k, v]) => [markdownCell(k), codeCell(v)]),
      ),
      '',
    );
  const mermaid = toMermaid(input.diagram, { run: model.run });
  const fence = fenceFor(mermaid);
  out.push('## Diagram', '', `${fence}mermaid`, mermaid.trimEnd(), fence, '');
  out.push('## Steps', '', ...stepTable(model), '');
  if (model.hooks.length > 0) out.push('## Hooks', '', ...hookTable(model), '');
  if (model.failures.length > 0) out.push('## Failures', '', ...failureSection(model));
  return `${out.join('\n').trimEnd()}\n`;
}
