// mermaid's parser run in Node, without a browser. Two things it reaches for while parsing are stubbed:
// DOMPurify (titles and box labels are sanitized while parsing; Node loads it as an empty shell) by a
// pass-through, and `window.CSS.supports('color', ...)` (a box's first word is its colour when the
// browser knows it as one) by CSS's named colours and rgb()/hsl() forms. Both are drawing concerns:
// the grammar and the sequence database are mermaid's own. `document.getElementById` (for `details`)
// finds nothing, as on a page without the element. Importable from vitest and from plain Node
// (the benchmark).
import DOMPurify from 'dompurify';
import mermaid from 'mermaid';

const purify = DOMPurify as unknown as Record<string, unknown>;
if (typeof purify['sanitize'] !== 'function') {
  purify['sanitize'] = (text: unknown) => String(text);
  purify['addHook'] = () => undefined;
}

/** CSS Color Module 4's named colours, and the two keywords a colour may also be. */
const NAMED_COLOURS = new Set(
  (
    'aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood ' +
    'cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod darkgray ' +
    'darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen ' +
    'darkslateblue darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey dodgerblue ' +
    'firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray green greenyellow grey honeydew ' +
    'hotpink indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan ' +
    'lightgoldenrodyellow lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray ' +
    'lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue ' +
    'mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred ' +
    'midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid ' +
    'palegoldenrod palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple ' +
    'rebeccapurple red rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue ' +
    'slateblue slategray slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white ' +
    'whitesmoke yellow yellowgreen transparent currentcolor'
  ).split(' '),
);

const NUMBER = String.raw`[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?`;
const COMPONENT = String.raw`(?:${NUMBER}(?:%|deg|rad|turn|grad)?|none)`;
/** rgb()/rgba()/hsl()/hsla() with three components and an optional alpha, comma- or space-separated. */
const COLOUR_FUNCTION = new RegExp(
  String.raw`^(?:rgba?|hsla?)\(\s*${COMPONENT}(?:\s*,\s*${COMPONENT}){2}(?:\s*,\s*${COMPONENT})?\s*\)$|` +
    String.raw`^(?:rgba?|hsla?)\(\s*${COMPONENT}(?:\s+${COMPONENT}){2}(?:\s*/\s*${COMPONENT})?\s*\)$`,
  'i',
);

/** What a browser's `CSS.supports('color', value)` answers, for the values a box label can start with. */
export function isCssColour(value: string): boolean {
  return NAMED_COLOURS.has(value.toLowerCase()) || COLOUR_FUNCTION.test(value);
}

const globals = globalThis as unknown as Record<string, unknown>;
globals['window'] ??= { CSS: { supports: (property: string, value: string) => property === 'color' && isCssColour(value) } };
// `details A: id` looks the id up in the page (and ignores a missing element); Node has no page.
globals['document'] ??= { getElementById: () => null };

export { mermaid };
