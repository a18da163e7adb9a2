// mermaid's own parser as the oracle of the mermaid dialect: `mermaid.parse` decides accept/reject, and
// its sequence database (getActors, getMessages, getBoxes, ...) is reduced to a plain model that the
// same reduction of seqrun's AST (mermaid-model.ts) is compared with. mermaid's numeric line types
// stay in this file, in LINETYPES.
import { mermaid } from './mermaid-node.ts';
import type { BlockName, MermaidModel, ModelEvent, ModelParticipant } from './mermaid-model.ts';
import { mermaidDrawnText as drawnText } from './mermaid-model.ts';

export type MermaidReading = { readonly ok: false; readonly error: string } | { readonly ok: true; readonly model: MermaidModel };

/** mermaid 11.17's `LINETYPE` (src/diagrams/sequence/sequenceDb.ts), by meaning. */
type LineMeaning =
  | { readonly kind: 'arrow'; readonly arrow: string }
  | { readonly kind: 'note' | 'activate' | 'deactivate' | 'autonumber' | 'central' | 'end' }
  | { readonly kind: 'block'; readonly block: BlockName }
  | { readonly kind: 'section'; readonly keyword: 'else' | 'and' | 'option' };

const arrow = (name: string): LineMeaning => ({ kind: 'arrow', arrow: name });
const block = (name: BlockName): LineMeaning => ({ kind: 'block', block: name });
const END: LineMeaning = { kind: 'end' };

export const LINETYPES: ReadonlyMap<number, LineMeaning> = new Map<number, LineMeaning>([
  [0, arrow('solid')], // ->>
  [1, arrow('dotted')], // -->>
  [2, { kind: 'note' }],
  [3, arrow('solid-cross')], // -x
  [4, arrow('dotted-cross')], // --x
  [5, arrow('solid-open')], // ->
  [6, arrow('dotted-open')], // -->
  [10, block('loop')],
  [11, END],
  [12, block('alt')],
  [13, { kind: 'section', keyword: 'else' }],
  [14, END],
  [15, block('opt')],
  [16, END],
  [17, { kind: 'activate' }],
  [18, { kind: 'deactivate' }],
  [19, block('par')],
  [20, { kind: 'section', keyword: 'and' }],
  [21, END],
  [22, block('rect')],
  [23, END],
  [24, arrow('solid-async')], // -)
  [25, arrow('dotted-async')], // --)
  [26, { kind: 'autonumber' }],
  [27, block('critical')],
  [28, { kind: 'section', keyword: 'option' }],
  [29, END],
  [30, block('break')],
  [31, END],
  [32, block('par_over')],
  [33, arrow('bidirectional-solid')], // <<->>
  [34, arrow('bidirectional-dotted')], // <<-->>
  // 11.17's half arrows, by mermaid's own names.
  [41, arrow('solid-top')],
  [42, arrow('solid-bottom')],
  [43, arrow('stick-top')],
  [44, arrow('stick-bottom')],
  [45, arrow('solid-arrow-top-reverse')],
  [46, arrow('solid-arrow-bottom-reverse')],
  [47, arrow('stick-arrow-top-reverse')],
  [48, arrow('stick-arrow-bottom-reverse')],
  [51, arrow('solid-top-dotted')],
  [52, arrow('solid-bottom-dotted')],
  [53, arrow('stick-top-dotted')],
  [54, arrow('stick-bottom-dotted')],
  [55, arrow('solid-arrow-top-reverse-dotted')],
  [56, arrow('solid-arrow-bottom-reverse-dotted')],
  [57, arrow('stick-arrow-top-reverse-dotted')],
  [58, arrow('stick-arrow-bottom-reverse-dotted')],
  // The markers of `()` central connections (59, 60, 61) follow their message and repeat what its
  // `centralConnection` says.
  [59, { kind: 'central' }],
  [60, { kind: 'central' }],
  [61, { kind: 'central' }],
]);

