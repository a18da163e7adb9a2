// A diagram (and optionally its run) as mermaid `sequenceDiagram` text, what GitHub draws inline.
import type { Diagram, MessageStatement, NoteStatement, Step } from '../ast/types.ts';
import { jobJoins } from './jobs.ts';
import { mermaidInputToMermaid } from './mermaid-input.ts';
import type { RunView, StepView } from './run-view.ts';
import { viewOf } from './run-view.ts';
import { mermaidText, statusMark, statusRgb } from './text.ts';

/** Arrows by meaning: js `->` draws a filled head (mermaid `->>`), js `->>` an open one (mermaid `-)`). */
function arrow(message: MessageStatement, failed: boolean): string {
  const line = message.line === 'dashed' ? '--' : '-';
  if (failed) return `${line}x`;
  return message.arrow === 'open' ? `${line})` : `${line}>>`;
}

/** Safe ids `P1`, `P2`, ... by order of appearance, so no label can collide with mermaid syntax. */
export function participantIds(diagram: Diagram): Map<string, string> {
  return new Map(diagram.participants.map((p, i) => [p.id, `P${i + 1}`]));
}

function idOf(ids: ReadonlyMap<string, string>, participant: string): string {
  const id = ids.get(participant);
  if (id === undefined) throw new Error(`participant ${JSON.stringify(participant)} is used but not in diagram.participants`);
  return id;
}

function noteLine(note: NoteStatement, ids: ReadonlyMap<string, string>, text: string): string {
  const where = note.position === 'over' ? 'over' : `${note.position} of`;
  return `Note ${where} ${note.participants.map((p) => idOf(ids, p)).join(',')}: ${text}`;
}

function stepLine(step: Step, ids: ReadonlyMap<string, string>, view: StepView | null): string {
  const text = mermaidText(view ? `${step.text} (${statusMark(view)})` : step.text);
  if (step.kind === 'note') return noteLine(step, ids, text);
  return `${idOf(ids, step.from)}${arrow(step, view?.status === 'failed')}${idOf(ids, step.to)}: ${text}`;
}

export interface MermaidOptions {
  /** Draw this run onto the diagram: a coloured `rect` per step, crosses, durations, job lifetimes. */
  readonly run?: RunView | null;
}

/** Mermaid `sequenceDiagram` text for `diagram`; every piece of diagram text is escaped. */
export function toMermaid(diagram: Diagram, options: MermaidOptions = {}): string {
  const run = options.run ?? null;
  if (diagram.dialect === 'mermaid') return mermaidInputToMermaid(diagram, run);
  const ids = participantIds(diagram);
  const out = ['sequenceDiagram'];
  // `Title: ` with nothing after it is a title of no text; mermaid rejects a bare `title` line.
  const title = diagram.title === null ? '' : mermaidText(diagram.title);
  if (title.trim() !== '') out.push(`  title ${title}`);
  for (const p of diagram.participants) out.push(`  participant ${idOf(ids, p.id)} as ${mermaidText(p.label)}`);
  const jobs = new Set(diagram.steps.flatMap((_, i) => (viewOf(run, i)?.isJob ? [i] : [])));
  const joins = jobJoins(diagram.steps, jobs, run?.joins ?? null);
  /** Callee ids to deactivate after each reply index (or at the end, key -1). */
  const deactivations = new Map<number, string[]>();
  for (const [call, reply] of joins) {
    const step = diagram.steps[call];
    if (step?.kind !== 'message') continue;
    const key = reply ?? -1;
    deactivations.set(key, [...(deactivations.get(key) ?? []), idOf(ids, step.to)]);
  }
  diagram.steps.forEach((step, index) => {
    const view = viewOf(run, index);
    const indent = view ? '    ' : '  ';
    if (view) out.push(`  rect ${statusRgb(view.status)}`);
    out.push(indent + stepLine(step, ids, view));
    if (jobs.has(index) && step.kind === 'message') out.push(`${indent}activate ${idOf(ids, step.to)}`);
    for (const callee of deactivations.get(index) ?? []) out.push(`${indent}deactivate ${callee}`);
    if (view) out.push('  end');
  });
  for (const callee of deactivations.get(-1) ?? []) out.push(`  deactivate ${callee}`);
  return `${out.join('\n')}\n`;
}
