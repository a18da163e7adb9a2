// The plain, comparable model of a mermaid sequence diagram: what mermaid's sequence database holds
// (mermaid-oracle.ts builds it from mermaid) and the same reduction of seqrun's AST (modelOfDiagram).
// Blocks are flattened into start / section / end events, as mermaid records them; a message's `+`
// suffix is its `activate` flag followed by an activation event, as mermaid records it. Texts are
// compared as mermaid draws them (entity codes decoded, `<br/>` as a line break), which is what the
// AST holds.
import type { BlockKind, Diagram, MermaidSignal, Statement } from '../../src/ast/types.ts';
import { decodeHTML } from 'entities';
import { parseText } from '../../src/syntax/files.ts';
import { isCssColour } from './mermaid-node.ts';

export type BlockName = BlockKind;

export interface ModelParticipant {
  readonly id: string;
  readonly label: string;
  readonly shape: 'participant' | 'actor';
}

export type ModelEvent =
  | {
      readonly kind: 'message';
      readonly from: string;
      readonly to: string;
      /** mermaid's line type by name: `solid` (->>), `dotted-open` (-->), `solid-top` (a half arrow), ... */
      readonly arrow: string;
      readonly text: string;
      /** The `+` suffix (`A->>+B`). */
      readonly activate: boolean;
      /** Which end has a `()` central connection. */
      readonly central: 'target' | 'source' | 'both' | null;
    }
  | {
      readonly kind: 'note';
      readonly position: 'left' | 'right' | 'over';
      readonly from: string;
      readonly to: string;
      readonly text: string;
    }
  | { readonly kind: 'activate' | 'deactivate'; readonly participant: string }
  | { readonly kind: 'block'; readonly block: BlockName; readonly label: string }
  | { readonly kind: 'section'; readonly keyword: 'else' | 'and' | 'option'; readonly label: string }
  | { readonly kind: 'end'; readonly block: BlockName }
  | { readonly kind: 'autonumber'; readonly start: number | null; readonly step: number | null; readonly visible: boolean };

export interface ModelBox {
  readonly colour: string;
  readonly title: string | null;
  readonly participants: readonly string[];
}

export interface MermaidModel {
  /**
   * The last `title` statement's text (a front-matter title is not part of mermaid's parse), trimmed:
   * mermaid keeps `title  x` as " x", and SVG text drops the space when drawn.
   */
  readonly title: string | null;
  readonly participants: readonly ModelParticipant[];
  readonly boxes: readonly ModelBox[];
  readonly created: readonly string[];
  readonly destroyed: readonly string[];
  readonly events: readonly ModelEvent[];
}

/**
 * A text of mermaid's database as mermaid draws it: `<br>`, `<br/>` split into lines first (the
 * renderer splits the text while its entity codes are still encoded as `ﬂ°°59¶ß`), then the entity
 * codes turned into HTML character references (decodeEntities, over the finished SVG) that the browser
 * decodes.
 */
export function mermaidDrawnText(text: string): string {
  return decodeHTML(
    text
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/ﬂ°°/g, '&#')
      .replace(/ﬂ°/g, '&')
      .replace(/¶ß/g, ';'),
  );
}

