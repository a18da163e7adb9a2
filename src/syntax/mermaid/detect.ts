// Which mermaid diagram a text holds, as mermaid's detector decides it: the first word after the
// front matter, `%%{...}%%` directives, `%%` comments and blank lines (`sequenceDiagram`, `flowchart`...).
import { frontMatter } from './front-matter.ts';

const DIRECTIVE = /%{2}\{\s*(?:(\w+)\s*:|(\w+))\s*(?:(\w+)|((?:(?!\}%{2}).|\r?\n)*))?\s*(?:\}%{2})?/giy;

/** The diagram type word (`sequenceDiagram`, `flowchart`, ...), or null for an empty text. */
export function mermaidDiagramType(body: string): string | null {
  let at = frontMatter(body).start;
  while (at < body.length) {
    const code = body.charCodeAt(at);
    if (code === 32 || code === 9 || code === 10 || code === 13) {
      at++;
      continue;
    }
    if (body.startsWith('%%', at)) {
      DIRECTIVE.lastIndex = at;
      if (body.startsWith('%%{', at) && DIRECTIVE.exec(body)) at = DIRECTIVE.lastIndex;
      else at = lineEnd(body, at);
      continue;
    }
    // mermaid's detector tests /^\s*sequenceDiagram/: a prefix (`sequenceDiagram%` is one, and lexes).
    if (body.startsWith('sequenceDiagram', at)) return 'sequenceDiagram';
    return /^[^\s;:{]+/.exec(body.slice(at, at + 64))?.[0] ?? null;
  }
  return null;
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from);
  return newline < 0 ? text.length : newline;
}

/** True when the text is a mermaid sequence diagram (mermaid's detector is case-sensitive). */
export function isMermaidSequence(body: string): boolean {
  return mermaidDiagramType(body) === 'sequenceDiagram';
}

/**
 * True when a text meant as js-sequence is plainly a mermaid sequence diagram: its first word is
 * `sequenceDiagram` itself (not a participant such as `sequenceDiagram->B: x`), for SEQ006.
 */
export function looksLikeMermaidSequence(body: string): boolean {
  if (!isMermaidSequence(body)) return false;
  const at = body.indexOf('sequenceDiagram') + 'sequenceDiagram'.length;
  return !/^[-\w>:,]/.test(body.charAt(at));
}
