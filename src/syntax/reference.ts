// The reference renderer's reading rules (js-sequence-diagrams Diagram.unescape / getActor /
// getActorWithAlias), with its exact regular expressions: conformance depends on every quirk.

/** Diagram.unescape: trim, strip one pair of surrounding quotes (per line), turn `\n` into a line break. */
export function unescape(raw: string): string {
  // Same result, faster: without '"' or '\\' neither replacement can apply.
  if (!raw.includes('"') && !raw.includes('\\')) return raw.trim();
  return raw
    .trim()
    .replace(/^"(.*)"$/m, '$1')
    .replace(/\\n/gm, '\n');
}

/** A MESSAGE token's text: its first character (normally ':') is dropped, whatever it is. */
export function messageText(image: string): string {
  return unescape(image.substring(1));
}

export interface NameAndAlias {
  readonly name: string;
  /** Null when the declaration has no ` as Alias`. */
  readonly alias: string | null;
}

/** getActorWithAlias: `Name as Alias` (case-insensitive `as`, alias without spaces, at the end). */
export function splitAlias(input: string): NameAndAlias {
  const match = /([\s\S]+) as (\S+)$/im.exec(input);
  if (match?.[1] !== undefined && match[2] !== undefined) return { name: match[1].trim(), alias: match[2].trim() };
  return { name: input, alias: null };
}

export interface ParticipantEntry {
  readonly id: string;
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

/** Diagram.getActor: participants in order of creation, looked up by their trimmed alias. */
export class ParticipantRegistry {
  private readonly byId = new Map<string, ParticipantEntry>();
  readonly entries: ParticipantEntry[] = [];

  /** Returns the participant and whether this call created it. */
  resolve(alias: string, name: string | undefined, start: number, end: number): { entry: ParticipantEntry; created: boolean } {
    const id = alias.trim();
    const existing = this.byId.get(id);
    if (existing) return { entry: existing, created: false };
    const entry: ParticipantEntry = { id, label: name || id, start, end };
    this.byId.set(id, entry);
    this.entries.push(entry);
    return { entry, created: true };
  }

  find(id: string): ParticipantEntry | undefined {
    return this.byId.get(id);
  }
}
