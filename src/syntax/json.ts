// The `seqrun parse --json` contract that tools and the conformance tests rely on.
import type { BlockStatement, Diagram, Dialect, MermaidArrow, Statement, Step } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { ParseResult } from './parse.ts';

export interface JsonLoc {
  readonly line: number;
  readonly column: number;
}

/** A message; for mermaid, `arrow` is mermaid's name for it, `written` the arrow as written, `activation` its `+`/`-`. */
export type JsonStep =
  | {
      kind: 'message';
      from: string;
      to: string;
      line: 'solid' | 'dashed';
      arrow: 'filled' | 'open' | MermaidArrow;
      written?: string;
      activation?: 'activate-target' | 'deactivate-source';
      text: string;
      loc: JsonLoc;
    }
  | { kind: 'note'; position: 'left' | 'right' | 'over'; participants: string[]; text: string; loc: JsonLoc };

/** A mermaid block: its sections in order, each with the indices (in `steps`) of its own steps and its nested blocks. */
export interface JsonBlock {
  block: BlockStatement['block'];
  loc: JsonLoc;
  endLoc: JsonLoc;
  sections: { keyword: string; label: string; loc: JsonLoc; steps: number[]; blocks: JsonBlock[] }[];
}

/** A mermaid `activate X` / `deactivate X` statement; `step` is the index of the first step after it. */
export interface JsonActivation {
  action: 'activate' | 'deactivate';
  participant: string;
  loc: JsonLoc;
  step: number;
}

export interface JsonDiagram {
  dialect: Dialect;
  name: string | null;
  title: string | null;
  participants: { id: string; label: string; shape?: 'participant' | 'actor' }[];
  steps: JsonStep[];
  /** mermaid only: the top-level blocks (steps outside every block are in no block). */
  blocks?: JsonBlock[];
  activations?: JsonActivation[];
}

export interface JsonDiagnostic {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  line: number;
  column: number;
}

export interface JsonFile {
  file: string;
  diagrams: JsonDiagram[];
  diagnostics: JsonDiagnostic[];
}

function locOf(span: { readonly start: JsonLoc }): JsonLoc {
  return { line: span.start.line, column: span.start.column };
}

function stepJson(step: Step): JsonStep {
  const loc = locOf(step.span);
  if (step.kind === 'message') {
    const { from, to, line, text, mermaid } = step;
    if (!mermaid) return { kind: 'message', from, to, line, arrow: step.arrow, text, loc };
    const activation = mermaid.activation ? { activation: mermaid.activation } : {};
    return { kind: 'message', from, to, line, arrow: mermaid.arrow, written: mermaid.written, ...activation, text, loc };
  }
  return { kind: 'note', position: step.position, participants: [...step.participants], text: step.text, loc };
}

/** The blocks and activation statements of a mermaid diagram, with step indices. */
function structureJson(diagram: Diagram): { blocks: JsonBlock[]; activations: JsonActivation[] } {
  const index = new Map<Statement, number>(diagram.steps.map((step, i) => [step, i]));
  const activations: JsonActivation[] = [];
  let seen = 0;
  const walk = (statements: readonly Statement[], steps: number[], blocks: JsonBlock[]): void => {
    for (const statement of statements) {
      const at = index.get(statement);
      if (at !== undefined) {
        steps.push(at);
        seen = at + 1;
      } else if (statement.kind === 'activation') {
        activations.push({ action: statement.action, participant: statement.participant, loc: locOf(statement.span), step: seen });
      } else if (statement.kind === 'block') {
        const sections = statement.sections.map((section) => {
          const json = {
            keyword: section.keyword,
            label: section.label,
            loc: locOf(section.span),
            steps: [] as number[],
            blocks: [] as JsonBlock[],
          };
          walk(section.statements, json.steps, json.blocks);
          return json;
        });
        blocks.push({ block: statement.block, loc: locOf(statement.span), endLoc: locOf(statement.endSpan), sections });
      } else if (statement.kind === 'box') {
        walk(statement.statements, steps, blocks);
      }
    }
  };
  const blocks: JsonBlock[] = [];
  walk(diagram.statements, [], blocks);
  return { blocks, activations };
}

export function diagramJson(diagram: Diagram): JsonDiagram {
  const common = { dialect: diagram.dialect, name: diagram.name, title: diagram.title };
  if (diagram.dialect !== 'mermaid') {
    return { ...common, participants: diagram.participants.map((p) => ({ id: p.id, label: p.label })), steps: diagram.steps.map(stepJson) };
  }
  return {
    ...common,
    participants: diagram.participants.map((p) => ({ id: p.id, label: p.label, shape: p.shape ?? 'participant' })),
    steps: diagram.steps.map(stepJson),
    ...structureJson(diagram),
  };
}

export function diagnosticJson(diagnostic: Diagnostic): JsonDiagnostic {
  return {
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
    line: diagnostic.span?.start.line ?? 1,
    column: diagnostic.span?.start.column ?? 1,
  };
}

export function parseResultJson(result: ParseResult): JsonFile {
  return { file: result.file, diagrams: result.diagrams.map(diagramJson), diagnostics: result.diagnostics.map(diagnosticJson) };
}
