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
  /** Where the participant first appeared (declaration or use). */
  readonly span: Span;
}

export type LineStyle = 'solid' | 'dashed';
export type ArrowHead = 'filled' | 'open';
export type NotePosition = 'left' | 'right' | 'over';

export interface ParticipantStatement {
  readonly kind: 'participant';
  readonly name: string;
  /** The alias from `participant Name as Alias`, else null. */
  readonly alias: string | null;
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
  readonly span: Span;
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

export type Statement = ParticipantStatement | TitleStatement | MessageStatement | NoteStatement | CommentStatement;

/** What seqrun executes: every message and note, in document order. */
export type Step = MessageStatement | NoteStatement;

export interface Diagram {
  /** The nearest heading for a Markdown fence (its slug selects it: `doc.md#slug`), null for a `.seq` file. */
  readonly name: string | null;
  /** The slug of `name`, used in `doc.md#slug` selectors; null for a `.seq` file. */
  readonly slug: string | null;
  readonly title: string | null;
  readonly participants: readonly Participant[];
  readonly statements: readonly Statement[];
  readonly steps: readonly Step[];
  /** The file the diagram came from and the span of its text (for a fence: its body lines). */
  readonly file: string;
  readonly span: Span;
}

export function isStep(s: Statement): s is Step {
  return s.kind === 'message' || s.kind === 'note';
}
