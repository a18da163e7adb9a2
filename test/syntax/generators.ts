// fast-check generators of js-sequence-diagrams text: well-formed diagrams, token soups built from
// the language's own fragments (keywords, arrows, quotes, comments, odd whitespace), and mutations.
import fc from 'fast-check';

const NAMES = ['A', 'B', 'Pay CI', 'AWS', 'x', 'Notebook', 'overlord', 'Title', 'note', 'A<', 'a#b', 'Über', 'C 2', ' D ', 'titles'];
const TEXTS = ['hi', '', 'Push #build (x86) to ECR', 'a: b', ' spaced ', '"quoted"', 'line\\nbreak', 'x;y', '"', 'ünï', '->', 'a,b'];

const name = fc.oneof(fc.constantFrom(...NAMES), fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _]{0,6}$/));
const quotedName = name.map((n) => `"${n.replace(/"/g, '')}x"`);
const anyName = fc.oneof({ arbitrary: name, weight: 4 }, { arbitrary: quotedName, weight: 1 });
const text = fc.oneof(
  fc.constantFrom(...TEXTS),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')),
);
const arrow = fc.constantFrom('->', '-->', '->>', '-->>', '-', '--');
const space = fc.constantFrom('', ' ', '  ', '\t');

const statement = fc.oneof(
  fc.tuple(anyName, space, arrow, space, anyName, text).map(([a, s, ar, s2, b, t]) => `${a}${s}${ar}${s2}${b}:${t}`),
  fc
    .tuple(fc.constantFrom('Note', 'note', 'NOTE'), fc.constantFrom('left of', 'right of', 'over'), anyName, text)
    .map(([n, p, a, t]) => `${n} ${p} ${a}: ${t}`),
  fc.tuple(anyName, anyName, text).map(([a, b, t]) => `Note over ${a},${b}: ${t}`),
  fc
    .tuple(anyName, fc.option(fc.stringMatching(/^[A-Za-z]{1,4}$/)))
    .map(([n, alias]) => (alias ? `participant ${n} as ${alias}` : `participant ${n}`)),
  fc
    .tuple(anyName, fc.constantFrom(' as ', ' AS ', ' as  ', '  as ', ' as'), anyName, space)
    .map(([n, as, a, s]) => `participant ${n}${as}${a}${s}`),
  fc.tuple(name, name).map(([n, a]) => `participant "${n} as ${a}"`),
  fc.tuple(anyName, fc.constantFrom(',', ' ,', ', ', ' , '), anyName, text).map(([a, c, b, t]) => `Note over ${a}${c}${b}:${t}`),
  fc.tuple(fc.constantFrom('Title', 'title', 'TITLE', 'Title:', 'title:', 'titles', 'Title->'), text).map(([k, t]) => `${k}${t}`),
  text.map((t) => `Title: ${t}`),
  text.map((t) => `title ${t}`),
  text.map((t) => `# ${t}`),
  fc.constant(''),
);

const lineBreak = fc.constantFrom('\n', '\r\n', '\n\n', ' \n', '\r');

/** Diagrams made of plausible statements (most are valid, some hit the quirks). */
export const diagramText = fc
  .array(fc.tuple(space, statement, lineBreak), { maxLength: 12 })
  .map((lines) => lines.map(([s, st, nl]) => s + st + nl).join(''));

const FRAGMENTS = [
  'participant',
  'Participant ',
  'note',
  'Note ',
  'left of',
  'right of',
  'left  of',
  'over',
  'title',
  'Title',
  ' as ',
  ',',
  '-',
  '--',
  '>',
  '>>',
  '<',
  ':',
  '"',
  '#',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  'A',
  'B',
  'Pay CI',
  'x',
  '\\n',
  'é',
  '\u00a0',
  '\u2028',
  '_',
  '1',
];

/** Token soup: any sequence of language fragments. */
export const fragmentText = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(''));

/** A valid-looking diagram with a few characters inserted, deleted or replaced. */
export const mutatedText = fc
  .tuple(
    diagramText,
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...FRAGMENTS)), { maxLength: 4 }),
  )
  .map(([base, edits]) => {
    let out = base;
    for (const [at, kind, fragment] of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      if (kind === 'insert') out = out.slice(0, i) + fragment + out.slice(i);
      else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + 1);
      else out = out.slice(0, i) + fragment + out.slice(i + 1);
    }
    return out;
  });

/** Any UTF-16 code units, lone surrogates and control characters included. */
const rawText = fc.string({ unit: 'binary', maxLength: 30 });
const rawMixed = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), rawText), { maxLength: 12 }).map((parts) => parts.join(''));

export const anyText = fc.oneof(
  diagramText,
  fragmentText,
  mutatedText,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  rawText,
  rawMixed,
);
