// The mermaid printer against the mermaid reader: printing then reading gives the same AST (modulo
// spans) for generated diagrams, mutated real ones and the whole corpus, and printing is idempotent.
// The js-sequence -> mermaid conversion keeps every participant id and label and every step's text and
// kind for generated js-sequence diagrams with any names and texts, and mermaid itself reads the result so.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagram } from '../../src/ast/types.ts';
import { toMermaidDiagram } from '../../src/syntax/mermaid/convert.ts';
import { convertSequence, formatMermaid } from '../../src/syntax/mermaid/format.ts';
import { parseMermaidSource } from '../../src/syntax/mermaid/parse.ts';
import { printMermaid } from '../../src/syntax/mermaid/printer.ts';
import { parseSource } from '../../src/syntax/parse.ts';
import { mermaidDiagram, mutatedDiagram } from './mermaid-generators.ts';
import { mermaidRead } from './mermaid-oracle.ts';

const CORPUS = join(import.meta.dirname, '../fixtures/mermaid-corpus');
const RUNS = Number(process.env['SEQRUN_PROPERTY_RUNS'] ?? 300);

function withoutSpans(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === 'span' || key === 'endSpan' ? undefined : v))) as unknown;
}

/** What a diagram reads as, spans, file and position left out. */
function meaning(diagram: Diagram): unknown {
  const { span: _span, file: _file, ...rest } = diagram;
  return withoutSpans(rest);
}

function read(text: string): { diagram: Diagram; clean: boolean } | null {
  const result = parseMermaidSource(text, { file: 'x.mmd' });
  const diagram = result.diagrams[0];
  return diagram ? { diagram, clean: result.diagnostics.every((d) => d.severity !== 'error') } : null;
}

/** For a text that reads without errors: fmt's output reads as the same diagram, without errors, and fmt leaves it as it is. */
function roundTrips(text: string): void {
  const before = read(text);
  if (!before?.clean) return;
  const printed = formatMermaid(text);
  expect(printed).not.toBeNull();
  const after = read(printed ?? '');
  expect(after?.clean).toBe(true);
  expect(meaning(after?.diagram ?? before.diagram)).toEqual(meaning(before.diagram));
  expect(formatMermaid(printed ?? '')).toBe(printed);
}

describe('mermaid fmt: print then read gives the same AST', () => {
  it('for every diagram of the real-world corpus, and fmt is idempotent on each', async () => {
    const files = (await readdir(CORPUS)).filter((f) => f.endsWith('.mmd'));
    let clean = 0;
    for (const file of files) {
      const text = await readFile(join(CORPUS, file), 'utf8');
      if (read(text)?.clean) clean++;
      roundTrips(text);
    }
    expect(clean).toBeGreaterThan(50);
  });

  it('for diagrams generated from the grammar (property)', () => {
    fc.assert(fc.property(mermaidDiagram, roundTrips), { numRuns: RUNS });
  });

  it('for mutated real diagrams (property)', async () => {
    const files = (await readdir(CORPUS)).filter((f) => f.endsWith('.mmd')).slice(0, 30);
    const corpus = await Promise.all(files.map((f) => readFile(join(CORPUS, f), 'utf8')));
    fc.assert(fc.property(mutatedDiagram(corpus), roundTrips), { numRuns: RUNS });
  });
});

