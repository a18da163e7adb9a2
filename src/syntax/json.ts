// The `seqrun parse --json` contract that tools and the conformance tests rely on.
import type { Diagram, Step } from '../ast/types.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import type { ParseResult } from './parse.ts';

export interface JsonLoc {
  readonly line: number;
  readonly column: number;
}

export type JsonStep =
  | { kind: 'message'; from: string; to: string; line: 'solid' | 'dashed'; arrow: 'filled' | 'open'; text: string; loc: JsonLoc }
  | { kind: 'note'; position: 'left' | 'right' | 'over'; participants: string[]; text: string; loc: JsonLoc };

export interface JsonDiagram {
  name: string | null;
  title: string | null;
  participants: { id: string; label: string }[];
  steps: JsonStep[];
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

function stepJson(step: Step): JsonStep {
  const loc = { line: step.span.start.line, column: step.span.start.column };
  if (step.kind === 'message') {
    return { kind: 'message', from: step.from, to: step.to, line: step.line, arrow: step.arrow, text: step.text, loc };
  }
  return { kind: 'note', position: step.position, participants: [...step.participants], text: step.text, loc };
}

export function diagramJson(diagram: Diagram): JsonDiagram {
  return {
    name: diagram.name,
    title: diagram.title,
    participants: diagram.participants.map((p) => ({ id: p.id, label: p.label })),
    steps: diagram.steps.map(stepJson),
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
