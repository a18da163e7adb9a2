// "Did you mean": the registered expression closest to an undefined step's text, when it is close
// enough to be a typo or a re-wording (a changed word, a plural) rather than a different step.
import { distance } from '../diagnostics/suggest.ts';
import type { Handler, HandlerKind } from './types.ts';

/** An expression's text as a step would read it: parameters as their names (`{arch}` stays `{arch}`). */
const expressionText = (handler: Handler): string | null => (typeof handler.expression === 'string' ? handler.expression : null);

/**
 * The handler of `kind` whose expression is nearest to `text`, if within a fifth of the text's length
 * (at least 2 edits); ties go to the first registered. Only string expressions are compared.
 */
export function nearestHandler(kind: HandlerKind, text: string, handlers: readonly Handler[]): Handler | undefined {
  const wanted = text.toLowerCase();
  const limit = Math.max(2, Math.floor(text.length / 5));
  let best: { handler: Handler; d: number } | undefined;
  for (const handler of handlers) {
    const expression = expressionText(handler);
    if (handler.kind !== kind || expression === null || Math.abs(expression.length - text.length) > limit) continue;
    const d = distance(wanted, expression.toLowerCase());
    if (d <= limit && (best === undefined || d < best.d)) best = { handler, d };
  }
  return best?.handler;
}
