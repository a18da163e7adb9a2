// The AST: plain immutable data produced by the syntax layer. Nothing here knows about tokens.

/** A point in the source file. `line` and `column` are 1-based; `offset` is a 0-based UTF-16 index. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Span {
  readonly start: Position;
  readonly end: Position;
}

/** A participant as the reference renderer sees it: `id` is what statements use (the alias), `label` what is drawn. */
export interface Participant {
  readonly id: string;
  readonly label: string;
  /** mermaid draws an `actor` as a stick figure; js-sequence has participants only. */
  readonly shape?: 'participant' | 'actor';
  /** Where the participant first appeared (declaration or use). */
  readonly span: Span;
}

/** Which language a diagram is written in: chosen by fence or extension, never guessed from content. */
export type Dialect = 'sequence' | 'mermaid';

export type LineStyle = 'solid' | 'dashed';
export type ArrowHead = 'filled' | 'open';
export type NotePosition = 'left' | 'right' | 'over';

export interface ParticipantStatement {
  readonly kind: 'participant';
  readonly name: string;
  /**
   * The alias from `participant Name as Alias`, else null. js-sequence: statements use the alias, the
   * name is drawn. mermaid (its own words): `participant A as Alice` has name `A`, what statements use,
   * and alias `Alice`, what is drawn.
   */
  readonly alias: string | null;
  /** mermaid only: `actor X` declares a stick figure; `create participant X` creates it mid-diagram. */
  readonly shape?: 'participant' | 'actor';
  readonly created?: boolean;
  /** mermaid only: the `@{ ... }` configuration object as written (drawing only), else absent. */
  readonly config?: string;
  readonly span: Span;
}

export interface TitleStatement {
  readonly kind: 'title';
  readonly text: string;
  readonly span: Span;
}

export interface MessageStatement {
  readonly kind: 'message';
  /** Participant ids. */
  readonly from: string;
  readonly to: string;
  readonly line: LineStyle;
  /** `-` and `--` without a head draw like `->` and `-->`, so they read as 'filled'. */
  readonly arrow: ArrowHead;
  /** True for `A-B` / `A--B`, kept so that fmt prints what the author wrote. */
  readonly headless: boolean;
  readonly text: string;
  /** mermaid only: the arrow as mermaid names it, and the `+`/`-` activation suffix. */
  readonly mermaid?: MermaidSignal;
  readonly span: Span;
}

/**
 * mermaid's arrows by meaning (SEMANTICS.md section 7): `->>`/`->` solid, `-->>`/`-->` dotted;
 * `-x` refused; `-)` async; `<<->>` call and reply in one step; 11.17's half arrows and central
 * connections are kept as written in `written`.
 */
export type MermaidArrow =
  | 'solid'
  | 'dotted'
  | 'solid-open'
  | 'dotted-open'
  | 'solid-cross'
  | 'dotted-cross'
  | 'solid-async'
  | 'dotted-async'
  | 'bidirectional-solid'
  | 'bidirectional-dotted'
  | 'half';

export interface MermaidSignal {
  readonly arrow: MermaidArrow;
  /** The arrow exactly as written, e.g. `-->>`, for fmt and for 11.17's newer arrows. */
  readonly written: string;
  /** `A->>+B` activates the target (B); `B-->>-A` deactivates the source (B). */
  readonly activation: 'activate-target' | 'deactivate-source' | null;
}

export interface NoteStatement {
  readonly kind: 'note';
  readonly position: NotePosition;
  readonly participants: readonly [string] | readonly [string, string];
  readonly text: string;
  readonly span: Span;
}

/** A `#` comment line; kept so that fmt never loses what the author wrote. */
export interface CommentStatement {
  readonly kind: 'comment';
  readonly text: string;
  readonly span: Span;
}

/** mermaid's control-flow and drawing blocks. `rect` is drawing only; the rest have run-time meaning. */
export type BlockKind = 'loop' | 'alt' | 'opt' | 'par' | 'par_over' | 'critical' | 'break' | 'rect';

