// A diagram file's bytes to text. Only UTF-8 is read: a file that is not UTF-8 is an error naming the
// first bad byte, never text with U+FFFD in place of its bytes (which `fmt` would then write back).
// A UTF-8 byte order mark is not part of the text (columns are those an editor shows); `bom` says
// that the file had one, so that whoever writes the file back writes it again.
import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/types.ts';
import { LineIndex } from '../diagnostics/lines.ts';
import { diagnostic } from './diagnose.ts';

export interface SourceFile {
  readonly text: string;
  readonly bom: boolean;
}

export type SourceRead = { readonly ok: true; readonly source: SourceFile } | { readonly ok: false; readonly diagnostic: Diagnostic };

const BOM = '\ufeff';
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { ignoreBOM: true });

function withoutBom(text: string): SourceFile {
  return text.startsWith(BOM) ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** The offset of the first byte that does not begin a well-formed UTF-8 sequence (Unicode table 3-7), or -1. */
export function firstInvalidByte(bytes: Uint8Array): number {
  for (let at = 0; at < bytes.length;) {
    const lead = bytes[at] ?? 0;
    if (lead < 0x80) {
      at++;
      continue;
    }
    const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return at;
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const next = bytes[at + k];
      if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return at;
    }
    at += length;
  }
  return -1;
}

function notUtf8(bytes: Uint8Array, offset: number, file: string): Diagnostic {
  const before = withoutBom(strict.decode(bytes.subarray(0, offset))).text;
  const position = new LineIndex(before).position(before.length);
  const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
  const message = `${file} is not UTF-8: byte 0x${byte} at byte offset ${offset} is not part of a UTF-8 character`;
  return diagnostic('SEQ004', message, file, { start: position, end: position });
}

/** The file's text, or SEQ004 at the first byte that is not UTF-8. */
export function decodeSource(bytes: Uint8Array, file: string): SourceRead {
  if (isUtf8(bytes)) return { ok: true, source: withoutBom(strict.decode(bytes)) };
  return { ok: false, diagnostic: notUtf8(bytes, Math.max(0, firstInvalidByte(bytes)), file) };
}

function unreadableReason(error: unknown): string {
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'no such file';
  if (error instanceof Error && 'code' in error && error.code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? error.message : String(error);
}

/** SEQ001 for a file that cannot be read. */
export function unreadableDiagnostic(file: string, error: unknown): Diagnostic {
  return diagnostic('SEQ001', `cannot read ${file}: ${unreadableReason(error)}`, file, null);
}

/** Reads `path` (named `file` in diagnostics) as UTF-8. */
export async function readSource(path: string, file = path): Promise<SourceRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { ok: false, diagnostic: unreadableDiagnostic(file, error) };
  }
  return decodeSource(bytes, file);
}

/**
 * The text the parser saw, for code frames: without the byte order mark; a file that is not UTF-8
 * decoded with U+FFFD for its bad bytes (shown, never written). Null when it cannot be read.
 */
export function sourceForFrames(path: string): string | null {
  try {
    return withoutBom(lossy.decode(readFileSync(path))).text;
  } catch {
    return null;
  }
}
