// mermaid's sequenceDiagram statements as a Chevrotain parser with embedded actions. It reads ONE
// statement (src/syntax/mermaid/parse.ts cuts the token stream at line breaks and block keywords),
// so that a broken line yields one diagnostic and reading goes on. Blocks are nested by the builder
// from their opening, section and `end` statements. Each rule returns the tokens that matter to it.
import { EmbeddedActionsParser } from '../chevrotain.ts';
import type { IToken } from 'chevrotain';
import {
  AccDescr,
  AccDescrBlock,
  AccTitle,
  Activate,
  ActorKw,
  allMermaidTokens,
  Arrow,
  Autonumber,
  BlockOpen,
  Central,
  Comma,
  Config,
  ConfigAs,
  Create,
  Deactivate,
  Destroy,
  Details,
  End,
  IdAs,
  IdBeforeConfig,
  IdName,
  Invalid,
  LeftOf,
  LegacyTitle,
  Link,
  Links,
  Minus,
  Name,
  NL,
  Note,
  Num,
  Off,
  Over,
  ParticipantKw,
  Plus,
  Properties,
  RightOf,
  SectionOpen,
  Text,
  Title,
} from './tokens.ts';

export type ParsedStatement =
  | {
      readonly kind: 'participant';
      readonly create: IToken | undefined;
      readonly keyword: IToken;
      readonly name: IToken;
      readonly config: IToken | undefined;
    }
  | { readonly kind: 'destroy' | 'activate' | 'deactivate'; readonly keyword: IToken; readonly name: IToken }
  | { readonly kind: 'block' | 'section' | 'end' | 'title' | 'acc'; readonly keyword: IToken }
  | {
      readonly kind: 'signal';
      readonly from: IToken;
      readonly before: IToken | undefined;
      readonly arrow: IToken;
      readonly after: IToken | undefined;
      readonly to: IToken;
      readonly text: IToken;
    }
  | { readonly kind: 'autonumber'; readonly keyword: IToken; readonly args: readonly IToken[] }
  | {
      readonly kind: 'note';
      readonly keyword: IToken;
      readonly placement: IToken;
      readonly names: readonly IToken[];
      readonly text: IToken;
    }
  | { readonly kind: 'actorText'; readonly keyword: IToken; readonly name: IToken; readonly text: IToken };

/** A statement, or a character mermaid skips where a statement could start (jison's `line: INVALID`). */
export type DocumentItem = ParsedStatement | { readonly kind: 'ignored'; readonly keyword: IToken };

/** The first token of a statement (where it starts, for the comments before it). */
export function firstToken(item: DocumentItem): IToken {
  switch (item.kind) {
    case 'participant':
      return item.create ?? item.keyword;
    case 'signal':
      return item.from;
    default:
      return item.keyword;
  }
}

