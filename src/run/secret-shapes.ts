// Well-known credential shapes: masked wherever they appear, whichever variable held them (or none),
// so a token pasted into a --var, echoed in an error or quoted by a server never reaches an output.
export const MASK = '***';

export interface SecretShape {
  readonly kind: string;
  /** Global; each match is replaced by `replacement` (which may keep parts with `$1`). */
  readonly pattern: RegExp;
  readonly replacement: string;
}

export const SECRET_SHAPES: readonly SecretShape[] = [
  // A whole key block; a block cut short (a truncated log) is masked to the end of the text.
  {
    kind: 'PEM private key',
    pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    replacement: MASK,
  },
  {
    kind: 'Slack webhook URL',
    pattern: /https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g,
    replacement: MASK,
  },
  { kind: 'Slack token', pattern: /\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]{10,}/g, replacement: MASK },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{22,})/g, replacement: MASK },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, replacement: MASK },
  { kind: 'JWT', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replacement: MASK },
  // `https://user:password@host`: the userinfo goes, scheme and host stay (`https://***@host`).
  // Not an image reference by digest (`docker://app@sha256:...`).
  { kind: 'URL with userinfo', pattern: /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@'"<>]+@(?!sha256:)/gi, replacement: `$1${MASK}@` },
];

/**
 * Text every match of a shape above contains (a scheme's `://`, a token's prefix): a text with none of
 * them holds no shape, and most journaled strings (ids, timestamps, step texts) are such texts.
 */
const SHAPE_MARKS = /-----BEGIN|:\/\/|xox[abposre]-|xapp-|gh[pousr]_|github_pat_|AKIA|ASIA|ABIA|ACCA|eyJ/;

export function maskShapes(text: string): string {
  if (!SHAPE_MARKS.test(text)) return text;
  let out = text;
  for (const shape of SECRET_SHAPES) out = out.replace(shape.pattern, shape.replacement);
  return out;
}