/** Names and texts js-sequence can hold and mermaid can draw: no line breaks in names, no literal `<br>` (mermaid draws a line break). */
const name = fc
  .string({ minLength: 1, maxLength: 12 })
  .map((s) => s.trim())
  .filter((s) => s !== '' && !/[\r\n\0"\u2028\u2029]|<\s*br/i.test(s) && !/^#/.test(s));
/** A name js-sequence reads without quotes. */
const bareName = name.filter((s) => !/[-,:>#]|\sas\s|^as\s/i.test(s) && !/^(participant|note|title|left of|right of|over)\b/i.test(s));
const text = fc
  .string({ maxLength: 30 })
  .map((s) => s.trim())
  .filter((s) => !/[\r\n\0\u2028\u2029]|<\s*br|\\n/i.test(s) && !/^"|"$/.test(s));

const jsStatement = fc.oneof(
  fc
    .record({ from: name, to: name, dashed: fc.boolean(), text })
    .map(({ from, to, dashed, text: t }) => `"${from}"${dashed ? '-->' : '->'}"${to}": ${t}`),
  fc
    .record({ who: name, position: fc.constantFrom('left of', 'right of', 'over'), text })
    .map((n) => `Note ${n.position} "${n.who}": ${n.text}`),
  // js-sequence declares bare names only (`participant Label as Alias`); mermaid keywords among the aliases.
  fc
    .record({ label: bareName, alias: fc.constantFrom('P', 'CI', 'Pay CI', 'x1', 'loop', 'end', 'Über') })
    .map(({ label, alias }) => `participant ${label} as ${alias}`),
);

function steps(diagram: Diagram): unknown[] {
  return diagram.steps.map((s) =>
    s.kind === 'message' ? { kind: s.kind, from: s.from, to: s.to, line: s.line, text: s.text } : withoutSpans(s),
  );
}

function participantsOf(diagram: Diagram): { id: string; label: string }[] {
  return diagram.participants.map((p) => ({ id: p.id, label: p.label }));
}

describe('fmt --to mermaid: the same participants and steps', () => {
  it('for generated js-sequence diagrams with any names and texts (property)', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.array(jsStatement, { minLength: 1, maxLength: 8 }), (lines) => {
        const js = parseSource(lines.join('\n'), { file: 'x.seq' });
        const diagram = js.diagrams[0];
        if (!diagram || js.diagnostics.some((d) => d.severity === 'error')) return;
        valid++;
        const converted = convertSequence(lines.join('\n'));
        const mermaid = read(converted.text ?? '');
        expect(mermaid?.clean).toBe(true);
        expect(participantsOf(mermaid?.diagram ?? diagram)).toEqual(participantsOf(diagram));
        expect(steps(mermaid?.diagram ?? diagram)).toEqual(steps(diagram));
        // The printer without a reader to ask (its most encoded spelling) reads back the same too.
        expect(steps(read(printMermaid(toMermaidDiagram(diagram)))?.diagram ?? diagram)).toEqual(steps(diagram));
      }),
      { numRuns: RUNS },
    );
    // Most generated diagrams are valid js-sequence, so the property is not vacuous.
    expect(valid).toBeGreaterThan(RUNS / 2);
  });

  it('mermaid itself reads a converted diagram with its names, keywords and sharp characters as js-sequence does', async () => {
    const js = [
      'participant Loop Service as L',
      '"Note taker"->end: Push #build-candidate; then <b>x</b> & 50%',
      'end-->"Note taker": nowrap: style x:#1;',
      'Note over L,9 lives: a, b: c',
      '# a comment',
    ].join('\n');
    const parsed = parseSource(js, { file: 'x.seq' });
    expect(parsed.diagnostics).toEqual([]);
    const diagram = parsed.diagrams[0];
    const converted = convertSequence(js).text ?? '';
    const reading = await mermaidRead(converted);
    if (!reading.ok) throw new Error(`mermaid rejects the converted diagram: ${reading.error}\n${converted}`);
    expect(reading.model.participants.map((p) => ({ id: p.id, label: p.label }))).toEqual(participantsOf(diagram as Diagram));
    const texts = reading.model.events.flatMap((e) => (e.kind === 'message' || e.kind === 'note' ? [e.text] : []));
    expect(texts).toEqual(diagram?.steps.map((s) => s.text));
    expect(converted).toContain('%% a comment\n');
  });

  it('a participant whose name starts with a keyword and has spaces keeps its label (mermaid loses ` as ` after an entity code and a space)', async () => {
    // Found by the property above: js-sequence reads `participant \n as Pay CI` as id `as Pay CI`, label `\n as Pay CI`.
    const js = 'participant \\n as Pay CI\n"as Pay CI"->B: hello';
    const diagram = parseSource(js, { file: 'x.seq' }).diagrams[0] as Diagram;
    expect(participantsOf(diagram)[0]).toEqual({ id: 'as Pay CI', label: '\n as Pay CI' });
    const converted = convertSequence(js).text ?? '';
    const reading = await mermaidRead(converted);
    if (!reading.ok) throw new Error(`mermaid rejects the converted diagram: ${reading.error}\n${converted}`);
    expect(reading.model.participants.map((p) => ({ id: p.id, label: p.label }))).toEqual(participantsOf(diagram));
    expect(participantsOf(read(converted)?.diagram ?? diagram)).toEqual(participantsOf(diagram));
  });
});
