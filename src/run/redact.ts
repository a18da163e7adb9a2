// Secrets never reach the journal, a reporter or a log: every event passes through one Redactor
// before anyone sees it. Secrets are the values handlers mark with `ctx.secret(value)` and the
// values of run variables and environment variables whose names look secret.
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|PRIVATE|API[-_]?KEY|(^|_)KEY($|_)|(^|_)AUTH($|_))/i;
/** Values shorter than this, found by name only, would mask ordinary text ("1", "on"); they are kept. */
const MIN_NAMED_SECRET = 4;
export const MASK = '***';

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

export class Redactor {
  private secrets: string[] = [];

  /** Registers a value to mask from now on; returns it unchanged for the handler to use. */
  add(value: string): string {
    if (value.length > 0 && !this.secrets.includes(value)) {
      // Longest first, so a secret containing another is masked whole.
      this.secrets = [...this.secrets, value].sort((a, b) => b.length - a.length);
    }
    return value;
  }

  /** Registers the values of the entries whose names look secret. */
  addNamed(entries: Readonly<Record<string, string | undefined>>): void {
    for (const [name, value] of Object.entries(entries)) {
      if (value !== undefined && value.length >= MIN_NAMED_SECRET && looksSecret(name)) this.add(value);
    }
  }

  get size(): number {
    return this.secrets.length;
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return out;
  }

  /** A deep copy of a JSON-like value with every secret masked. */
  value<T>(value: T): T {
    if (this.secrets.length === 0) return value;
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (depth > 32 || typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    if (value instanceof Error) return { name: value.name, message: this.text(value.message) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.walk(v, depth + 1);
    return out;
  }
}

/** Vars as the journal records them: values of secret-looking names masked outright. */
export function maskNamedVars(vars: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, looksSecret(k) ? MASK : v]));
}
