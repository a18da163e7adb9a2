// mermaid's arrows by what they mean: the name mermaid's line types give them, and the js-sequence
// fields every message also carries (a dotted arrow is dashed, so it binds as a reply; `->` and `-->`
// have open heads). The half arrows are 'half', told apart by how they are written.
import type { IToken } from 'chevrotain';
import type { MermaidArrow } from '../../ast/types.ts';

export interface ArrowMeaning {
  readonly arrow: MermaidArrow;
  readonly dashed: boolean;
  readonly open: boolean;
}

const CLASSIC: Readonly<Record<string, ArrowMeaning>> = {
  solid: { arrow: 'solid', dashed: false, open: false },
  dotted: { arrow: 'dotted', dashed: true, open: false },
  solidOpen: { arrow: 'solid-open', dashed: false, open: true },
  dottedOpen: { arrow: 'dotted-open', dashed: true, open: true },
  solidCross: { arrow: 'solid-cross', dashed: false, open: false },
  dottedCross: { arrow: 'dotted-cross', dashed: true, open: false },
  solidPoint: { arrow: 'solid-async', dashed: false, open: false },
  dottedPoint: { arrow: 'dotted-async', dashed: true, open: false },
  bidirectionalSolid: { arrow: 'bidirectional-solid', dashed: false, open: false },
  bidirectionalDotted: { arrow: 'bidirectional-dotted', dashed: true, open: false },
};

export function arrowMeaning(token: IToken): ArrowMeaning {
  const name = token.tokenType.name.slice('MermaidArrow_'.length);
  return CLASSIC[name] ?? { arrow: 'half', dashed: name.includes('Dotted'), open: false };
}
