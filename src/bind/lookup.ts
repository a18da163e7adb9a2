// The lookup index: handlers bucketed by kind and participant filter, then by the literal text their
// expression must start with (a character trie), then by the last character of the literal text it
// must end with. A step only tries the expressions whose literal prefix is a prefix of its text and
// whose literal suffix ends like it, instead of every expression of the project.
import type { Handler, HandlerKind } from './types.ts';

/** The names a step's participants go by (id and label), per role. */
export interface StepParticipants {
  readonly from?: readonly string[];
  readonly to?: readonly string[];
  /** For notes: every name of every participant the note is about. */
  readonly over?: readonly string[];
}

/** The bucket key of "no filter"; participant names never contain NUL. */
const ANY = '\u0000';

interface TrieNode {
  /** Edges by their label's first character; labels are compressed runs of characters. */
  readonly edges: Map<string, { label: string; node: TrieNode }>;
  /** Entries whose expression may end with any character (no literal suffix). */
  readonly entries: number[];
  /**
   * Entries by the last character of their literal suffix: a step text ending otherwise cannot match
   * them, so many expressions sharing a prefix ("Push {string} for component-N") are not tried at all.
   */
  readonly byLastChar: Map<string, number[]>;
}

const newNode = (): TrieNode => ({ edges: new Map(), entries: [], byLastChar: new Map() });

function commonLength(a: string, b: string, from: number): number {
  let n = 0;
  while (n < a.length && from + n < b.length && a.charCodeAt(n) === b.charCodeAt(from + n)) n++;
  return n;
}

/**
 * A radix trie of literal prefixes; `collect(text)` yields the entries whose prefix starts `text` and
 * whose literal suffix, if any, ends with the same character as `text`.
 */
class PrefixTrie {
  private readonly root = newNode();

  add(prefix: string, entry: number, suffix = ''): void {
    let node = this.root;
    let pos = 0;
    while (pos < prefix.length) {
      const first = prefix.charAt(pos);
      const edge = node.edges.get(first);
      if (!edge) {
        const leaf = newNode();
        node.edges.set(first, { label: prefix.slice(pos), node: leaf });
        node = leaf;
        break;
      }
      const common = commonLength(edge.label, prefix, pos);
      if (common < edge.label.length) {
        // Split the edge where the new prefix leaves it.
        const middle = newNode();
        middle.edges.set(edge.label.charAt(common), { label: edge.label.slice(common), node: edge.node });
        edge.label = edge.label.slice(0, common);
        edge.node = middle;
      }
      node = edge.node;
      pos += common;
    }
    if (suffix === '') node.entries.push(entry);
    else {
      const last = suffix.charAt(suffix.length - 1);
      const entries = node.byLastChar.get(last);
      if (entries) entries.push(entry);
      else node.byLastChar.set(last, [entry]);
    }
  }

  collect(text: string, into: number[]): void {
    let node = this.root;
    let pos = 0;
    const last = text.charAt(text.length - 1);
    for (;;) {
      for (const entry of node.entries) into.push(entry);
      const ending = node.byLastChar.size === 0 ? undefined : node.byLastChar.get(last);
      if (ending) for (const entry of ending) into.push(entry);
      const edge = node.edges.get(text.charAt(pos));
      if (!edge || !text.startsWith(edge.label, pos)) return;
      pos += edge.label.length;
      node = edge.node;
    }
  }
}

/** kind -> first participant key (from, or over) -> second key (to, or ANY) -> trie. */
type Buckets = Map<HandlerKind, Map<string, Map<string, PrefixTrie>>>;

function keysOf(handler: Handler): [string, string] {
  if (handler.kind === 'call' || handler.kind === 'reply') return [handler.filter.from ?? ANY, handler.filter.to ?? ANY];
  return [handler.filter.over ?? ANY, ANY];
}

const distinct = (names: readonly string[] | undefined): readonly string[] | undefined =>
  names && names.length > 1 ? [...new Set(names)] : names;

export class HandlerIndex {
  private readonly buckets: Buckets = new Map();

  /**
   * `prefixOf(i)` / `suffixOf(i)` are the literal texts handler `i`'s expression must start / end with
   * ('' when unknown).
   */
  constructor(handlers: readonly Handler[], prefixOf: (index: number) => string, suffixOf: (index: number) => string = () => '') {
    handlers.forEach((handler, index) => {
      const [first, second] = keysOf(handler);
      let byFirst = this.buckets.get(handler.kind);
      if (!byFirst) this.buckets.set(handler.kind, (byFirst = new Map()));
      let bySecond = byFirst.get(first);
      if (!bySecond) byFirst.set(first, (bySecond = new Map()));
      let trie = bySecond.get(second);
      if (!trie) bySecond.set(second, (trie = new PrefixTrie()));
      trie.add(prefixOf(index), index, suffixOf(index));
    });
  }

  /**
   * The tries a step of `kind` with these participants looks in. A diagram has few participant pairs
   * and bind hands the same `participants` object to every step of a pair, so this is computed once
   * per pair and kind, not once per step. A Map (faster to look up than a WeakMap), emptied when it
   * grows past a few diagrams' pairs so that callers passing fresh objects every time do not fill it.
   */
  private readonly triesSeen = new Map<StepParticipants, Map<HandlerKind, readonly PrefixTrie[]>>();

  private triesFor(kind: HandlerKind, participants: StepParticipants): readonly PrefixTrie[] {
    let byKind = this.triesSeen.get(participants);
    if (!byKind) {
      if (this.triesSeen.size >= 1024) this.triesSeen.clear();
      this.triesSeen.set(participants, (byKind = new Map()));
    }
    const known = byKind.get(kind);
    if (known) return known;
    const tries: PrefixTrie[] = [];
    const byFirst = this.buckets.get(kind);
    if (byFirst) {
      const isMessage = kind === 'call' || kind === 'reply';
      const firsts = [ANY, ...(distinct(isMessage ? participants.from : participants.over) ?? [])];
      const seconds = [ANY, ...(distinct(isMessage ? participants.to : undefined) ?? [])];
      for (const first of firsts) {
        for (const second of seconds) {
          const trie = byFirst.get(first)?.get(second);
          if (trie) tries.push(trie);
        }
      }
    }
    byKind.set(kind, tries);
    return tries;
  }

  /**
   * Indexes of the handlers that may match the step, in trie order (not registration order: the
   * caller puts the few that match back in order, which is cheaper than sorting every candidate).
   */
  candidates(kind: HandlerKind, participants: StepParticipants, text: string): number[] {
    const found: number[] = [];
    const tries = this.triesFor(kind, participants);
    for (let i = 0; i < tries.length; i++) (tries[i] as PrefixTrie).collect(text, found);
    return found;
  }
}

/** The literal prefix of a RegExp (conservative: '' unless the pattern plainly starts `^literal`). */
export function regexpPrefix(regexp: RegExp): string {
  if (regexp.flags.includes('i') || regexp.flags.includes('m') || !regexp.source.startsWith('^')) return '';
  if (regexp.source.includes('|')) return '';
  const literal = /^[^\\^$.|?*+()[\]{}]*/.exec(regexp.source.slice(1))?.[0] ?? '';
  const next = regexp.source.charAt(1 + literal.length);
  // A quantifier after the run makes its last character optional.
  return '?*+{'.includes(next) && next !== '' ? literal.slice(0, -1) : literal;
}
