// The diagnostic codes have one catalogue (src/diagnostics/catalogue.ts); the tables users read in
// docs/syntax.md, docs/handlers.md, docs/review.md and docs/engines.md are held to it, so a new code or a changed severity cannot drift.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CATALOGUE } from '../../src/diagnostics/catalogue.ts';

/** `code -> severity cell` of every table row that starts with a code. */
function codeRows(doc: string): Map<string, string> {
  const text = readFileSync(fileURLToPath(new URL(`../../docs/${doc}`, import.meta.url)), 'utf8');
  return new Map([...text.matchAll(/^\| ((?:SEQ|RUN)\d{3}) \| ([^|]+) \|/gm)].map((m) => [m[1] ?? '', (m[2] ?? '').trim()]));
}

describe('the diagnostic code tables in the docs', () => {
  const rows = new Map([...codeRows('syntax.md'), ...codeRows('handlers.md'), ...codeRows('review.md'), ...codeRows('engines.md')]);

  test('list every code of the catalogue, and no other', () => {
    expect([...rows.keys()].sort()).toEqual(Object.keys(CATALOGUE).sort());
  });

  test("give each code the catalogue's severity", () => {
    for (const [code, entry] of Object.entries(CATALOGUE)) expect(rows.get(code), code).toMatch(new RegExp(`^${entry.severity}\\b`));
  });
});
