// The nesting of mermaid's blocks: statements go into the innermost open block section (or box);
// `else`, `and` and `option` open a new section of their own block kind only; `end` closes the
// innermost. What is still open at the end of the diagram is reported at its opening line.
import type { BlockKind, BlockSection, SectionKeyword, Span, Statement } from '../../ast/types.ts';

/** The block kinds each section keyword may continue. */
const SECTION_OF: Readonly<Record<'else' | 'and' | 'option', readonly BlockKind[]>> = {
  else: ['alt'],
  and: ['par', 'par_over'],
  option: ['critical'],
};

interface OpenSection {
  readonly keyword: SectionKeyword;
  readonly label: string;
  readonly span: Span;
  readonly statements: Statement[];
}

export type OpenContainer =
  | { readonly kind: 'block'; readonly block: BlockKind; readonly span: Span; readonly sections: OpenSection[] }
  | { readonly kind: 'box'; readonly label: string; readonly span: Span; readonly statements: Statement[] };

export type SectionResult = { readonly ok: true } | { readonly ok: false; readonly innermost: OpenContainer | undefined };

export class BlockStack {
  readonly top: Statement[] = [];
  private readonly open: OpenContainer[] = [];

  /** The statements list new statements go to. */
  private current(): Statement[] {
    const inner = this.open[this.open.length - 1];
    if (!inner) return this.top;
    if (inner.kind === 'box') return inner.statements;
    return (inner.sections[inner.sections.length - 1] as OpenSection).statements;
  }

  add(statement: Statement): void {
    this.current().push(statement);
  }

  /** The innermost open block or box, if any. */
  innermost(): OpenContainer | undefined {
    return this.open[this.open.length - 1];
  }

  openBlock(block: BlockKind, label: string, span: Span): void {
    this.open.push({ kind: 'block', block, span, sections: [{ keyword: block, label, span, statements: [] }] });
  }

  openBox(label: string, span: Span): void {
    this.open.push({ kind: 'box', label, span, statements: [] });
  }

  /** A new section of the innermost block, if that block takes `keyword`. */
  section(keyword: 'else' | 'and' | 'option', label: string, span: Span): SectionResult {
    const inner = this.innermost();
    if (!inner || inner.kind !== 'block' || !SECTION_OF[keyword].includes(inner.block)) return { ok: false, innermost: inner };
    inner.sections.push({ keyword, label, span, statements: [] });
    return { ok: true };
  }

  /** Closes the innermost block or box at `end`; false when nothing is open. */
  close(endSpan: Span): boolean {
    const inner = this.open.pop();
    if (!inner) return false;
    const span = { start: inner.span.start, end: endSpan.end };
    if (inner.kind === 'box') {
      this.add(Object.freeze({ kind: 'box', label: inner.label, statements: Object.freeze(inner.statements), span }));
      return true;
    }
    const sections: BlockSection[] = inner.sections.map((s) =>
      Object.freeze({ keyword: s.keyword, label: s.label, span: s.span, statements: Object.freeze(s.statements) }),
    );
    this.add(Object.freeze({ kind: 'block', block: inner.block, sections: Object.freeze(sections), endSpan, span }));
    return true;
  }

  /** Closes whatever is still open (innermost first) and returns it, for the unclosed-block errors. */
  closeAll(at: Span): OpenContainer[] {
    const unclosed = [...this.open].reverse();
    while (this.open.length > 0) this.close(at);
    return unclosed;
  }
}
