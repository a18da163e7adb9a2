// The js-sequence-diagrams grammar as a Chevrotain CstParser. It only recognises structure;
// src/syntax/build.ts turns the CST into the AST with the reference's reading rules.
import { CstParser } from './chevrotain.ts';
import type { CstNode } from 'chevrotain';
import {
  Actor, allTokens, Arrow, Comma, DotLine, LeftOf, Line, Message, NL, Note, OpenArrow, Over, Participant, RightOf, Title,
} from './tokens.ts';

export class SequenceParser extends CstParser {
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
  private readonly lineOrBreak = [{ ALT: () => this.CONSUME(NL) }, { ALT: () => this.SUBRULE(this.statement) }];
  private readonly statementKinds = [
    { ALT: () => this.SUBRULE(this.participantDeclaration) },
    { ALT: () => this.SUBRULE(this.signal) },
    { ALT: () => this.SUBRULE(this.noteStatement) },
    { ALT: () => this.SUBRULE(this.titleStatement) },
  ];
  private readonly lineStyles = [{ ALT: () => this.CONSUME(Line) }, { ALT: () => this.CONSUME(DotLine) }];
  private readonly arrowHeads = [{ ALT: () => this.CONSUME(Arrow) }, { ALT: () => this.CONSUME(OpenArrow) }];
  private readonly sides = [{ ALT: () => this.CONSUME(LeftOf) }, { ALT: () => this.CONSUME(RightOf) }];
  private readonly arrowHead = () => this.OR2(this.arrowHeads);
  private readonly secondActor = () => {
    this.CONSUME(Comma);
    this.CONSUME3(Actor);
  };
  private readonly noteForms = [
    {
      ALT: () => {
        this.OR1(this.sides);
        this.CONSUME1(Actor);
      },
    },
    {
      ALT: () => {
        this.CONSUME(Over);
        this.CONSUME2(Actor);
        this.OPTION(this.secondActor);
      },
    },
  ];
  private readonly documentLine = () => this.OR(this.lineOrBreak);

  /** document: (statement | NL)* EOF -- statements need no line break between them. */
  public readonly document = this.RULE('document', () => {
    this.MANY(this.documentLine);
  });

  public readonly statement = this.RULE('statement', () => {
    this.OR(this.statementKinds);
  });

  /** 'participant' ACTOR -- the actor may read `Name as Alias`. */
  public readonly participantDeclaration = this.RULE('participantDeclaration', () => {
    this.CONSUME(Participant);
    this.CONSUME(Actor);
  });

  /** actor signaltype actor message */
  public readonly signal = this.RULE('signal', () => {
    this.CONSUME1(Actor, { LABEL: 'from' });
    this.SUBRULE(this.signalType);
    this.CONSUME2(Actor, { LABEL: 'to' });
    this.CONSUME(Message);
  });

  /** (LINE | DOTLINE) (ARROW | OPENARROW)? */
  public readonly signalType = this.RULE('signalType', () => {
    this.OR1(this.lineStyles);
    this.OPTION(this.arrowHead);
  });

  /** 'note' ('left of' | 'right of') actor message | 'note' 'over' actor (',' actor)? message */
  public readonly noteStatement = this.RULE('noteStatement', () => {
    this.CONSUME(Note);
    this.OR(this.noteForms);
    this.CONSUME(Message);
  });

  /** 'title' MESSAGE (the lexer's title state makes the rest of the line the message). */
  public readonly titleStatement = this.RULE('titleStatement', () => {
    this.CONSUME(Title);
    this.CONSUME(Message);
  });
}

/** Built once: grammar analysis is the expensive part of a Chevrotain parser. */
export const sequenceParser = new SequenceParser();

export type { CstNode };
