// The committed railroad diagrams are the ones the current grammar generates.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { RAILROAD_FILE, railroadHtml } from './railroad.ts';

test('grammar/railroad/index.html is up to date (regenerate with `node grammar/railroad.ts`)', () => {
  const html = railroadHtml();
  expect(html).toContain('"name": "noteStatement"');
  expect(readFileSync(RAILROAD_FILE, 'utf8')).toBe(html);
});
