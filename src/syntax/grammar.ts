// The js-sequence-diagrams grammar as a Chevrotain parser with embedded actions. It only recognises
// structure: each rule returns the tokens that matter to it (a `ParsedStatement`), and
// src/syntax/build.ts reads those into the AST with the reference's reading rules. No CST is built:
// creating its nodes and visiting them cost about a fifth of parsing time.
import { EmbeddedActionsParser } from './chevrotain.ts';
import type { IToken } from 'chevrotain';
import {
  Actor,
  allTokens,
  Arrow,
  Comma,
  DotLine,
  LeftOf,
  Line,
  Message,
  NL,
  Note,
  OpenArrow,
  Over,
  Participant,
  RightOf,
  Title,
} from './tokens.ts';

/** What one statement was made of, by role. Only the syntax layer sees these. */
export type ParsedStatement =
  | { readonly kind: 'participant'; readonly keyword: IToken; readonly actor: IToken }
  | {
      readonly kind: 'signal';
      readonly from: IToken;
      readonly line: IToken;
      readonly head: IToken | undefined;
      readonly to: IToken;
      readonly message: IToken;
    }
  | {
      readonly kind: 'note';
      readonly keyword: IToken;
      readonly placement: IToken;
      readonly actors: readonly [IToken] | readonly [IToken, IToken];
      readonly comma: IToken | undefined;
      readonly message: IToken;
    }
  | { readonly kind: 'title'; readonly keyword: IToken; readonly message: IToken };

interface SignalType {
  readonly line: IToken;
  readonly head: IToken | undefined;
}

interface NoteForm {
  readonly placement: IToken;
  readonly actors: readonly [IToken] | readonly [IToken, IToken];
  readonly comma?: IToken;
}

export class SequenceParser extends EmbeddedActionsParser {
  /**
   * `validate`: run Chevrotain's grammar validations. They cost ~15 ms of every start and find only
   * mistakes in this file, so they run in the tests (src/syntax/grammar-validation.test.ts), not for users.
   */
  constructor(options: { readonly validate?: boolean } = {}) {
    // Recovery is ours (re-sync at line breaks, see parse.ts), so Chevrotain's stays off.
    super(allTokens, { recoveryEnabled: false, maxLookahead: 2, skipValidations: !options.validate });
    this.performSelfAnalysis();
  }

  // Alternatives are built once, not on every rule invocation: that allocation (and, under tsx,
  // the name it gives every arrow function) dominated parsing time.
  private readonly lineOrBreak = [
    {
      ALT: (): undefined => {
        this.CONSUME(NL);
        return undefined;
      },
    },
    { ALT: (): ParsedStatement => this.SUBRULE(this.statement) },
  ];
  private readonly statementKinds = [
    { ALT: (): ParsedStatement => this.SUBRULE(this.participantDeclaration) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.signal) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.noteStatement) },
    { ALT: (): ParsedStatement => this.SUBRULE(this.titleStatement) },
  ];
  private readonly lineStyles = [{ ALT: () => this.CONSUME(Line) }, { ALT: () => this.CONSUME(DotLine) }];
  private readonly arrowHeads = [{ ALT: () => this.CONSUME(Arrow) }, { ALT: () => this.CONSUME(OpenArrow) }];
  private readonly sides = [{ ALT: () => this.CONSUME(LeftOf) }, { ALT: () => this.CONSUME(RightOf) }];
  private readonly arrowHead = () => this.OR2(this.arrowHeads);
  private readonly secondActor = () => {
    const comma = this.CONSUME(Comma);
    return { comma, actor: this.CONSUME3(Actor) };
  };
  private readonly noteForms = [
    {
      ALT: (): NoteForm => {
        const placement = this.OR1(this.sides);
        return { placement, actors: [this.CONSUME1(Actor)] };
      },
    },
    {
      ALT: (): NoteForm => {
        const placement = this.CONSUME(Over);
        const actor = this.CONSUME2(Actor);
        const second = this.OPTION(this.secondActor);
        return second ? { placement, actors: [actor, second.actor], comma: second.comma } : { placement, actors: [actor] };
      },
    },
  ];
  /** The statements of the document being read (the parser reads one document at a time). */
  private documentStatements: ParsedStatement[] = [];
  private readonly documentLine = () => {
    const statement = this.OR(this.lineOrBreak);
    if (statement) this.documentStatements.push(statement);
  };

  /** document: (statement | NL)* EOF -- statements need no line break between them. */
  public readonly document = this.RULE('document', (): ParsedStatement[] => {
    const statements: ParsedStatement[] = [];
    this.documentStatements = statements;
    this.MANY(this.documentLine);
    return statements;
  });

  public readonly statement = this.RULE('statement', (): ParsedStatement => this.OR(this.statementKinds));

  /** 'participant' ACTOR -- the actor may read `Name as Alias`. */
  public readonly participantDeclaration = this.RULE('participantDeclaration', (): ParsedStatement => {
    const keyword = this.CONSUME(Participant);
    const actor = this.CONSUME(Actor);
    return { kind: 'participant', keyword, actor };
  });

  /** actor signaltype actor message */
  public readonly signal = this.RULE('signal', (): ParsedStatement => {
    const from = this.CONSUME1(Actor, { LABEL: 'from' });
    const { line, head } = this.SUBRULE(this.signalType);
    const to = this.CONSUME2(Actor, { LABEL: 'to' });
    const message = this.CONSUME(Message);
    return { kind: 'signal', from, line, head, to, message };
  });

  /** (LINE | DOTLINE) (ARROW | OPENARROW)? */
  public readonly signalType = this.RULE('signalType', (): SignalType => {
    const line = this.OR1(this.lineStyles);
    const head = this.OPTION(this.arrowHead);
    return { line, head };
  });

  /** 'note' ('left of' | 'right of') actor message | 'note' 'over' actor (',' actor)? message */
  public readonly noteStatement = this.RULE('noteStatement', (): ParsedStatement => {
    const keyword = this.CONSUME(Note);
    const { placement, actors, comma } = this.OR(this.noteForms);
    const message = this.CONSUME(Message);
    return { kind: 'note', keyword, placement, actors, comma, message };
  });

  /** 'title' MESSAGE (the lexer's title state makes the rest of the line the message). */
  public readonly titleStatement = this.RULE('titleStatement', (): ParsedStatement => {
    const keyword = this.CONSUME(Title);
    const message = this.CONSUME(Message);
    return { kind: 'title', keyword, message };
  });
}

/** The tokens a statement was made of, in source order (what the statement-by-statement reading cuts out). */
export function statementTokens(parsed: ParsedStatement): IToken[] {
  switch (parsed.kind) {
    case 'participant':
      return [parsed.keyword, parsed.actor];
    case 'signal':
      return parsed.head
        ? [parsed.from, parsed.line, parsed.head, parsed.to, parsed.message]
        : [parsed.from, parsed.line, parsed.to, parsed.message];
    case 'note': {
      const [first, second] = parsed.actors;
      return second && parsed.comma
        ? [parsed.keyword, parsed.placement, first, parsed.comma, second, parsed.message]
        : [parsed.keyword, parsed.placement, first, parsed.message];
    }
    case 'title':
      return [parsed.keyword, parsed.message];
  }
}

/** Built once: grammar analysis is the expensive part of a Chevrotain parser. */
export const sequenceParser = new SequenceParser();
