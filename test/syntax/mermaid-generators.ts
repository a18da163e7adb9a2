// fast-check generators of mermaid sequenceDiagram text: diagrams built from mermaid 11.17's grammar
// (declarations, the arrows, activations, notes, nested blocks, boxes, autonumber, titles, links,
// comments), with odd spacing, unicode, quotes and entity codes; token soups from the grammar's own
// fragments; and mutations of real diagrams (lines deleted, duplicated or swapped, a token corrupted).
import fc from 'fast-check';

const NAMES = [
  'A',
  'B',
  'Alice',
  'Bob',
  'Pay CI',
  'AWS',
  'Über',
  '数据库',
  'my-app',
  'a_b',
  'x1',
  'Note',
  'loop',
  'end',
  'as',
  'A#59;B',
  'API ',
];
const TEXTS = [
  'hi',
  '',
  ' spaced ',
  'Push #build (x86)',
  'a: b',
  'x;y',
  '"quoted"',
  'I #9829; you',
  '#quot;q#quot; #amp; #semi;',
  'two<br/>lines',
  'two<br>lines<BR />three',
  '#60;br#62;',
  'wrap:wrapped',
  'WRAP: upper',
  ':nowrap: n',
  'ünï ✔',
  'end',
  '-> x',
  '%% not a comment',
  'a,b',
];
export const ARROWS = ['->>', '-->>', '->', '-->', '-x', '--x', '-)', '--)', '<<->>', '<<-->>'];
export const HALF_ARROW_SPELLINGS = [
  '-|\\',
  '-|/',
  '-\\\\',
  '-//',
  '/|-',
  '\\|-',
  '//-',
  '\\\\-',
  '--|\\',
  '--|/',
  '--\\\\',
  '--//',
  '/|--',
  '\\|--',
  '//--',
  '\\\\--',
];

const name = fc.oneof(
  { arbitrary: fc.constantFrom(...NAMES), weight: 5 },
  { arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _]{0,5}$/), weight: 1 },
);
const text = fc.oneof(
  { arbitrary: fc.constantFrom(...TEXTS), weight: 4 },
  { arbitrary: fc.string({ maxLength: 10 }).map((s) => s.replace(/[\r\n]/g, '')), weight: 1 },
);
const space = fc.constantFrom('', ' ', '  ', '\t', ' \t ');
const indent = fc.constantFrom('', '    ', '  ', '\t');
const arrow = fc.oneof(
  { arbitrary: fc.constantFrom(...ARROWS), weight: 6 },
  { arbitrary: fc.constantFrom(...HALF_ARROW_SPELLINGS), weight: 1 },
);
const suffix = fc.constantFrom('', '', '', '+', '-', '()');

const message = fc
  .tuple(name, space, fc.constantFrom('', '', '', '()'), arrow, suffix, space, name, space, text)
  .map(
    ([a, s1, central, ar, suf, s2, b, s3, t]) => `${a}${s1}${central}${ar}${central ? (suf === '()' ? '()' : '') : suf}${s2}${b}${s3}:${t}`,
  );
const note = fc
  .tuple(fc.constantFrom('Note', 'note', 'NOTE'), fc.constantFrom('left of', 'right of', 'over', 'left  of'), name, fc.option(name), text)
  .map(([n, p, a, b, t]) => `${n} ${p} ${a}${b !== null && p === 'over' ? `,${b}` : ''}: ${t}`);
const CONFIGS = [
  '',
  '',
  '',
  '',
  '@{ "type": "database" }',
  '@{ "type": "actor" }',
  '@{ "alias": "Shown" }',
  '@{"type":"queue","alias":"Q"}',
  '@{ type: control }',
];
const declaration = fc
  .tuple(
    fc.constantFrom('participant', 'actor', 'create participant', 'create actor', 'Participant'),
    name,
    fc.constantFrom(...CONFIGS),
    fc.option(text),
  )
  .map(
    ([k, n, config, alias]) => `${k} ${config === '' ? n : n.trim().replace(/\s+/g, '_') + config}${alias === null ? '' : ` as ${alias}`}`,
  );
const drawing = fc.oneof(
  name.map((n) => `activate ${n}`),
  name.map((n) => `deactivate ${n}`),
  name.map((n) => `destroy ${n}`),
  fc.constantFrom('autonumber', 'autonumber 10', 'autonumber 10 5', 'autonumber off', 'autonumber 1.5 2'),
  text.map((t) => `title ${t}`),
  text.map((t) => `title: ${t}`),
  text.map((t) => `accTitle: ${t}`),
  text.map((t) => `accDescr: ${t}`),
  fc.constantFrom('accDescr {\n  two\n  lines\n}', 'accDescr{ one }'),
  name.map((n) => `link ${n}: Dashboard @ https://example.com/d`),
  name.map((n) => `links ${n}: {"Repo": "https://example.com/r"}`),
  name.map((n) => `properties ${n}: {"class": "internal"}`),
  name.map((n) => `details ${n}: some-id`),
  text.map((t) => `%% ${t}`),
  fc.constant(''),
);
const statement = fc.oneof(
  { arbitrary: message, weight: 6 },
  { arbitrary: note, weight: 2 },
  { arbitrary: declaration, weight: 2 },
  { arbitrary: drawing, weight: 2 },
);

const BLOCKS = [
  { open: 'loop', more: null },
  { open: 'alt', more: 'else' },
  { open: 'opt', more: null },
  { open: 'par', more: 'and' },
  { open: 'par_over', more: 'and' },
  { open: 'critical', more: 'option' },
  { open: 'break', more: null },
  { open: 'rect', more: null },
] as const;