export class MermaidParser extends EmbeddedActionsParser {
  constructor(options: { readonly validate?: boolean } = {}) {
    super(allMermaidTokens, { recoveryEnabled: false, maxLookahead: 2, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  private readonly kinds = [
    { ALT: (): ParsedStatement => this.SUBRULE(this.participant) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.idStatement) },
    { ALT: (): ParsedStatement => ({ kind: 'block', keyword: this.CONSUME(BlockOpen) }) },
    { ALT: (): ParsedStatement => ({ kind: 'section', keyword: this.CONSUME(SectionOpen) }) },
    { ALT: (): ParsedStatement => ({ kind: 'end', keyword: this.CONSUME(End) }) },
    { ALT: (): ParsedStatement => ({ kind: 'title', keyword: this.CONSUME(Title) }) },
    { ALT: (): ParsedStatement => ({ kind: 'title', keyword: this.CONSUME(LegacyTitle) }) },
    { ALT: (): ParsedStatement => ({ kind: 'acc', keyword: this.CONSUME(AccTitle) }) },
    { ALT: (): ParsedStatement => ({ kind: 'acc', keyword: this.CONSUME(AccDescr) }) },
    { ALT: (): ParsedStatement => ({ kind: 'acc', keyword: this.CONSUME(AccDescrBlock) }) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.signal) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.autonumber) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.note) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.actorText) },
  ];

  public readonly statement = this.RULE('statement', (): ParsedStatement => this.OR(this.kinds));

  /** The items of the document being read (the parser reads one document at a time). */
  private items: DocumentItem[] = [];
  private readonly lines = [
    {
      ALT: () => {
        this.CONSUME(NL);
      },
    },
    {
      ALT: () => {
        this.items.push({ kind: 'ignored', keyword: this.CONSUME(Invalid) });
      },
    },
    {
      ALT: () => {
        this.items.push(this.SUBRULE(this.statement));
      },
    },
  ];
  private readonly line = () => this.OR(this.lines);

  /**
   * document: (statement | NL | INVALID)* -- the statements of a whole diagram in one go, which accepts
   * exactly what reading statement by statement accepts (a test holds the two together); reading
   * goes statement by statement only when this finds an error.
   */
  public readonly document = this.RULE('document', (): DocumentItem[] => {
    const items: DocumentItem[] = [];
    this.items = items;
    this.MANY(this.line);
    return items;
  });

  private readonly shapes = [{ ALT: () => this.CONSUME(ParticipantKw) }, { ALT: () => this.CONSUME(ActorKw) }];
  private readonly configs = [{ ALT: () => this.CONSUME(Config) }, { ALT: () => this.CONSUME(ConfigAs) }];
  private readonly declaredNames = [
    { ALT: () => ({ name: this.CONSUME(IdName), config: undefined }) },
    { ALT: () => ({ name: this.CONSUME(IdAs), config: undefined }) },
    { ALT: () => ({ name: this.CONSUME(IdBeforeConfig), config: this.OR2(this.configs) }) },
  ];

  /** ('create')? ('participant' | 'actor') NAME ('@{...}')? ('as' LABEL)? NL */
  public readonly participant = this.RULE('participant', (): ParsedStatement => {
    const create = this.OPTION(() => this.CONSUME(Create));
    const keyword = this.OR1(this.shapes);
    const { name, config } = this.OR3(this.declaredNames);
    this.CONSUME(NL);
    return { kind: 'participant', create, keyword, name, config };
  });

  private readonly idKeywords = [
    { ALT: () => ({ kind: 'destroy' as const, keyword: this.CONSUME(Destroy) }) },
    { ALT: () => ({ kind: 'activate' as const, keyword: this.CONSUME(Activate) }) },
    { ALT: () => ({ kind: 'deactivate' as const, keyword: this.CONSUME(Deactivate) }) },
  ];

  /** ('destroy' | 'activate' | 'deactivate') NAME NL */
  public readonly idStatement = this.RULE('idStatement', (): ParsedStatement => {
    const { kind, keyword } = this.OR(this.idKeywords);
    const name = this.CONSUME(IdName);
    this.CONSUME(NL);
    return { kind, keyword, name };
  });

  private readonly suffixes = [
    { ALT: () => this.CONSUME(Plus) },
    { ALT: () => this.CONSUME(Minus) },
    { ALT: () => this.CONSUME2(Central) },
  ];
  private readonly connections = [
    {
      ALT: () => {
        const before = this.CONSUME1(Central);
        const arrow = this.CONSUME1(Arrow);
        return { before, arrow, after: this.OPTION1(() => this.CONSUME3(Central)) };
      },
    },
    {
      ALT: () => {
        const arrow = this.CONSUME2(Arrow);
        return { before: undefined, arrow, after: this.OPTION2(() => this.OR2(this.suffixes)) };
      },
    },
  ];

  /** NAME '()'? ARROW ('+' | '-' | '()')? NAME TEXT NL; after a leading '()' only '()' may follow the arrow. */
  public readonly signal = this.RULE('signal', (): ParsedStatement => {
    const from = this.CONSUME1(Name);
    const { before, arrow, after } = this.OR1(this.connections);
    const to = this.CONSUME2(Name);
    const text = this.CONSUME(Text);
    this.CONSUME(NL);
    return { kind: 'signal', from, before, arrow, after, to, text };
  });

  private readonly numbering = [
    {
      ALT: () => {
        const start = this.CONSUME1(Num);
        const step = this.OPTION2(() => this.CONSUME2(Num));
        return step ? [start, step] : [start];
      },
    },
    { ALT: () => [this.CONSUME(Off)] },
  ];

  /** 'autonumber' (NUM NUM? | 'off')? NL */
  public readonly autonumber = this.RULE('autonumber', (): ParsedStatement => {
    const keyword = this.CONSUME(Autonumber);
    const args = this.OPTION1(() => this.OR(this.numbering)) ?? [];
    this.CONSUME(NL);
    return { kind: 'autonumber', keyword, args };
  });

  private readonly placements = [
    { ALT: () => ({ placement: this.CONSUME(LeftOf), names: [this.CONSUME1(Name)] }) },
    { ALT: () => ({ placement: this.CONSUME(RightOf), names: [this.CONSUME2(Name)] }) },
    {
      ALT: () => {
        const placement = this.CONSUME(Over);
        const first = this.CONSUME3(Name);
        const second = this.OPTION(() => {
          this.CONSUME(Comma);
          return this.CONSUME4(Name);
        });
        return { placement, names: second ? [first, second] : [first] };
      },
    },
  ];

  /** 'note' ('left of' | 'right of') NAME TEXT NL | 'note' 'over' NAME (',' NAME)? TEXT NL */
  public readonly note = this.RULE('note', (): ParsedStatement => {
    const keyword = this.CONSUME(Note);
    const { placement, names } = this.OR(this.placements);
    const text = this.CONSUME(Text);
    this.CONSUME(NL);
    return { kind: 'note', keyword, placement, names, text };
  });

  private readonly actorKeywords = [
    { ALT: () => this.CONSUME(Links) },
    { ALT: () => this.CONSUME(Link) },
    { ALT: () => this.CONSUME(Properties) },
    { ALT: () => this.CONSUME(Details) },
  ];

  /** ('links' | 'link' | 'properties' | 'details') NAME TEXT NL */
  public readonly actorText = this.RULE('actorText', (): ParsedStatement => {
    const keyword = this.OR(this.actorKeywords);
    const name = this.CONSUME(Name);
    const text = this.CONSUME(Text);
    this.CONSUME(NL);
    return { kind: 'actorText', keyword, name, text };
  });
}

/** Built once: grammar analysis is the expensive part of a Chevrotain parser. */
export const mermaidParser = new MermaidParser();
