// Test helper: builds Diagram values for the bind tests from the subset of the syntax the seed uses
// (messages and notes), so that bind's tests do not depend on the parser.
import type { Diagram, MessageStatement, NoteStatement, Participant, Span, Step } from '../ast/types.ts';

const MESSAGE = /^([^->:]+?)\s*(-->>|->>|-->|->)\s*([^:]+?)\s*:\s*(.*)$/;
const NOTE = /^Note (left of|right of|over) ([^:]+?)\s*:\s*(.*)$/i;

function span(line: number, text: string): Span {
  return { start: { line, column: 1, offset: 0 }, end: { line, column: text.length + 1, offset: 0 } };
}

export function diagramOf(source: string, file = 'test.seq'): Diagram {
  const steps: Step[] = [];
  const participants: Participant[] = [];
  const see = (id: string, s: Span): void => {
    if (!participants.some((p) => p.id === id)) participants.push({ id, label: id, span: s });
  };
  source.split('\n').forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const where = span(i + 1, raw);
    const note = NOTE.exec(text);
    if (note) {
      const ids = (note[2] ?? '').split(',').map((p) => p.trim());
      ids.forEach((id) => see(id, where));
      const position = (note[1] ?? '').split(' ')[0]?.toLowerCase() as NoteStatement['position'];
      const statement: NoteStatement = { kind: 'note', position, participants: ids as [string], text: note[3] ?? '', span: where };
      steps.push(statement);
      return;
    }
    const message = MESSAGE.exec(text);
    if (!message) throw new Error(`test diagram line ${i + 1}: ${text}`);
    const [, from = '', arrow = '', to = '', body = ''] = message;
    see(from, where);
    see(to, where);
    const statement: MessageStatement = {
      kind: 'message', from, to, line: arrow.startsWith('--') ? 'dashed' : 'solid', arrow: arrow.endsWith('>>') ? 'open' : 'filled', headless: false, text: body, span: where,
    };
    steps.push(statement);
  });
  const end = span(source.split('\n').length, '');
  return { name: null, slug: null, title: null, participants, statements: steps, steps, file, span: { start: span(1, '').start, end: end.end } };
}
