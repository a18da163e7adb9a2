// `seqrun fmt --to mermaid`: a js-sequence diagram as the mermaid diagram with the same meaning, so
// that `seqrun plan` of both gives the same steps, kinds, pairing and handlers. Calls (`->`, `->>`)
// become mermaid's solid `->>`, replies (`-->`, `-->>`) its dotted `-->>`; participants keep their ids
// (what bindings filter on) and labels; `#` comments become `%%` comments. The converted AST is
// printed by the mermaid printer, which escapes names and texts as mermaid reads them.
import type { BlockStatement, Diagram, MermaidArrow, MessageStatement, ParticipantStatement, Statement } from '../../ast/types.ts';
import { forEachStatement } from '../../ast/types.ts';

/**
 * A declaration in mermaid: `participant Id as Label` with the label js-sequence settled on for that id
 * (mermaid relabels on every declaration, js-sequence does not), or null for a repeated declaration.
 */
function participant(s: ParticipantStatement, labels: ReadonlyMap<string, string>, declared: Set<string>): ParticipantStatement | null {
  // The id as js-sequence keys it (its participant list): a name's surrounding white space is not part of it.
  const written = s.alias ?? s.name;
  const id = labels.has(written) ? written : written.trim();
  if (declared.has(id)) return null;
  declared.add(id);
  const label = labels.get(id) ?? s.name;
  return { ...s, name: id, alias: label === id ? null : label, shape: 'participant' };
}

function message(s: MessageStatement): MessageStatement {
  const dashed = s.line === 'dashed';
  return {
    ...s,
    arrow: 'filled',
    headless: false,
    mermaid: { arrow: dashed ? 'dotted' : 'solid', written: dashed ? '-->>' : '->>', activation: null },
  };
}

/** One js-sequence statement in mermaid, or null when it has no mermaid form (a title without text, a repeated declaration). */
function statement(s: Statement, labels: ReadonlyMap<string, string>, declared: Set<string>): Statement | null {
  switch (s.kind) {
    case 'participant':
      return participant(s, labels, declared);
    case 'message':
      return message(s);
    case 'title':
      // mermaid rejects a bare `title`; `Title:` with no text draws nothing in js-sequence either.
      return s.text.trim() === '' ? null : s;
    default:
      return s;
  }
}

/** The mermaid diagram with the meaning of the js-sequence `diagram` (a mermaid diagram is returned as it is). */
export function toMermaidDiagram(diagram: Diagram): Diagram {
  if (diagram.dialect === 'mermaid') return diagram;
  const labels = new Map(diagram.participants.map((p) => [p.id, p.label]));
  const declared = new Set<string>();
  const statements = diagram.statements.map((s) => statement(s, labels, declared)).filter((s) => s !== null);
  const steps = statements.filter((s) => s.kind === 'message' || s.kind === 'note');
  return { ...diagram, dialect: 'mermaid', statements, steps };
}

/** How a mermaid arrow is drawn in js-sequence: crosses, `<<->>` and half arrows keep a filled head. */
const JS_HEADS: Readonly<Record<MermaidArrow, { arrow: 'filled' | 'open'; headless: boolean }>> = {
  solid: { arrow: 'filled', headless: false },
  dotted: { arrow: 'filled', headless: false },
  'solid-open': { arrow: 'filled', headless: true },
  'dotted-open': { arrow: 'filled', headless: true },
  'solid-cross': { arrow: 'filled', headless: false },
  'dotted-cross': { arrow: 'filled', headless: false },
  'solid-async': { arrow: 'open', headless: false },
  'dotted-async': { arrow: 'open', headless: false },
  'bidirectional-solid': { arrow: 'filled', headless: false },
  'bidirectional-dotted': { arrow: 'filled', headless: false },
  half: { arrow: 'filled', headless: false },
};

/** mermaid statements in js-sequence: drawing-only statements are dropped, a box's declarations kept. */
function sequenceStatements(statements: readonly Statement[]): Statement[] {
  return statements.flatMap((s): Statement[] => {
    switch (s.kind) {
      case 'participant': {
        const { shape: _shape, created: _created, config: _config, ...rest } = s;
        return [s.alias === null || s.alias === s.name ? { ...rest, alias: null } : { ...rest, name: s.alias, alias: s.name }];
      }
      case 'message': {
        const { mermaid, ...rest } = s;
        return [mermaid ? { ...rest, ...JS_HEADS[mermaid.arrow] } : rest];
      }
      case 'box':
        return sequenceStatements(s.statements);
      case 'activation':
      case 'autonumber':
      case 'drawing':
      case 'block':
        return [];
      default:
        return [s];
    }
  });
}

/**
 * The js-sequence form of a diagram, for drawing it in that syntax; js-sequence has no blocks, so a
 * diagram with one gives back its first block instead.
 */
export function toSequenceDiagram(diagram: Diagram): { ok: true; diagram: Diagram } | { ok: false; block: BlockStatement } {
  if (diagram.dialect !== 'mermaid') return { ok: true, diagram };
  let block: BlockStatement | null = null;
  forEachStatement(diagram.statements, (s) => {
    if (s.kind === 'block' && block === null) block = s;
  });
  if (block !== null) return { ok: false, block };
  const statements = sequenceStatements(diagram.statements);
  const steps = statements.filter((s) => s.kind === 'message' || s.kind === 'note');
  const { frontMatter: _frontMatter, ...rest } = diagram;
  return { ok: true, diagram: { ...rest, dialect: 'sequence', statements, steps } };
}