/** Entity codes as written in the source (`#59;`, `#quot;`), decoded as mermaid draws them. */
function writtenDrawnText(text: string): string {
  return mermaidDrawnText(text.replace(/#(\w+);/g, (_m, name: string) => (/^\+?\d+$/.test(name) ? `ﬂ°°${name}¶ß` : `ﬂ°${name}¶ß`)));
}

/** 11.17's half arrows as written, by mermaid's name for each (mermaid-conformance checks this table against mermaid). */
export const HALF_ARROWS: Readonly<Record<string, string>> = {
  '-|\\': 'solid-top',
  '-|/': 'solid-bottom',
  '-\\\\': 'stick-top',
  '-//': 'stick-bottom',
  '/|-': 'solid-arrow-top-reverse',
  '\\|-': 'solid-arrow-bottom-reverse',
  '//-': 'stick-arrow-top-reverse',
  '\\\\-': 'stick-arrow-bottom-reverse',
  '--|\\': 'solid-top-dotted',
  '--|/': 'solid-bottom-dotted',
  '--\\\\': 'stick-top-dotted',
  '--//': 'stick-bottom-dotted',
  '/|--': 'solid-arrow-top-reverse-dotted',
  '\\|--': 'solid-arrow-bottom-reverse-dotted',
  '//--': 'stick-arrow-top-reverse-dotted',
  '\\\\--': 'stick-arrow-bottom-reverse-dotted',
};

/** mermaid's split of a box's text into a colour and a title (`parseBoxData`), for the AST's box label as written. */
export function boxColourAndTitle(written: string): { colour: string; title: string | null } {
  const match = /^((?:rgba?|hsla?)\s*\(.*\)|\w*)(.*)$/.exec(written);
  let colour = match?.[1] ? match[1].trim() : 'transparent';
  let title = match?.[2] ? match[2].trim() : undefined;
  if (!isCssColour(colour)) {
    colour = 'transparent';
    title = written.trim();
  }
  const cleaned = title
    ?.trim()
    .replace(/^:?(?:no)?wrap:/, '')
    .trim();
  return { colour, title: cleaned ? writtenDrawnText(cleaned) : null };
}

function arrowOf(signal: MermaidSignal): { arrow: string; central: 'target' | 'source' | 'both' | null } {
  const source = signal.written.startsWith('()');
  const target = signal.written.endsWith('()');
  const bare = signal.written.replace(/^\(\)|\(\)$/g, '');
  const arrow = signal.arrow === 'half' ? (HALF_ARROWS[bare] ?? `unknown half arrow ${bare}`) : signal.arrow;
  return { arrow, central: source && target ? 'both' : source ? 'source' : target ? 'target' : null };
}

interface Collected {
  /** Participants mermaid's database holds so far (declared or used), for box membership. */
  seen: Set<string>;
  title: string | null;
  boxes: ModelBox[];
  created: string[];
  destroyed: string[];
  events: ModelEvent[];
}

/**
 * The participants a box records (mermaid's `actorKeys`): a declaration inside it adds its id, except
 * the redeclaration without a label of a participant mermaid already holds (addActor returns early).
 */
function boxMembers(statements: readonly Statement[], seen: ReadonlySet<string>): string[] {
  const members: string[] = [];
  const known = new Set(seen);
  for (const s of statements) {
    if (s.kind !== 'participant') continue;
    const labelled = s.alias !== null || /alias/.test(s.config ?? '');
    if (!known.has(s.name) || labelled) members.push(s.name);
    known.add(s.name);
  }
  return members;
}

function collect(statements: readonly Statement[], out: Collected): void {
  for (const s of statements) {
    switch (s.kind) {
      case 'message': {
        const { arrow, central } = s.mermaid ? arrowOf(s.mermaid) : { arrow: `js-sequence ${s.line}-${s.arrow}`, central: null };
        const activation = s.mermaid?.activation ?? null;
        const [from, to] = [s.from, s.to];
        out.seen.add(from).add(to);
        out.events.push({ kind: 'message', from, to, arrow, text: s.text, activate: activation === 'activate-target', central });
        if (activation === 'activate-target') out.events.push({ kind: 'activate', participant: to });
        if (activation === 'deactivate-source') out.events.push({ kind: 'deactivate', participant: from });
        break;
      }
      case 'note': {
        const [from, to] = s.participants;
        out.seen.add(from).add(to ?? from);
        out.events.push({ kind: 'note', position: s.position, from: from, to: to ?? from, text: s.text });
        break;
      }
      case 'activation':
        out.events.push({ kind: s.action, participant: s.participant });
        break;
      case 'autonumber':
        out.events.push({ kind: 'autonumber', start: s.start, step: s.start === null ? null : (s.step ?? 1), visible: !s.off });
        break;
      case 'block':
        s.sections.forEach((section, i) => {
          if (i === 0) out.events.push({ kind: 'block', block: s.block, label: section.label });
          else if (section.keyword === 'else' || section.keyword === 'and' || section.keyword === 'option')
            out.events.push({ kind: 'section', keyword: section.keyword, label: section.label });
          collect(section.statements, out);
        });
        out.events.push({ kind: 'end', block: s.block });
        break;
      case 'box':
        out.boxes.push({ ...boxColourAndTitle(s.label), participants: boxMembers(s.statements, out.seen) });
        collect(s.statements, out);
        break;
      case 'participant':
        out.seen.add(s.name);
        if (s.created) out.created.push(s.name);
        break;
      case 'drawing':
        if (s.participant !== null && ['link', 'links', 'properties', 'details'].includes(s.keyword)) out.seen.add(s.participant);
        if (s.keyword === 'destroy' && s.participant !== null) out.destroyed.push(s.participant);
        break;
      case 'title':
        out.title = s.text.trim();
        break;
      case 'comment':
        break;
    }
  }
}

/** The model of seqrun's reading of a mermaid diagram, comparable with mermaid's (mermaid-oracle.ts). */
export function modelOfDiagram(diagram: Diagram): MermaidModel {
  const out: Collected = { seen: new Set(), title: null, boxes: [], created: [], destroyed: [], events: [] };
  collect(diagram.statements, out);
  return {
    title: out.title,
    participants: diagram.participants.map((p) => ({ id: p.id, label: p.label, shape: p.shape ?? 'participant' })),
    boxes: out.boxes,
    // mermaid keeps them in Maps: a second `destroy X` moves nothing.
    created: [...new Set(out.created)],
    destroyed: [...new Set(out.destroyed)],
    events: out.events,
  };
}

export type SeqrunReading =
  { readonly ok: false; readonly errors: readonly string[] } | { readonly ok: true; readonly model: MermaidModel };

/** seqrun's reading of a `.mmd` text: its errors (line:column code message), or the model of its diagram. */
export function seqrunRead(text: string): SeqrunReading {
  const result = parseText(text, { file: 'input.mmd' });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0)
    return { ok: false, errors: errors.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}`) };
  const diagram = result.diagrams[0];
  if (diagram?.dialect !== 'mermaid') throw new Error(`a .mmd text must give one mermaid diagram, got ${diagram?.dialect ?? 'none'}`);
  return { ok: true, model: modelOfDiagram(diagram) };
}
