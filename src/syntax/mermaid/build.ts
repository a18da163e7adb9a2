// Parsed mermaid statements -> AST. Reads each statement as mermaid's parser actions and sequence
// database do (labels, entity codes, activations, create/destroy), nests blocks, and collects the
// steps (every message and note, blocks included) in document order.
import type { IToken } from 'chevrotain';
import type { BlockKind, MessageStatement, NoteStatement, Span, Statement, Step } from '../../ast/types.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import type { DiagnosticCode } from '../../diagnostics/catalogue.ts';
import type { LineIndex } from '../../diagnostics/lines.ts';
import { diagnostic } from '../diagnose.ts';
import { arrowMeaning } from './arrows.ts';
import { BlockStack } from './blocks.ts';
import type { ParsedStatement } from './grammar.ts';
import { ParticipantTable } from './participants.ts';
import { configFields, drawnText, messageText, participantName, splitConfig, splitDeclaration, tokenText } from './text.ts';
import { ActorKw, Central, IdAs, LeftOf, LegacyTitle, Minus, Plus, RightOf } from './tokens.ts';
import { readAcc, readActorText, readAutonumber } from './drawing.ts';

export interface MermaidSource {
  readonly file: string;
  readonly lines: LineIndex;
  /** Offset of the diagram body in the file: token offsets are relative to it. */
  readonly base: number;
}

const BLOCK_KINDS: Readonly<Record<string, BlockKind | 'box'>> = {
  Mermaid_loop: 'loop',
  Mermaid_alt: 'alt',
  Mermaid_opt: 'opt',
  Mermaid_par: 'par',
  Mermaid_par_over: 'par_over',
  Mermaid_critical: 'critical',
  Mermaid_break: 'break',
  Mermaid_rect: 'rect',
  Mermaid_box: 'box',
};

function end(token: IToken): number {
  return token.startOffset + token.image.trimEnd().length;
}

/** The keyword's text after the keyword itself, as mermaid's parseMessage reads it. */
function keywordRest(token: IToken): { word: string; label: string } {
  const word = /^\w+/.exec(token.image)?.[0] ?? '';
  return { word: word.toLowerCase(), label: messageText(token.image.slice(word.length)) };
}

export class MermaidReader {
  readonly diagnostics: Diagnostic[] = [];
  readonly participants = new ParticipantTable();
  readonly blocks = new BlockStack();
  readonly steps: Step[] = [];
  title: string | null = null;
  private boxes = 0;
  readonly source: MermaidSource;

  constructor(source: MermaidSource) {
    this.source = source;
  }

  span(start: number, stop: number): Span {
    return this.source.lines.span(this.source.base + start, this.source.base + stop);
  }

  tokenSpan(token: IToken): Span {
    return this.span(token.startOffset, end(token));
  }

  report(code: DiagnosticCode, message: string, span: Span | null, hint?: string): void {
    this.diagnostics.push(diagnostic(code, message, this.source.file, span, hint));
  }

  private add(statement: Statement): void {
    const inBox = this.blocks.innermost()?.kind === 'box';
    if (inBox && statement.kind !== 'participant' && !(statement.kind === 'drawing' && statement.keyword === 'destroy')) {
      this.report(
        'SEQ137',
        `a box holds participant declarations only; this ${statement.kind} statement cannot be inside it`,
        statement.span,
      );
    }
    this.blocks.add(statement);
  }

  statement(parsed: ParsedStatement): void {
    switch (parsed.kind) {
      case 'participant':
        return this.add(this.participant(parsed));
      case 'signal':
        return this.signal(parsed);
      case 'note':
        return this.note(parsed);
      case 'block':
        return this.openBlock(parsed.keyword);
      case 'section':
        return this.section(parsed.keyword);
      case 'end':
        return this.end(parsed.keyword);
      case 'title':
        return this.titleStatement(parsed.keyword);
      case 'acc':
        return this.add(readAcc(parsed.keyword, this.tokenSpan(parsed.keyword)));
      case 'autonumber':
        return this.add(readAutonumber(parsed.args, this.span(parsed.keyword.startOffset, end(parsed.args.at(-1) ?? parsed.keyword))));
      case 'actorText':
        return this.actorText(parsed);
      default:
        return this.idStatement(parsed);
    }
  }