/** Lines of a body, with blocks nested up to `depth`. */
function body(depth: number): fc.Arbitrary<string[]> {
  const single = statement.map((s) => [s]);
  if (depth === 0) return fc.array(single, { maxLength: 5 }).map((ls) => ls.flat());
  const block = fc
    .tuple(fc.constantFrom(...BLOCKS), text, body(depth - 1), fc.array(fc.tuple(text, body(depth - 1)), { maxLength: 2 }), fc.boolean())
    .map(([b, label, first, rest, closed]) => {
      const header = b.open === 'rect' ? `rect ${label === '' ? 'rgb(200, 150, 255)' : label}` : `${b.open} ${label}`;
      const sections = b.more === null ? [] : rest.flatMap(([l, lines]) => [`${b.more} ${l}`, ...lines.map((x) => `  ${x}`)]);
      // Mostly closed; an unclosed block or a stray section keyword now and then.
      return [header, ...first.map((x) => `  ${x}`), ...sections, ...(closed || depth > 1 ? ['end'] : [])];
    });
  const box = fc
    .tuple(
      fc.constantFrom('Aqua', 'transparent Aqua', 'rgb(33,66,99)', 'rgba(33, 66, 99, 0.5) Team', 'Group', ''),
      fc.array(declaration, { maxLength: 3 }),
    )
    .map(([label, decls]) => [`box ${label}`.trimEnd(), ...decls, 'end']);
  return fc
    .array(fc.oneof({ arbitrary: single, weight: 5 }, { arbitrary: block, weight: 2 }, { arbitrary: box, weight: 1 }), { maxLength: 6 })
    .map((ls) => ls.flat());
}

const lineBreak = fc.constantFrom('\n', '\n', '\n', '\r\n', ';', ' ;', '\n\n');
const header = fc.oneof(
  {
    arbitrary: fc.constantFrom('sequenceDiagram', '  sequenceDiagram', 'sequenceDiagram  ', '%% top\nsequenceDiagram', 'sequencediagram'),
    weight: 40,
  },
  // Front matter and directives (read by mermaid.parse itself, the slow path: kept rare).
  {
    arbitrary: fc.constantFrom(
      '---\ntitle: Release\n---\nsequenceDiagram',
      '---\nconfig:\n  sequence:\n    mirrorActors: false\n---\nsequenceDiagram',
      '---\ntitle: [unclosed\n---\nsequenceDiagram',
      '%%{init: {"sequence": {"wrap": true}}}%%\nsequenceDiagram',
      '%%{wrap}%%\nsequenceDiagram',
    ),
    weight: 1,
  },
);

/** A mermaid sequence diagram from the grammar: mostly valid, with the grammar's corners. */
export const mermaidDiagram = fc
  .tuple(header, body(2), fc.array(fc.tuple(indent, lineBreak), { minLength: 40, maxLength: 40 }))
  .map(
    ([head, lines, seps]) =>
      `${head}\n${lines.map((l, i) => (seps[i % seps.length]?.[0] ?? '') + l + (seps[i % seps.length]?.[1] ?? '\n')).join('')}`,
  );

const FRAGMENTS = [
  'sequenceDiagram\n',
  'participant ',
  'actor ',
  ' as ',
  'Note ',
  'left of ',
  'over ',
  ',',
  ':',
  ';',
  '#',
  '%%',
  '\n',
  '\r\n',
  ' ',
  '\t',
  'A',
  'B',
  'Pay CI',
  'é',
  '✔',
  '+',
  '-',
  '()',
  'loop ',
  'alt ',
  'else ',
  'par ',
  'and ',
  'end',
  'box ',
  'rect ',
  'activate ',
  'autonumber',
  'title ',
  '#59;',
  '<br/>',
  '"',
  '@{ "type": "database" }',
  ...ARROWS,
];

/** Sequences of the grammar's fragments after a `sequenceDiagram` line. */
export const mermaidFragments = fc
  .array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 })
  .map((parts) => `sequenceDiagram\n${parts.join('')}`);

const CORRUPTIONS = ['-', '>', '+', ':', ';', ',', '#', '%', '(', ')', '"', '\n', ' ', 'x', 'é', 'end', 'else', 'and', 'box', '@{'];

/** A real diagram mutated: lines deleted, duplicated or swapped, a character replaced or inserted. */
export function mutatedDiagram(corpus: readonly string[]): fc.Arbitrary<string> {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
    fc.record({ kind: fc.constant('corrupt' as const), at: fc.nat(), insert: fc.boolean(), by: fc.constantFrom(...CORRUPTIONS) }),
  );
  return fc.tuple(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([text, mutations]) => {
    let lines = text.split('\n');
    for (const m of mutations) {
      const i = m.at % Math.max(1, lines.length);
      if (m.kind === 'delete' && i > 0) lines = lines.filter((_, j) => j !== i);
      else if (m.kind === 'duplicate') lines.splice(i, 0, lines[i] ?? '');
      else if (m.kind === 'swap') {
        const j = m.with % lines.length;
        if (i > 0 && j > 0) [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      } else if (m.kind === 'corrupt') {
        const joined = lines.join('\n');
        const at = m.at % Math.max(1, joined.length);
        lines = (joined.slice(0, at) + m.by + joined.slice(m.insert ? at : at + 1)).split('\n');
      }
    }
    return lines.join('\n');
  });
}

/** Any text at all, with the dialect's sharp characters over-represented. */
export const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.array(fc.constantFrom(...FRAGMENTS, '\u0000', '\ufeff', '\u2028', '\ud800'), { maxLength: 25 }).map((p) => p.join('')),
);
