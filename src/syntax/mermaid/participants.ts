// mermaid's sequence database, the parts that decide what a diagram means: participants (addActor:
// created on first use, a later declaration with a label relabels it), activations (a `-` or
// `deactivate` needs an active participant) and the create/destroy rules. Checked as mermaid checks
// them while it applies the parsed statements in document order.

export interface ParticipantRecord {
  readonly id: string;
  label: string;
  shape: 'participant' | 'actor';
  /** Offsets (in the diagram body) of the first appearance. */
  readonly start: number;
  readonly end: number;
  box: number | null;
}

export interface Declaration {
  readonly id: string;
  readonly label: string | null;
  readonly shape: 'participant' | 'actor' | null;
  readonly start: number;
  readonly end: number;
  readonly box: number | null;
}

/** What a declaration did that the author may not expect (the reader turns these into warnings). */
export type DeclarationNote =
  | { readonly kind: 'relabelled'; readonly from: string; readonly to: string }
  | { readonly kind: 'shape-kept'; readonly shape: 'participant' | 'actor' }
  | { readonly kind: 'two-boxes' };

export class ParticipantTable {
  readonly byId = new Map<string, ParticipantRecord>();
  private readonly active = new Map<string, number>();
  /** The participant a `create` declared, waiting for the message that creates it. */
  lastCreated: string | null = null;
  lastDestroyed: string | null = null;

  /** A use in a message, note or link: created as a participant if new. */
  use(id: string, start: number, end: number): void {
    if (this.byId.has(id)) return;
    this.byId.set(id, { id, label: id, shape: 'participant', start, end, box: null });
  }

  /** addActor for a declaration; returns what it did that deserves a warning, if anything. */
  declare(d: Declaration): DeclarationNote | null {
    const old = this.byId.get(d.id);
    if (!old) {
      this.byId.set(d.id, { id: d.id, label: d.label ?? d.id, shape: d.shape ?? 'participant', start: d.start, end: d.end, box: d.box });
      return null;
    }
    if (d.box !== null && old.box !== null && d.box !== old.box) return { kind: 'two-boxes' };
    old.box = old.box ?? d.box;
    if (d.label === null) return d.shape !== null && d.shape !== old.shape ? { kind: 'shape-kept', shape: old.shape } : null;
    const from = old.label;
    old.label = d.label;
    old.shape = d.shape ?? 'participant';
    return from !== d.label ? { kind: 'relabelled', from, to: d.label } : null;
  }

  activate(id: string): void {
    this.active.set(id, (this.active.get(id) ?? 0) + 1);
  }

  /** False (and nothing changes) when `id` is not active: mermaid rejects the diagram. */
  deactivate(id: string): boolean {
    const count = this.active.get(id) ?? 0;
    if (count < 1) return false;
    this.active.set(id, count - 1);
    return true;
  }

  /** mermaid's check of a message against a pending create or destroy: the error, or null. */
  checkMessage(from: string, to: string): { code: 'SEQ132' | 'SEQ133'; message: string } | null {
    if (this.lastCreated !== null) {
      const created = this.lastCreated;
      if (to !== created) {
        return {
          code: 'SEQ132',
          message: `'${created}' is created just before, so this message must be the one that creates it (sent to '${created}')`,
        };
      }
      this.lastCreated = null;
    } else if (this.lastDestroyed !== null) {
      const destroyed = this.lastDestroyed;
      if (to !== destroyed && from !== destroyed) {
        return {
          code: 'SEQ133',
          message: `'${destroyed}' is destroyed just before, so this message must be sent to or from '${destroyed}'`,
        };
      }
      this.lastDestroyed = null;
    }
    return null;
  }
}