  private participant(parsed: Extract<ParsedStatement, { kind: 'participant' }>) {
    const { create, keyword, name, config } = parsed;
    const declared = name.tokenType === IdAs ? splitDeclaration(name.image) : { name: participantName(name.image), label: null };
    const configured = config ? splitConfig(config.image) : null;
    const fields = configured ? configFields(configured.config) : { type: null, alias: null, error: null };
    if (fields.error !== null && config) {
      this.report('SEQ140', `the configuration of '${declared.name}' is not valid YAML: ${fields.error}`, this.tokenSpan(config));
    }
    let label = declared.label ?? configured?.label ?? null;
    if (fields.alias !== null && (label === null || label === declared.name)) label = fields.alias;
    const written = keyword.tokenType === ActorKw ? 'actor' : 'participant';
    const shape = fields.type === null ? written : fields.type === 'actor' ? 'actor' : 'participant';
    const last = config ?? name;
    const span = this.span((create ?? keyword).startOffset, end(last));
    if (create) this.created(declared.name, span);
    if (create && this.blocks.innermost()?.kind === 'box')
      this.report('SEQ137', "'create' cannot be inside a box: create the participant after the box", span);
    const box = this.blocks.innermost()?.kind === 'box' ? this.boxes : null;
    const nameEnd = name.startOffset + (name.tokenType === IdAs ? (/^\S+/.exec(name.image)?.[0].length ?? 0) : name.image.trimEnd().length);
    const note = this.participants.declare({ id: declared.name, label, shape, start: name.startOffset, end: nameEnd, box });
    if (note?.kind === 'two-boxes') this.report('SEQ137', `participant '${declared.name}' is already in another box`, span);
    if (note?.kind === 'relabelled') {
      this.report('SEQ222', `participant '${declared.name}' is relabelled from '${note.from}' to '${note.to}'`, span);
    }
    if (note?.kind === 'shape-kept') {
      this.report(
        'SEQ223',
        `'${declared.name}' already appeared, so mermaid keeps drawing it as ${note.shape === 'actor' ? 'an actor' : 'a participant'}`,
        span,
      );
    }
    const alias = declared.label ?? configured?.label ?? null;
    return Object.freeze({
      kind: 'participant' as const,
      name: declared.name,
      alias,
      shape: written,
      ...(create ? { created: true } : {}),
      ...(configured ? { config: configured.config } : {}),
      span,
    });
  }

  private created(id: string, span: Span): void {
    if (this.participants.byId.has(id)) {
      const hint = 'Give the new participant another id and the same label: `create participant B2 as B`.';
      this.report('SEQ132', `'${id}' already exists; mermaid cannot create a participant with the same id`, span, hint);
    }
    this.participants.lastCreated = id;
  }

  private idStatement(parsed: Extract<ParsedStatement, { kind: 'destroy' | 'activate' | 'deactivate' }>): void {
    const id = participantName(parsed.name.image);
    const span = this.span(parsed.keyword.startOffset, end(parsed.name));
    if (parsed.kind === 'destroy') {
      this.participants.lastDestroyed = id;
      return this.add(Object.freeze({ kind: 'drawing', keyword: 'destroy', participant: id, text: '', span }));
    }
    if (parsed.kind === 'activate') this.participants.activate(id);
    else if (!this.participants.deactivate(id)) this.inactive(id, span);
    this.add(Object.freeze({ kind: 'activation', action: parsed.kind, participant: id, span }));
  }

  private inactive(id: string, span: Span): void {
    this.report(
      'SEQ131',
      `'${id}' is not active here, so it cannot be deactivated (mermaid: "Trying to inactivate an inactive participant (${id})")`,
      span,
    );
  }

  private actor(token: IToken): string {
    const id = participantName(token.image);
    this.participants.use(id, token.startOffset, end(token));
    return id;
  }

  private signal(parsed: Extract<ParsedStatement, { kind: 'signal' }>): void {
    const from = this.actor(parsed.from);
    const to = this.actor(parsed.to);
    const meaning = arrowMeaning(parsed.arrow);
    const span = this.span(parsed.from.startOffset, end(parsed.text));
    const pending = this.participants.checkMessage(from, to);
    if (pending) this.report(pending.code, pending.message, span);
    const after = parsed.after;
    const activation = after?.tokenType === Plus ? 'activate-target' : after?.tokenType === Minus ? 'deactivate-source' : null;
    const written = `${parsed.before ? '()' : ''}${parsed.arrow.image}${after?.tokenType === Central ? '()' : ''}`;
    const message: MessageStatement = Object.freeze({
      kind: 'message',
      from,
      to,
      line: meaning.dashed ? 'dashed' : 'solid',
      arrow: meaning.open ? 'open' : 'filled',
      headless: false,
      text: this.text(parsed.text),
      mermaid: Object.freeze({ arrow: meaning.arrow, written, activation }),
      span,
    });
    if (activation === 'activate-target') this.participants.activate(to);
    if (activation === 'deactivate-source' && !this.participants.deactivate(from)) this.inactive(from, span);
    this.steps.push(message);
    this.add(message);
  }

