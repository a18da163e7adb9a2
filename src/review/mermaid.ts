// The working tree's diagram drawn in mermaid for a pull-request comment: its blocks as written, each
// added step in a green `rect` and each changed one in an amber `rect` (the colours of a passed and a
// cancelled step in a drawn run). Every piece of diagram text is escaped.
import type { Diagram, MessageStatement, Statement, Step } from '../ast/types.ts';
import { escapeControls } from '../diagnostics/escape.ts';
import { participantIds } from '../render/mermaid.ts';
import { mermaidText as mermaidLine, statusRgb } from '../render/text.ts';
import type { StepMarks } from './types.ts';

/** Diagram text for the drawing: control bytes shown as escapes, then mermaid's own escaping. */
const mermaidText = (text: string): string => mermaidLine(escapeControls(text));

const RECT: Readonly<Record<'added' | 'changed', string>> = { added: statusRgb('passed'), changed: statusRgb('cancelled') };

/** mermaid's arrow for a message: as written in a mermaid diagram (its activation suffix too), by meaning for js-sequence. */
function arrowOf(message: MessageStatement): string {
  const { mermaid } = message;
  if (mermaid)
    return mermaid.written + (mermaid.activation === 'activate-target' ? '+' : mermaid.activation === 'deactivate-source' ? '-' : '');
  const line = message.line === 'dashed' ? '--' : '-';
  return message.arrow === 'open' ? `${line})` : `${line}>>`;
}

function stepLine(step: Step, ids: ReadonlyMap<string, string>): string {
  const id = (p: string): string => ids.get(p) ?? 'P0';
  const text = mermaidText(step.text);
  if (step.kind === 'message') return `${id(step.from)}${arrowOf(step)}${id(step.to)}: ${text}`;
  const where = step.position === 'over' ? 'over' : `${step.position} of`;
  return `Note ${where} ${step.participants.map(id).join(',')}: ${text}`;
}

interface Drawing {
  readonly ids: ReadonlyMap<string, string>;
  readonly indexOf: ReadonlyMap<Step, number>;
  readonly marks: StepMarks;
  readonly out: string[];
}

const COLOUR = /^rgba?\(\s*[\d.]+\s*,\s*[\d.]+\s*,\s*[\d.]+\s*(,\s*[\d.]+\s*)?\)$/;

function draw(d: Drawing, statements: readonly Statement[], indent: string): void {
  for (const statement of statements) {
    if (statement.kind === 'message' || statement.kind === 'note') {
      const mark = d.marks.get(d.indexOf.get(statement) ?? -1);
      if (mark) d.out.push(`${indent}rect ${RECT[mark]}`, `${indent}  ${stepLine(statement, d.ids)}`, `${indent}end`);
      else d.out.push(`${indent}${stepLine(statement, d.ids)}`);
    } else if (statement.kind === 'activation') {
      d.out.push(`${indent}${statement.action} ${d.ids.get(statement.participant) ?? 'P0'}`);
    } else if (statement.kind === 'autonumber') {
      d.out.push(
        `${indent}autonumber${
          statement.off
            ? ' off'
            : [statement.start, statement.step]
                .filter((n) => n !== null)
                .map((n) => ` ${n}`)
                .join('')
        }`,
      );
    } else if (statement.kind === 'block') {
      // A rect of the author's stays only when its colour is a plain rgb(): anything else could be syntax.
      const drawn = statement.block !== 'rect' || COLOUR.test(statement.sections[0]?.label.trim() ?? '');
      statement.sections.forEach((section, i) => {
        const keyword = i === 0 ? statement.block : section.keyword;
        const label = statement.block === 'rect' ? section.label.trim() : mermaidText(section.label);
        if (drawn) d.out.push(`${indent}${keyword}${label === '' ? '' : ` ${label}`}`);
        draw(d, section.statements, drawn ? `${indent}  ` : indent);
      });
      if (drawn) d.out.push(`${indent}end`);
    }
  }
}

/** `diagram` as mermaid text with `marks` drawn around its steps. */
export function markedMermaid(diagram: Diagram, marks: StepMarks): string {
  const ids = participantIds(diagram);
  const out = ['sequenceDiagram'];
  const title = diagram.title === null ? '' : mermaidText(diagram.title);
  if (title.trim() !== '') out.push(`  title ${title}`);
  for (const p of diagram.participants) out.push(`  participant ${ids.get(p.id) ?? 'P0'} as ${mermaidText(p.label)}`);
  const indexOf = new Map(diagram.steps.map((s, i) => [s, i] as const));
  draw({ ids, indexOf, marks, out }, diagram.statements, '  ');
  return `${out.join('\n')}\n`;
}
