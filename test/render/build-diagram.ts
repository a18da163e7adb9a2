// Hand-built Diagram objects for renderer unit tests (edge cases the seeds do not have).
import type { Diagram, MessageStatement, NoteStatement, Participant, Span, Statement, Step } from '../../src/ast/types.ts';

function spanAt(line: number): Span {
  return { start: { line, column: 1, offset: 0 }, end: { line, column: 2, offset: 1 } };
}

type Draft =
  | { kind: 'message'; from: string; to: string; text: string; line?: 'solid' | 'dashed'; arrow?: 'filled' | 'open'; headless?: boolean }
  | { kind: 'note'; position: 'left' | 'right' | 'over'; participants: [string] | [string, string]; text: string }
  | { kind: 'participant'; name: string; alias?: string }
  | { kind: 'title'; text: string };

export function buildDiagram(drafts: readonly Draft[], file = 'test.seq'): Diagram {
  const participants: Participant[] = [];
  const add = (id: string, label: string, line: number): void => {
    if (!participants.some((p) => p.id === id)) participants.push({ id, label, span: spanAt(line) });
  };
  const statements: Statement[] = drafts.map((d, i): Statement => {
    const span = spanAt(i + 1);
    switch (d.kind) {
      case 'participant':
        add(d.alias ?? d.name, d.name, i + 1);
        return { kind: 'participant', name: d.name, alias: d.alias ?? null, span };
      case 'title':
        return { kind: 'title', text: d.text, span };
      case 'note':
        d.participants.forEach((p) => add(p, p, i + 1));
        return { kind: 'note', position: d.position, participants: d.participants, text: d.text, span } satisfies NoteStatement;
      case 'message':
        add(d.from, d.from, i + 1);
        add(d.to, d.to, i + 1);
        return {
          kind: 'message',
          from: d.from,
          to: d.to,
          text: d.text,
          span,
          line: d.line ?? 'solid',
          arrow: d.arrow ?? 'filled',
          headless: d.headless ?? false,
        } satisfies MessageStatement;
    }
  });
  const title = statements.find((s) => s.kind === 'title');
  return {
    dialect: 'sequence',
    name: null,
    slug: null,
    title: title?.kind === 'title' ? title.text : null,
    participants,
    statements,
    steps: statements.filter((s): s is Step => s.kind === 'message' || s.kind === 'note'),
    file,
    span: { start: spanAt(1).start, end: spanAt(drafts.length).end },
  };
}
