// Code actions on an undefined step: write the snippet `seqrun check` prints into a binding module the
// user picks (one action per binding module of the project), and, when the step is a near miss of a
// registered expression, the "did you mean" fix that rewrites the step's text (check's own suggestion).
import { relative } from 'node:path';
import { CodeActionKind, type CodeAction, type Range, type TextEdit } from 'vscode-languageserver';
import { nearestHandler } from '../bind/near-miss.ts';
import type { Registry } from '../bind/registry.ts';
import type { StepParticipants } from '../bind/lookup.ts';
import { uriOf } from './convert.ts';
import { fillParameters } from './expression-text.ts';
import type { StepAt } from './document.ts';

/** Where a new registration goes in a binding module: before the `});` that closes `defineSteps`. */
export function insertionEdit(moduleText: string, snippet: string): TextEdit {
  const lines = moduleText.split(/\r?\n/);
  let close = -1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^\s*\}\s*\)\s*;?\s*$/.test(lines[i] ?? '')) {
      close = i;
      break;
    }
  }
  const indented = snippet
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
  if (close < 0) {
    const end = { line: lines.length - 1, character: (lines.at(-1) ?? '').length };
    return { range: { start: end, end }, newText: `\n${snippet}\n` };
  }
  const at = { line: close, character: 0 };
  return { range: { start: at, end: at }, newText: `${indented}\n` };
}

export function addHandlerActions(
  at: StepAt,
  modules: readonly { file: string; text: string }[],
  root: string,
  diagnostics: CodeAction['diagnostics'],
): CodeAction[] {
  const { binding, step } = at.planned;
  if (binding.status !== 'undefined') return [];
  return modules.map(({ file, text }) => ({
    title: `Add a handler for ${JSON.stringify(step.text)} to ${relative(root, file) || file}`,
    kind: CodeActionKind.QuickFix,
    ...(diagnostics ? { diagnostics } : {}),
    edit: { changes: { [uriOf(file)]: [insertionEdit(text, binding.snippet)] } },
  }));
}

function participantsOf(at: StepAt): StepParticipants {
  const names = (id: string): string[] => {
    const label = at.plan.diagram.participants.find((p) => p.id === id)?.label;
    return label && label !== id ? [id, label] : [id];
  };
  const { step } = at.planned;
  return step.kind === 'message' ? { from: names(step.from), to: names(step.to) } : { over: step.participants.flatMap(names) };
}

/** The range of the step's text on its line (after the colon), or null when it is quoted or spans lines. */
export function textRange(lineText: string, line: number): Range | null {
  const colon = lineText.indexOf(':');
  if (colon < 0) return null;
  const start = colon + 1 + (/^\s*/.exec(lineText.slice(colon + 1))?.[0].length ?? 0);
  const end = lineText.trimEnd().length;
  if (lineText[start] === '"' || end <= start) return null;
  return { start: { line, character: start }, end: { line, character: end } };
}

/**
 * "Did you mean": the step's text replaced by the near-miss expression's words (its parameters keep the
 * step's values), when that text then binds to it.
 */
export function didYouMeanAction(
  at: StepAt,
  registry: Registry,
  uri: string,
  range: Range | null,
  diagnostics: CodeAction['diagnostics'],
): CodeAction[] {
  const { binding, step, kind } = at.planned;
  if (binding.status !== 'undefined' || range === null) return [];
  const near = nearestHandler(kind, step.text, registry.handlers);
  const text = near && typeof near.expression === 'string' ? fillParameters(near.expression, step.text) : null;
  if (!near || text === null || !registry.match(kind, participantsOf(at), text).some((m) => m.handler === near)) return [];
  return [
    {
      title: `Did you mean ${JSON.stringify(text)}?`,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      ...(diagnostics ? { diagnostics } : {}),
      edit: { changes: { [uri]: [{ range, newText: text }] } },
    },
  ];
}
