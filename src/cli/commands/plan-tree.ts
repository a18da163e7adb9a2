// `seqrun plan` for a mermaid diagram: its blocks as a tree, in text (indented) and in JSON.
import { isAbsolute, relative } from 'node:path';
import type { Binding, Plan, PlanNode, PlannedBranch, PlannedLabel } from '../../bind/types.ts';
import { escapeControls } from '../../diagnostics/escape.ts';

const cell = (text: string): string => escapeControls(text, { singleLine: true });

function labelBinding(binding: Binding | null, cwd: string): string {
  const at = (file: string, line: number): string => `${isAbsolute(file) ? relative(cwd, file) : file}:${line}`;
  if (binding === null) return '';
  switch (binding.status) {
    case 'bound':
      return ` -> ${binding.handler.kind} ${at(binding.handler.source.file, binding.handler.source.line)}`;
    case 'builtin':
      return ` -> built-in ${binding.name}`;
    case 'undefined':
      return ' -> UNDEFINED';
    case 'ambiguous':
      return ` -> AMBIGUOUS: ${binding.candidates.map((h) => at(h.source.file, h.source.line)).join(', ')}`;
  }
}

function header(keyword: string, label: PlannedLabel, cwd: string): string {
  const text = label.text === '' ? '' : ` ${cell(label.text)}`;
  return `line ${label.span.start.line} ${keyword}${text}${labelBinding(label.binding, cwd)}`;
}

function treeLines(plan: Plan, nodes: readonly PlanNode[], depth: number, cwd: string, out: string[]): void {
  const pad = '  '.repeat(depth);
  const branch = (keyword: string, b: PlannedBranch, extra = ''): void => {
    out.push(`${pad}${header(keyword, b.label, cwd)}${extra}`);
    treeLines(plan, b.body, depth + 1, cwd, out);
  };
  for (const node of nodes) {
    switch (node.kind) {
      case 'step': {
        const step = plan.steps[node.index];
        if (step) out.push(`${pad}${step.id} line ${step.step.span.start.line} ${step.kind} ${cell(step.step.text)}`);
        break;
      }
      case 'par':
        node.branches.forEach((b, i) => branch(i === 0 ? `par (${node.id}, concurrent branches)` : 'and', b));
        break;
      case 'loop':
        out.push(`${pad}${header(`loop (${node.id}, at most ${node.maxIterations} iterations)`, node.label, cwd)}`);
        treeLines(plan, node.body, depth + 1, cwd, out);
        break;
      case 'alt':
      case 'opt':
        node.branches.forEach((b, i) => branch(i === 0 ? `${node.kind} (${node.id})` : b.label.binding ? 'else' : 'else (default)', b));
        break;
      case 'critical':
        branch(`critical (${node.id})`, node.body);
        for (const option of node.options) branch(option.label.binding ? 'option' : 'option (any error)', option);
        break;
      case 'break':
        branch(`break (${node.id}, leaves the loop or ends the run)`, node.branch);
        break;
    }
    if (node.kind !== 'step') out.push(`${pad}line ${node.endSpan.start.line} end`);
  }
}

/** The tree section of `seqrun plan`'s text, or '' for a plan without blocks. */
export function planTreeText(plan: Plan, cwd: string): string {
  if (!plan.tree || !plan.tree.some((n) => n.kind !== 'step')) return '';
  const out = ['', 'Blocks (how the steps run):'];
  treeLines(plan, plan.tree, 1, cwd, out);
  return `${out.join('\n')}\n`;
}

function labelJson(label: PlannedLabel, cwd: string): Record<string, unknown> {
  const bound = label.binding === null ? null : labelBinding(label.binding, cwd).replace(/^ -> /, '');
  return { line: label.span.start.line, text: label.text, binding: bound };
}

function nodeJson(plan: Plan, node: PlanNode, cwd: string): Record<string, unknown> {
  const nodes = (body: readonly PlanNode[]) => body.map((n) => nodeJson(plan, n, cwd));
  const branch = (b: PlannedBranch) => ({ label: labelJson(b.label, cwd), body: nodes(b.body) });
  const base = node.kind === 'step' ? {} : { id: node.id, line: node.span.start.line, endLine: node.endSpan.start.line };
  switch (node.kind) {
    case 'step':
      return { kind: 'step', id: plan.steps[node.index]?.id ?? `s${node.index}` };
    case 'par':
    case 'alt':
    case 'opt':
      return { kind: node.kind, ...base, branches: node.branches.map(branch) };
    case 'loop':
      return { kind: 'loop', ...base, label: labelJson(node.label, cwd), maxIterations: node.maxIterations, body: nodes(node.body) };
    case 'critical':
      return { kind: 'critical', ...base, body: branch(node.body), options: node.options.map(branch) };
    case 'break':
      return { kind: 'break', ...base, ...branch(node.branch) };
  }
}

/** The plan's tree for `seqrun plan --json`, or undefined for a plan without one. */
export function planTreeJson(plan: Plan, cwd: string): unknown[] | undefined {
  return plan.tree?.map((node) => nodeJson(plan, node, cwd));
}
