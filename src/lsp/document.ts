// One open diagram document as the server keeps it: its diagrams in parts (a `.seq` or `.mmd` file is
// one part, a Markdown file one part per diagram fence), each parsed and bound on its own and cached by
// its text. An edit inside one fence re-parses and re-binds that fence only: the others keep their
// parse and their plan, and only their place in the document (first line, offset) is updated.
import type { Step } from '../ast/types.ts';
import type { ResolvedConfig } from '../bind/config.ts';
import { bind } from '../bind/plan.ts';
import type { Registry } from '../bind/registry.ts';
import type { Plan, PlannedStep } from '../bind/types.ts';
import { LineIndex } from '../diagnostics/lines.ts';
import type { Diagnostic } from '../diagnostics/types.ts';
import { isMarkdown, parseText } from '../syntax/files.ts';
import { findFences } from '../syntax/markdown.ts';
import type { ParseResult } from '../syntax/parse.ts';

/** What steps are bound with: a project's registry and config, and a version that changes on every re-load. */
export interface Binder {
  readonly registry: Registry;
  readonly config: ResolvedConfig;
  readonly version: number;
}

/** A diagram's worth of the document. Spans inside are relative to `text` (line 1 is the part's first line). */
export interface Part {
  readonly text: string;
  /** Offset of `text` in the document. */
  start: number;
  /** 0-based document line of the part's first line. */
  line: number;
  readonly lineCount: number;
  readonly parsed: ParseResult;
  plans: readonly Plan[];
  /** The Binder version `plans` were bound with; -1: not bound. */
  boundWith: number;
}

/** Where a step sits: its part, and its planned form. */
export interface StepAt {
  readonly part: Part;
  readonly plan: Plan;
  readonly planned: PlannedStep;
}

export interface UpdateCount {
  readonly parts: number;
  readonly parsed: number;
  readonly bound: number;
}

/** The slices of `text` that hold diagrams: the whole text, or each fence with its opening and closing lines. */
function slices(text: string, file: string): { start: number; end: number; heading: string | null; slug: string | null }[] {
  if (!isMarkdown(file)) return [{ start: 0, end: text.length, heading: null, slug: null }];
  return findFences(text).map((fence) => {
    const lineEnd = text.indexOf('\n', fence.bodyEnd);
    const end = !fence.closed || lineEnd < 0 ? text.length : lineEnd + 1;
    return { start: fence.openStart, end, heading: fence.heading, slug: fence.slug };
  });
}

/** Lines of `text`; a final line break ends the last line rather than starting another. */
const linesIn = (text: string): number => new LineIndex(text).lineCount - (/[\r\n]$/.test(text) ? 1 : 0);

function parsePart(slice: string, file: string, heading: string | null, slug: string | null): ParseResult {
  // The normal entry point: a fence alone is a Markdown text of one fence, read by its info string.
  const parsed = parseText(slice, { file });
  if (!isMarkdown(file)) return parsed;
  return { ...parsed, diagrams: parsed.diagrams.map((d) => ({ ...d, name: heading, slug })) };
}

export class DiagramDocument {
  readonly file: string;
  parts: Part[] = [];
  /** Parts by heading and text; a text written twice (two identical fences) has a part per copy. */
  private byText = new Map<string, Part[]>();

  constructor(file: string) {
    this.file = file;
  }

  /** Splits, parses the parts whose text is new, binds the parts not bound with `binder`. */
  update(text: string, binder: Binder | null): UpdateCount {
    const lines = new LineIndex(text);
    const next = new Map<string, Part[]>();
    let parsed = 0;
    this.parts = slices(text, this.file).map((slice) => {
      const body = text.slice(slice.start, slice.end);
      // A fence's diagram is named after its heading: the same fence under another heading is read again.
      const key = `${slice.heading ?? ''}\u0000${slice.slug ?? ''}\u0000${body}`;
      let part = this.byText.get(key)?.shift();
      if (!part) {
        parsed++;
        const result = parsePart(body, this.file, slice.heading, slice.slug);
        part = { text: body, start: 0, line: 0, lineCount: linesIn(body), parsed: result, plans: [], boundWith: -1 };
      }
      part.start = slice.start;
      part.line = lines.position(slice.start).line - 1;
      const same = next.get(key);
      if (same) same.push(part);
      else next.set(key, [part]);
      return part;
    });
    this.byText = next;
    return { parts: this.parts.length, parsed, bound: this.bindAll(binder) };
  }

  /** Binds every part not yet bound with `binder` (all of them after a re-load); returns how many. */
  bindAll(binder: Binder | null): number {
    let bound = 0;
    const version = binder?.version ?? -1;
    for (const part of this.parts) {
      if (part.boundWith === version) continue;
      part.plans = binder ? part.parsed.diagrams.map((d) => bind(d, binder.registry, binder.config)) : [];
      part.boundWith = version;
      bound++;
    }
    return bound;
  }

  /** Parse and bind diagnostics of every part, each with the part it is relative to. */
  diagnostics(): { part: Part; diagnostic: Diagnostic }[] {
    return this.parts.flatMap((part) =>
      [...part.parsed.diagnostics, ...part.plans.flatMap((p) => p.diagnostics)].map((diagnostic) => ({ part, diagnostic })),
    );
  }

  plans(): Plan[] {
    return this.parts.flatMap((p) => p.plans);
  }

  partAt(line: number): Part | undefined {
    return this.parts.find((p) => line >= p.line && line < p.line + p.lineCount);
  }

  /** The step written on 0-based document `line`, if any. */
  stepAt(line: number): StepAt | undefined {
    const part = this.partAt(line);
    if (!part) return undefined;
    const relative = line - part.line + 1;
    for (const plan of part.plans) {
      const planned = plan.steps.find((s) => s.step.span.start.line <= relative && relative <= s.step.span.end.line);
      if (planned) return { part, plan, planned };
    }
    return undefined;
  }

  /** Every planned step with its part, in document order. */
  *steps(): Generator<StepAt> {
    for (const part of this.parts) for (const plan of part.plans) for (const planned of plan.steps) yield { part, plan, planned };
  }
}

/** The step `at` as written in the document: its span moved from the part to the document. */
export function absoluteStep(at: { part: Part; planned: PlannedStep }): Step {
  const { step } = at.planned;
  const shift = (p: Step['span']['start']) => ({ line: p.line + at.part.line, column: p.column, offset: p.offset + at.part.start });
  return { ...step, span: { start: shift(step.span.start), end: shift(step.span.end) } };
}
