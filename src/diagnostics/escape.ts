// Text from diagrams, file names and handlers reaches terminals. Raw control characters in it could
// move the cursor, clear the screen or retitle the window (ESC and OSC sequences), or hide what was
// printed before them (CR, backspace). Every human-readable output passes such text through here.

/** C0 controls, DEL and C1 controls (U+0080-U+009F; U+009B is a one-character CSI). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

const NAMED: Readonly<Record<number, string>> = {
  0: '\\0',
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
  27: '\\e',
};

export interface EscapeOptions {
  /** Escape line breaks and tabs too, for text that must stay on one line (table cells, list rows). */
  readonly singleLine?: boolean;
}

function shown(char: string, options: EscapeOptions): string {
  const code = char.charCodeAt(0);
  if (!options.singleLine && (code === 9 || code === 10)) return char;
  return NAMED[code] ?? `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * `text` with every control character shown as an escape: ESC as `\e`, CR as `\r`, others as
 * `\xHH`. Line breaks and tabs are kept unless `singleLine`. Everything else is left as it is.
 */
export function escapeControls(text: string, options: EscapeOptions = {}): string {
  CONTROLS.lastIndex = 0;
  if (!CONTROLS.test(text)) return text;
  return text.replace(CONTROLS, (char) => shown(char, options));
}
