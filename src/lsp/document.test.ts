// The document model alone: a Markdown document's fences are parsed and bound one by one, an edit in
// one fence re-reads that fence only, and what comes out is what parsing the whole file gives.
import { describe, expect, test } from 'vitest';
import { createRegistry, defineSteps, emptyConfig } from '../bind/index.ts';
import { parseText } from '../syntax/files.ts';
import { absoluteStep, type Binder, DiagramDocument } from './document.ts';

const steps = defineSteps((s) => {
  s.call('Build {word}', () => undefined);
  s.note('Announce', () => undefined);
});
const binder: Binder = {
  registry: createRegistry({ modules: [steps], parameterTypes: [] }).registry,
  config: emptyConfig('/p'),
  version: 1,
};

const fence = (body: string): string => `\`\`\`sequence\n${body}\`\`\`\n`;
const markdown = (fences: readonly string[]): string => `# Doc\n\n${fences.map((f, i) => `## Part ${i}\n\n${fence(f)}`).join('\n')}`;
const bodies = ['A->B: Build one\nNote over A: Announce\n', 'A->B: Build two\nA->B: Deploy\n', 'A->B: Build three\nA-B x\n'];

/** Each diagnostic as (code, line, column, message), in the document's own lines. */
function shown(doc: DiagramDocument): string[] {
  return doc
    .diagnostics()
    .map(({ part, diagnostic: d }) => `${d.code} ${(d.span?.start.line ?? 0) + part.line}:${d.span?.start.column} ${d.message}`);
}

describe('DiagramDocument', () => {
  test('a Markdown document reads as parseText reads it, one part per fence', () => {
    const text = markdown(bodies);
    const doc = new DiagramDocument('/p/doc.md');
    expect(doc.update(text, null)).toEqual({ parts: 3, parsed: 3, bound: 0 });
    const whole = parseText(text, { file: '/p/doc.md' });
    expect(shown(doc)).toEqual(whole.diagnostics.map((d) => `${d.code} ${d.span?.start.line}:${d.span?.start.column} ${d.message}`));
    expect(doc.parts.map((p) => p.parsed.diagrams[0]?.slug)).toEqual(whole.diagrams.map((d) => d.slug));
  });

  test('an edit in one fence parses and binds that fence only; the fences after it move', () => {
    const doc = new DiagramDocument('/p/doc.md');
    expect(doc.update(markdown(bodies), binder)).toEqual({ parts: 3, parsed: 3, bound: 3 });
    const third = doc.parts[2];
    const edited = [bodies[0] as string, 'A->B: Build two\nA->B: Build four\nA->B: Deploy\n', bodies[2] as string];
    expect(doc.update(markdown(edited), binder)).toEqual({ parts: 3, parsed: 1, bound: 1 });
    expect(doc.parts[2]).toBe(third);
    const text = markdown(edited);
    const deploy = text.split('\n').indexOf('A->B: Deploy');
    expect(shown(doc).filter((s) => s.startsWith('SEQ301'))).toEqual([`SEQ301 ${deploy + 1}:1 Undefined call: "Deploy".`]);
    const at = doc.stepAt(deploy);
    expect(at?.planned.step.text).toBe('Deploy');
    expect(at && absoluteStep(at).span.start.line).toBe(deploy + 1);
  });

  test('identical fences keep a part each; the same fence under another heading is read again', () => {
    const doc = new DiagramDocument('/p/doc.md');
    const same = [bodies[0] as string, bodies[0] as string, bodies[1] as string];
    expect(doc.update(markdown(same), binder)).toEqual({ parts: 3, parsed: 3, bound: 3 });
    expect(doc.update(markdown(same), binder)).toEqual({ parts: 3, parsed: 0, bound: 0 });
    const renamed = markdown(same).replace('## Part 1', '## Renamed');
    expect(doc.update(renamed, binder)).toEqual({ parts: 3, parsed: 1, bound: 1 });
    expect(doc.parts.map((p) => p.plans[0]?.diagram.slug)).toEqual(['part-0', 'renamed', 'part-2']);
  });

  test('a new registry re-binds every part without parsing any', () => {
    const doc = new DiagramDocument('/p/doc.md');
    doc.update(markdown(bodies), binder);
    expect(doc.update(markdown(bodies), { ...binder, version: 2 })).toEqual({ parts: 3, parsed: 0, bound: 3 });
  });

  test('a .seq file is one part; a step is found by its line', () => {
    const doc = new DiagramDocument('/p/a.seq');
    doc.update('A->B: Build one\nNote over A: Announce\n', binder);
    expect(doc.parts).toHaveLength(1);
    expect(doc.stepAt(1)?.planned.kind).toBe('note');
    expect(doc.stepAt(2)).toBeUndefined();
  });
});