  private note(parsed: Extract<ParsedStatement, { kind: 'note' }>): void {
    const position = parsed.placement.tokenType === LeftOf ? 'left' : parsed.placement.tokenType === RightOf ? 'right' : 'over';
    const [first, second] = parsed.names.map((token) => this.actor(token));
    const participants: readonly [string] | readonly [string, string] = second === undefined ? [first ?? ''] : [first ?? '', second];
    const note: NoteStatement = Object.freeze({
      kind: 'note',
      position,
      participants: Object.freeze(participants),
      text: this.text(parsed.text),
      span: this.span(parsed.keyword.startOffset, end(parsed.text)),
    });
    this.steps.push(note);
    this.add(note);
  }

  /** A message's or note's text; `%%` in it is text in mermaid, not a comment (a warning). */
  private text(token: IToken): string {
    if (token.image.includes('%%')) {
      this.report(
        'SEQ227',
        "'%%' inside a text is part of the text in mermaid, not a comment: put the comment on its own line",
        this.tokenSpan(token),
      );
    }
    return tokenText(token.image);
  }

  private actorText(parsed: Extract<ParsedStatement, { kind: 'actorText' }>): void {
    const id = this.actor(parsed.name);
    this.add(readActorText(parsed.keyword, id, parsed.text, this.span(parsed.keyword.startOffset, end(parsed.text))));
  }

  private openBlock(token: IToken): void {
    const kind = BLOCK_KINDS[token.tokenType.name] ?? 'loop';
    const { label } = keywordRest(token);
    const span = this.tokenSpan(token);
    const inBox = this.blocks.innermost()?.kind === 'box';
    if (inBox) this.report('SEQ137', `a box holds participant declarations only; a '${kind}' cannot be inside it`, span);
    if (kind !== 'box') return this.blocks.openBlock(kind, label, span);
    this.boxes++;
    this.blocks.openBox(token.image.slice(3).trim(), span);
  }

  private section(token: IToken): void {
    const { word, label } = keywordRest(token);
    const keyword = word === 'else' ? 'else' : word === 'and' ? 'and' : 'option';
    const result = this.blocks.section(keyword, label, this.tokenSpan(token));
    if (result.ok) return;
    const owner = keyword === 'else' ? "'alt'" : keyword === 'and' ? "'par' or 'par_over'" : "'critical'";
    const inner = result.innermost;
    const where = inner === undefined ? 'outside any block' : `inside ${inner.kind === 'box' ? "a 'box'" : `a '${inner.block}' block`}`;
    this.report('SEQ129', `'${keyword}' continues an ${owner} block, but it is ${where}`, this.tokenSpan(token));
  }

  private end(token: IToken): void {
    if (this.blocks.close(this.tokenSpan(token))) return;
    // `End User->>B: x` is the keyword `end`, then `User->>B: x`, in mermaid: say so.
    const after = this.source.lines.text.slice(this.source.base + end(token), this.source.base + end(token) + 80).split('\n')[0] ?? '';
    const hint = /\S/.test(after)
      ? `'${token.image}' is mermaid's keyword 'end' (keywords ignore case); a participant name cannot start with it: rename it or write #69;${token.image.slice(1)}`
      : undefined;
    this.report('SEQ130', "'end' closes no block: no block or box is open here", this.tokenSpan(token), hint);
  }

  private titleStatement(token: IToken): void {
    // As mermaid: the text after `title ` or `title: `, spaces kept.
    const text = drawnText(token.image.slice(token.tokenType === LegacyTitle ? 7 : 6));
    if (this.title !== null) this.report('SEQ224', `the title '${this.title}' is replaced by a later one`, this.tokenSpan(token));
    if (/^title:?\s*\n/i.test(token.image)) {
      this.report('SEQ226', `'title' ends its line, so mermaid takes the next line as the title: '${text.trim()}'`, this.tokenSpan(token));
    }
    this.title = text;
    this.add(Object.freeze({ kind: 'title', text, span: this.tokenSpan(token) }));
  }

  /** Reports what is still open when the diagram ends; their AST nodes end there. */
  finish(at: Span): Statement[] {
    for (const open of this.blocks.closeAll(at)) {
      const what = open.kind === 'box' ? "'box'" : `'${open.block}' block`;
      this.report('SEQ128', `this ${what} is never closed: add 'end' after its last statement`, open.span);
    }
    return this.blocks.top;
  }
}
