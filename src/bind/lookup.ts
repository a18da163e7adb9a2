// The lookup index: handlers bucketed by kind and participant filter, then by the literal text their
// expression must start with (a character trie). A step only tries the expressions whose literal
// prefix is a prefix of its text, instead of every expression of the project.
import type { Handler, StepKind } from './types.ts';

/** The names a step's participants go by (id and label), per role. */
export interface StepParticipants {
  readonly from?: readonly string[];
  readonly to?: readonly string[];
  /** For notes: every name of every participant the note is about. */
  readonly over?: readonly string[];
}

const ANY = '\u0000*';

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  readonly entries: number[];
}

const newNode = (): TrieNode => ({ children: new Map(), entries: [] });

/** Entries keyed by a literal prefix; `lookup(text)` yields those whose prefix starts `text`. */
class PrefixTrie {
  private readonly root = newNode();

  add(prefix: string, entry: number): void {
    let node = this.root;
    for (const ch of prefix) {
      let next = node.children.get(ch);
      if (!next) {
        next = newNode();
        node.children.set(ch, next);
      }
      node = next;
    }
    node.entries.push(entry);
  }

  collect(text: string, into: number[]): void {
    let node: TrieNode | undefined = this.root;
    into.push(...node.entries);
    for (const ch of text) {
      node = node.children.get(ch);
      if (!node) return;
      into.push(...node.entries);
    }
  }
}

function bucketKey(kind: StepKind, handler: Handler): string {
  if (kind === 'call' || kind === 'reply') return `${kind}\u0001${handler.filter.from ?? ANY}\u0001${handler.filter.to ?? ANY}`;
  return `${kind}\u0001${handler.filter.over ?? ANY}`;
}

function stepKeys(kind: StepKind, p: StepParticipants): string[] {
  if (kind === 'call' || kind === 'reply') {
    const keys: string[] = [];
    for (const from of [ANY, ...(p.from ?? [])]) {
      for (const to of [ANY, ...(p.to ?? [])]) keys.push(`${kind}\u0001${from}\u0001${to}`);
    }
    return keys;
  }
  return [ANY, ...(p.over ?? [])].map((over) => `${kind}\u0001${over}`);
}

export class HandlerIndex {
  private readonly buckets = new Map<string, PrefixTrie>();

  /** `prefixOf(i)` is the literal text handler `i`'s expression must start with ('' when unknown). */
  constructor(handlers: readonly Handler[], prefixOf: (index: number) => string) {
    handlers.forEach((handler, index) => {
      const key = bucketKey(handler.kind, handler);
      let trie = this.buckets.get(key);
      if (!trie) {
        trie = new PrefixTrie();
        this.buckets.set(key, trie);
      }
      trie.add(prefixOf(index), index);
    });
  }

  /** Indexes (ascending, i.e. registration order) of the handlers that may match the step. */
  candidates(kind: StepKind, participants: StepParticipants, text: string): number[] {
    const found: number[] = [];
    for (const key of new Set(stepKeys(kind, participants))) this.buckets.get(key)?.collect(text, found);
    return found.length > 1 ? [...new Set(found)].sort((a, b) => a - b) : found;
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