/** The keyword that opens a section: the block's own, or `else` (alt), `and` (par), `option` (critical). */
export type SectionKeyword = BlockKind | 'else' | 'and' | 'option';

export interface BlockSection {
  readonly keyword: SectionKeyword;
  /** The text after the keyword (a loop's or condition's text, a rect's colour), '' when none. */
  readonly label: string;
  /** The header line (`alt x`, `else y`). */
  readonly span: Span;
  readonly statements: readonly Statement[];
}

/** A block from its opening line to its `end`; its sections in order (alt: the `else`s, par: the `and`s). */
export interface BlockStatement {
  readonly kind: 'block';
  readonly block: BlockKind;
  readonly sections: readonly BlockSection[];
  /** The `end` line. */
  readonly endSpan: Span;
  readonly span: Span;
}

/** A `box` groups participant declarations for drawing. */
export interface BoxStatement {
  readonly kind: 'box';
  /** The text after `box` as written (colour and label), '' when none. */
  readonly label: string;
  readonly statements: readonly Statement[];
  readonly span: Span;
}

/** `activate X` / `deactivate X`. */
export interface ActivationStatement {
  readonly kind: 'activation';
  readonly action: 'activate' | 'deactivate';
  readonly participant: string;
  readonly span: Span;
}

/** `autonumber`, `autonumber 10 5`, `autonumber off`. */
export interface AutonumberStatement {
  readonly kind: 'autonumber';
  readonly off: boolean;
  readonly start: number | null;
  readonly step: number | null;
  readonly span: Span;
}

/**
 * Drawing-only mermaid statements kept so that fmt prints them: `accTitle`, `accDescr` (one line or
 * `{ ... }`), `destroy X`, `link X: ...`, `links X: {...}`, `properties X: {...}`, `details X: ...`,
 * and `%%{init}%%` directives. `participant` is null for the accessibility statements and directives.
 */
export interface DrawingStatement {
  readonly kind: 'drawing';
  readonly keyword: 'accTitle' | 'accDescr' | 'destroy' | 'link' | 'links' | 'properties' | 'details' | 'directive';
  readonly participant: string | null;
  readonly text: string;
  readonly span: Span;
}

export type Statement =
  | ParticipantStatement
  | TitleStatement
  | MessageStatement
  | NoteStatement
  | CommentStatement
  | BlockStatement
  | BoxStatement
  | ActivationStatement
  | AutonumberStatement
  | DrawingStatement;

/** What seqrun executes: every message and note, in document order. */
export type Step = MessageStatement | NoteStatement;

export interface Diagram {
  readonly dialect: Dialect;
  /** mermaid only: the YAML front matter between `---` lines, as written (read and kept, never executed). */
  readonly frontMatter?: string;
  /** The nearest heading for a Markdown fence (its slug selects it: `doc.md#slug`), null for a `.seq` file. */
  readonly name: string | null;
  /** The slug of `name`, used in `doc.md#slug` selectors; null for a `.seq` file. */
  readonly slug: string | null;
  readonly title: string | null;
  readonly participants: readonly Participant[];
  /** Top-level statements; a mermaid block holds its own in its sections. */
  readonly statements: readonly Statement[];
  /** Every message and note in document order, those inside blocks included. */
  readonly steps: readonly Step[];
  /** The file the diagram came from and the span of its text (for a fence: its body lines). */
  readonly file: string;
  readonly span: Span;
}

export function isStep(s: Statement): s is Step {
  return s.kind === 'message' || s.kind === 'note';
}

/** Calls `visit` for every statement in document order, descending into blocks and boxes. */
export function forEachStatement(statements: readonly Statement[], visit: (statement: Statement) => void): void {
  for (const statement of statements) {
    visit(statement);
    if (statement.kind === 'block') for (const section of statement.sections) forEachStatement(section.statements, visit);
    else if (statement.kind === 'box') forEachStatement(statement.statements, visit);
  }
}
