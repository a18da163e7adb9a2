// A run report as one self-contained HTML file. Every piece of diagram or handler text is escaped;
// the page's Content-Security-Policy forbids scripts and remote loads as a second line of defence.
import { toMermaid } from './mermaid.ts';
import type { OutputEntry, ReportInput, ReportModel, ReportRow } from './report-model.ts';
import { reportModel } from './report-model.ts';
import { STATUS_MARK, STATUS_WORD, escapeHtml, statusRgb } from './text.ts';

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}pre{background:#f7f7f7;padding:.8rem;overflow:auto}
.steps td:nth-child(3){min-width:18rem}.steps td:nth-child(4),.steps td:nth-child(5){white-space:nowrap}
.diagram svg{max-width:100%;height:auto}.warning{background:#fff4d6;padding:.5rem .8rem}.failure{border-left:4px solid #d33;padding-left:1rem}
`.trim();

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

function outputsHtml(outputs: readonly OutputEntry[]): string {
  return outputs
    .map((o) => {
      const value =
        o.href === null
          ? `<code>${escapeHtml(o.value)}</code>`
          : `<a href="${escapeHtml(o.href)}" rel="noopener noreferrer">${escapeHtml(o.value)}</a>`;
      return `<div><span class="key">${escapeHtml(o.key)}</span>: ${value}</div>`;
    })
    .join('');
}

function rowHtml(row: ReportRow, withRun: boolean): string {
  const cells = [row.id, String(row.line), `<code>${escapeHtml(row.written)}</code>`];
  if (withRun && row.status) {
    cells.push(
      `${STATUS_MARK[row.status]} ${STATUS_WORD[row.status]}`,
      escapeHtml(row.duration),
      row.attempts > 0 ? String(row.attempts) : '',
      outputsHtml(row.outputs),
    );
    return `<tr class="status-${row.status}" style="background:${statusRgb(row.status)}">${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  }
  return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
}

function stepsTable(model: ReportModel): string {
  const withRun = model.run !== null;
  const head = withRun ? ['#', 'Line', 'Step', 'Status', 'Duration', 'Attempts', 'Outputs'] : ['#', 'Line', 'Step'];
  return `<table class="steps"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${model.rows.map((r) => rowHtml(r, withRun)).join('\n')}</tbody></table>`;
}

/** Hooks ran around the steps: a table of their own, so that the step table stays the diagram's. */
function hooksHtml(model: ReportModel): string {
  if (model.hooks.length === 0) return '';
  const head = ['Hook', 'When', 'Status', 'Duration', 'Error'].map((h) => `<th>${h}</th>`).join('');
  const rows = model.hooks.map((h) => {
    const status = h.status === 'running' ? 'not finished' : `${STATUS_MARK[h.status]} ${h.status}`;
    const cells = [h.id, h.when, status, h.duration, h.error].map((c) => `<td>${escapeHtml(c)}</td>`).join('');
    return `<tr class="hook-${h.status}">${cells}</tr>`;
  });
  return `<h2>Hooks</h2><table class="hooks"><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}

function failuresHtml(model: ReportModel): string {
  if (model.failures.length === 0) return '';
  const items = model.failures.map((f) => {
    const where = `${model.diagramFile}:${f.row.line}:${f.row.column}`;
    const frame = f.frame === null ? '' : `<pre class="code-frame">${escapeHtml(f.frame)}</pre>`;
    return `<section class="failure"><h3>Step ${f.row.id} failed</h3><p><code>${escapeHtml(where)}</code> <code>${escapeHtml(f.row.written)}</code></p><pre class="error">${escapeHtml(f.message)}</pre>${frame}</section>`;
  });
  return `<h2>Failures</h2>${items.join('\n')}`;
}

export interface HtmlReportInput extends ReportInput {
  /** The diagram as SVG from the browser; without it the mermaid source is shown in a `<pre>`. */
  readonly svg?: string | null;
  /** Why there is no SVG (e.g. no browser found), shown under the mermaid source. */
  readonly svgMissingReason?: string | null;
}

function diagramHtml(input: HtmlReportInput, model: ReportModel): string {
  if (input.svg) return `<figure class="diagram">${input.svg}</figure>`;
  const reason = input.svgMissingReason ? `<p class="warning">${escapeHtml(input.svgMissingReason)}</p>` : '';
  return `<figure class="diagram"><pre class="mermaid-source">${escapeHtml(toMermaid(input.diagram, { run: model.run }))}</pre>${reason}</figure>`;
}

export function toHtmlReport(input: HtmlReportInput): string {
  const model = reportModel(input);
  const facts = model.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
  const vars =
    model.vars.length === 0
      ? ''
      : `<h2>Variables</h2><table class="vars"><thead><tr><th>Name</th><th>Value</th></tr></thead><tbody>${model.vars.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(v)}</code></td></tr>`).join('')}</tbody></table>`;
  const warnings = model.warnings.map((w) => `<p class="warning">${escapeHtml(w)}</p>`).join('');
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${escapeHtml(model.heading)}</title><style>${STYLE}</style></head>`,
    '<body>',
    `<h1>${escapeHtml(model.heading)}</h1>`,
    `<table class="facts">${facts}</table>${warnings}${vars}`,
    `<h2>Diagram</h2>${diagramHtml(input, model)}`,
    `<h2>Steps</h2>${stepsTable(model)}`,
    hooksHtml(model),
    failuresHtml(model),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