/** A message's `centralConnection`: 0 none, else which end has the `()`. */
const CENTRAL: ReadonlyMap<number, 'target' | 'source' | 'both'> = new Map([
  [59, 'target'],
  [60, 'source'],
  [61, 'both'],
]);
const PLACEMENTS = ['left', 'right', 'over'] as const;

interface DbMessage {
  from?: string;
  to?: string;
  message: string | { start?: number; step?: number; visible: boolean };
  type?: number;
  placement?: number;
  activate?: boolean;
  centralConnection?: number;
}
interface DbActor {
  description: string;
  type: string;
}
interface DbBox {
  name?: string;
  fill: string;
  actorKeys: string[];
}
interface SequenceDb {
  getActors(): Map<string, DbActor>;
  getMessages(): DbMessage[];
  getBoxes(): DbBox[];
  getCreatedActors(): Map<string, number>;
  getDestroyedActors(): Map<string, number>;
  getDiagramTitle(): string;
}

function event(m: DbMessage, open: BlockName[]): ModelEvent | null {
  const meaning = m.type === undefined ? undefined : LINETYPES.get(m.type);
  if (!meaning) throw new Error(`mermaid line type ${String(m.type)} is not in LINETYPES`);
  const text = typeof m.message === 'string' ? drawnText(m.message) : '';
  switch (meaning.kind) {
    case 'arrow':
      return {
        kind: 'message',
        from: drawnText(m.from ?? ''),
        to: drawnText(m.to ?? ''),
        arrow: meaning.arrow,
        text,
        // `()` also sets mermaid's `activate`; the model keeps that for the `+` suffix alone.
        activate: m.activate === true && !m.centralConnection,
        central: CENTRAL.get(m.centralConnection ?? 0) ?? null,
      };
    case 'note':
      return {
        kind: 'note',
        position: PLACEMENTS[m.placement ?? 2] ?? 'over',
        from: drawnText(m.from ?? ''),
        to: drawnText(m.to ?? ''),
        text,
      };
    case 'activate':
    case 'deactivate':
      return { kind: meaning.kind, participant: drawnText(m.from ?? '') };
    case 'central':
      return null;
    case 'autonumber': {
      const n = typeof m.message === 'string' ? { visible: true } : m.message;
      return { kind: 'autonumber', start: n.start ?? null, step: n.start === undefined ? null : (n.step ?? 1), visible: n.visible };
    }
    case 'block':
      open.push(meaning.block);
      return { kind: 'block', block: meaning.block, label: text };
    case 'section':
      return { kind: 'section', keyword: meaning.keyword, label: text };
    case 'end':
      return { kind: 'end', block: open.pop() ?? 'loop' };
  }
}

function participants(db: SequenceDb): ModelParticipant[] {
  return [...db.getActors()].map(([id, actor]) => ({
    id: drawnText(id),
    label: drawnText(actor.description),
    shape: actor.type === 'actor' ? 'actor' : 'participant',
  }));
}

/** The plain model of mermaid's sequence database after a parse. */
export function modelOf(db: SequenceDb): MermaidModel {
  const open: BlockName[] = [];
  const events: ModelEvent[] = [];
  for (const m of db.getMessages()) {
    const e = event(m, open);
    if (e) events.push(e);
  }
  return {
    title: db.getDiagramTitle() === '' ? null : drawnText(db.getDiagramTitle()).trim(),
    participants: participants(db),
    boxes: db.getBoxes().map((b) => ({
      colour: b.fill,
      title: b.name === undefined ? null : drawnText(b.name),
      participants: b.actorKeys.map(drawnText),
    })),
    created: [...db.getCreatedActors().keys()].map(drawnText),
    destroyed: [...db.getDestroyedActors().keys()].map(drawnText),
    events,
  };
}

/** The error's message, after its class name when that says more than `Error` (js-yaml's YAMLException). */
function message(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name === 'Error' ? error.message : `${error.name}: ${error.message}`;
}

