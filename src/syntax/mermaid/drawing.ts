// mermaid statements that only change the drawing: accessibility texts, autonumber, links and
// properties. Read into AST nodes so that fmt can print them back.
import type { IToken } from 'chevrotain';
import type { AutonumberStatement, DrawingStatement, Span } from '../../ast/types.ts';
import { tokenText } from './text.ts';
import { AccDescrBlock, AccTitle, Details, Link, Links, Off } from './tokens.ts';

/** `accTitle: x`, `accDescr: x`, `accDescr { ... }`: the text trimmed, as mermaid keeps it. */
export function readAcc(token: IToken, span: Span): DrawingStatement {
  const image = token.image;
  let text: string;
  if (token.tokenType === AccDescrBlock) text = image.slice(image.indexOf('{') + 1, image.lastIndexOf('}')).trim();
  else text = image.slice(image.indexOf(':') + 1).trim();
  return Object.freeze({ kind: 'drawing', keyword: token.tokenType === AccTitle ? 'accTitle' : 'accDescr', participant: null, text, span });
}

/** `link A: label @ url`, `links A: {...}`, `properties A: {...}`, `details A: id`. */
export function readActorText(keyword: IToken, participant: string, text: IToken, span: Span): DrawingStatement {
  const type = keyword.tokenType;
  const word = type === Links ? 'links' : type === Link ? 'link' : type === Details ? 'details' : 'properties';
  return Object.freeze({ kind: 'drawing', keyword: word, participant, text: tokenText(text.image), span });
}

/** `autonumber`, `autonumber 10`, `autonumber 10 5`, `autonumber off`. */
export function readAutonumber(args: readonly IToken[], span: Span): AutonumberStatement {
  const [first, second] = args;
  if (first?.tokenType === Off) return Object.freeze({ kind: 'autonumber', off: true, start: null, step: null, span });
  return Object.freeze({
    kind: 'autonumber',
    off: false,
    start: first ? Number(first.image) : null,
    step: second ? Number(second.image) : null,
    span,
  });
}

/** A directive's text as written (`%%{init: ...}%%`): kept, never executed. */
export function readDirective(token: IToken, span: Span): DrawingStatement {
  return Object.freeze({ kind: 'drawing', keyword: 'directive', participant: null, text: token.image.trim(), span });
}
