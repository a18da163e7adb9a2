// The corpus: valid and invalid examples of the language, each with the expected `seqrun parse --json`
// result beside it (`name.seq.json`). Every example is also checked against the reference parser.
// Regenerate the expected files after an intended change with SEQRUN_UPDATE_CORPUS=1.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseFile, parseResultJson, parseText } from '../src/syntax/index.ts';
import { findFences } from '../src/syntax/markdown.ts';
import { oracleParse } from '../test/syntax/oracle.ts';

const UPDATE = process.env['SEQRUN_UPDATE_CORPUS'] === '1';

function examples(kind: 'valid' | 'invalid'): string[] {
  return readdirSync(`grammar/corpus/${kind}`)
    .filter((name) => /\.(seq|md)$/.test(name))
    .sort()
    .map((name) => `grammar/corpus/${kind}/${name}`);
}

/** The diagram texts of an example: the file itself, or each fence body of a Markdown file. */
function diagramTexts(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  if (!path.endsWith('.md')) return [text];
  return findFences(text).map((fence) => text.slice(fence.bodyStart, fence.bodyEnd));
}

async function checkExpected(path: string): Promise<ReturnType<typeof parseResultJson>> {
  const actual = parseResultJson(await parseFile(path));
  if (UPDATE) writeFileSync(`${path}.json`, `${JSON.stringify(actual, null, 2)}\n`);
  const expected: unknown = JSON.parse(readFileSync(`${path}.json`, 'utf8'));
  expect(actual).toEqual(expected);
  return actual;
}

describe('valid examples', () => {
  test.each(examples('valid'))('%s', async (path) => {
    const actual = await checkExpected(path);
    expect(actual.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const texts = diagramTexts(path);
    expect(texts).toHaveLength(actual.diagrams.length);
    texts.forEach((text, index) => {
      const reference = oracleParse(text);
      const ours = actual.diagrams[index];
      expect(reference.ok).toBe(true);
      if (reference.ok && ours) {
        expect({ title: ours.title, participants: ours.participants, steps: ours.steps.map(({ loc: _loc, ...s }) => s) }).toEqual({
          title: reference.title,
          participants: reference.participants,
          steps: reference.steps,
        });
      }
    });
  });
});

describe('invalid examples', () => {
  test.each(examples('invalid'))('%s', async (path) => {
    const actual = await checkExpected(path);
    expect(actual.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    expect(diagramTexts(path).some((text) => !oracleParse(text).ok)).toBe(true);
    expect(parseText(readFileSync(path, 'utf8'), { file: path }).diagnostics.every((d) => d.span !== null)).toBe(true);
  });
});