/**
 * mermaid's reading of `text` (a whole mermaid document: front matter, directives, `sequenceDiagram`).
 * Accept/reject is `mermaid.parse`'s; another diagram type is a rejection here. The database comes from
 * a second parse through `getDiagramFromText`, which `mermaid.parse` runs after applying the text's
 * configuration and then drops.
 */
export async function mermaidRead(text: string): Promise<MermaidReading> {
  try {
    const parsed = await mermaid.parse(text);
    if (parsed.diagramType !== 'sequence') return { ok: false, error: `a ${parsed.diagramType} diagram, not a sequence diagram` };
    const diagram = (await mermaid.mermaidAPI.getDiagramFromText(text)) as unknown as { db: SequenceDb };
    return { ok: true, model: modelOf(diagram.db) };
  } catch (error) {
    return { ok: false, error: message(error) };
  }
}

// The direct path: mermaid's own jison parser and SequenceDB, without mermaid.parse's configuration
// handling, which costs ~7 ms a call and a deep copy of the configuration per message (the property
// tests read thousands of inputs, the nightly run a million). Taken from the first diagram mermaid builds (mermaid.parse registers the
// diagram types first).
await mermaid.parse('sequenceDiagram\n');
const first = (await mermaid.mermaidAPI.getDiagramFromText('sequenceDiagram\n')) as unknown as {
  db: SequenceDb & { clear(): void; setWrap(wrap: boolean): void };
  parser: { parser: { yy: unknown }; parse(text: string): unknown };
};
const { db: directDb, parser: directParser } = first;

/** mermaid's own LINETYPE table, by name (for the test that LINETYPES covers it). */
export const MERMAID_LINETYPE = (directDb as unknown as { LINETYPE: Readonly<Record<string, number>> }).LINETYPE;

/** mermaid's preprocessing (src/preprocess.ts cleanupText and cleanupComments) for a text without front matter or directives. */
function preprocess(code: string): string {
  return code
    .replace(/\r\n?/g, '\n')
    .replace(/<(\w+)([^>]*)>/g, (_m, tag: string, attributes: string) => `<${tag}${attributes.replace(/="([^"]*)"/g, "='$1'")}>`)
    .replace(/^\s*%%(?!{)[^\n]+\n?/gm, '')
    .trimStart();
}

/** mermaid's encodeEntities (src/utils.ts), which the sequence database keeps encoded. */
function encodeEntities(text: string): string {
  return text
    .replace(/style.*:\S*#.*;/g, (s) => s.slice(0, -1))
    .replace(/classDef.*:\S*#.*;/g, (s) => s.slice(0, -1))
    .replace(/#\w+;/g, (s) => {
      const inner = s.slice(1, -1);
      return /^\+?\d+$/.test(inner) ? `\uFB02\xB0\xB0${inner}\xB6\xDF` : `\uFB02\xB0${inner}\xB6\xDF`;
    });
}

/**
 * The same reading as mermaidRead, synchronous and ~40x faster, for texts without front matter or
 * `%%{` directives (undefined for those: use mermaidRead). mermaid-conformance.test.ts holds it to
 * mermaidRead on the corpus and on generated diagrams.
 */
export function mermaidReadDirect(text: string): MermaidReading | undefined {
  if (text.includes('%%{') || /^\s*-{3}/.test(text)) return undefined;
  // mermaid.parse preprocesses, then getDiagramFromText preprocesses the result again.
  const code = preprocess(preprocess(text));
  if (!/^\s*sequenceDiagram/.test(code.replace(/\s*%%.*\n/gm, '\n'))) return undefined;
  directDb.clear();
  directDb.setWrap(false);
  directParser.parser.yy = directDb;
  try {
    directParser.parse(`${encodeEntities(code)}\n`);
    return { ok: true, model: modelOf(directDb) };
  } catch (error) {
    return { ok: false, error: message(error) };
  } finally {
    // The database would hold the diagram until the next parse (a benchmark's heap would carry it).
    directDb.clear();
  }
}
