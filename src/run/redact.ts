// Secrets never reach the journal, a reporter, a render, an error or a Slack message: one Redactor
// per run masks every value it knows (wherever it appears) and every well-known credential shape.
// The values it knows: those handlers mark with `ctx.secret(value)`, and the values of run variables
// and environment variables whose names look secret or that the config declares secret.
import { MASK, maskShapes } from './secret-shapes.ts';

export { MASK } from './secret-shapes.ts';

/** Parts that make a name secret wherever they appear in it (`SLACKBOTTOKEN`, `dbPassword`, `connectionString`). */
const SECRET_PARTS = [
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'credential',
  'private',
  'webhook',
  'cookie',
  'apikey',
  'authorization',
  'connectionstring',
  'connstr',
];
/** Words that make a name secret only as whole words (`DB_PASS`, `dbPass`, `SENTRY_DSN`; not `COMPASS`, `AUTHOR`, `KEYBOARD`). */
const SECRET_WORDS = new Set(['key', 'pass', 'pwd', 'auth', 'cred', 'creds', 'dsn', 'session']);
/** Variables of shells and desktops that match the words but hold no secret (`PWD` is the working folder). */
const NOT_SECRET = /^(?:OLDPWD|PWD|SSH_AUTH_SOCK|DESKTOP_SESSION|SESSION_MANAGER|DBUS_SESSION_BUS_ADDRESS|XDG_SESSION_[A-Z_]+)$/;
/** Values shorter than this, found by name only, would mask ordinary text ("1", "on"); they are kept. */
const MIN_NAMED_SECRET = 4;

/** The words of a name: `dbPass` and `DB_PASS` are both `db pass`; `APIKey` is `api key`. */
function words(name: string): string[] {
  const spaced = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
  return spaced.toLowerCase().match(/[a-z]+|[0-9]+/g) ?? [];
}

export function looksSecret(name: string): boolean {
  if (NOT_SECRET.test(name)) return false;
  const parts = words(name);
  const joined = parts.join('');
  return parts.some((w) => SECRET_WORDS.has(w)) || SECRET_PARTS.some((p) => joined.includes(p));
}

/** How a secret may also be written: inside a JSON string, and percent-encoded in a URL. */
function spellings(value: string): string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

export class Redactor {
  private secrets: string[] = [];
  private readonly declared = new Set<string>();

  /** Registers a value to mask from now on; returns it unchanged for the handler to use. */
  add(value: string): string {
    if (value.length === 0) return value;
    const fresh = spellings(value).filter((s) => !this.secrets.includes(s));
    // Longest first, so a secret containing another is masked whole.
    if (fresh.length > 0) this.secrets = [...this.secrets, ...new Set(fresh)].sort((a, b) => b.length - a.length);
    return value;
  }

  /** Names the config declares secret (`secrets: [...]`): their values are masked like those of secret-looking names. */
  declare(names: readonly string[]): void {
    for (const name of names) this.declared.add(name);
  }

  isSecretName(name: string): boolean {
    return this.declared.has(name) || looksSecret(name);
  }

  /** Registers the values of the entries whose names look secret or are declared secret. */
  addNamed(entries: Readonly<Record<string, string | undefined>>): void {
    for (const [name, value] of Object.entries(entries)) {
      if (value !== undefined && value.length >= MIN_NAMED_SECRET && this.isSecretName(name)) this.add(value);
    }
  }

  get size(): number {
    return this.secrets.length;
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(MASK);
    return maskShapes(out);
  }

  /** A deep copy of a JSON-like value with every secret masked. */
  value<T>(value: T): T {
    return this.walk(value, 0) as T;
  }

  /**
   * Vars as the journal records them: a var is journaled in clear or not at all (`***`), never half
   * masked, so that `seqrun resume` knows which ones to ask for again.
   */
  vars(vars: Readonly<Record<string, string>>): Record<string, string> {
    return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, this.isSecretVar(k, v) ? MASK : v]));
  }

  /** A variable that is secret by its name (or the config's word) or because its value holds a secret or a credential shape. */
  isSecretVar(name: string, value: string): boolean {
    return this.isSecretName(name) || this.text(value) !== value;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value !== 'object' || value === null) return value;
    // Deeper than this is a cycle or not worth showing; passing it on unmasked would leak what it holds.
    if (depth > 32) return '[nested too deep to show]';
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    if (value instanceof Error) return { name: value.name, message: this.text(value.message) };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.walk(v, depth + 1);
    return out;
  }
}

/** The redactor of a run: the secret values among its variables and environment, and the shapes. */
export function runRedactor(
  vars: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
  declared: readonly string[] = [],
): Redactor {
  const redactor = new Redactor();
  redactor.declare(declared);
  redactor.addNamed(vars);
  redactor.addNamed(env);
  return redactor;
}
