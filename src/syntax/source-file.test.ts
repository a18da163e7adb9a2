// Bytes to text: UTF-8 only, the first bad byte named, a byte order mark set aside.
import { describe, expect, test } from 'vitest';
import { decodeSource, firstInvalidByte } from './source-file.ts';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('firstInvalidByte', () => {
  test('well-formed UTF-8 of every length has none', () => {
    expect(firstInvalidByte(bytes('A->B: café 東京 🚀'))).toBe(-1);
  });

  test('stray continuation, Latin-1, overlong, surrogate, beyond U+10FFFF and truncated sequences', () => {
    expect(firstInvalidByte(bytes('ab', [0x80]))).toBe(2);
    expect(firstInvalidByte(bytes('caf', [0xe9], ' x'))).toBe(3);
    expect(firstInvalidByte(bytes('a', [0xc0, 0xaf]))).toBe(1);
    expect(firstInvalidByte(bytes('a', [0xe0, 0x80, 0xaf]))).toBe(1);
    expect(firstInvalidByte(bytes('a', [0xed, 0xa0, 0x80]))).toBe(1);
    expect(firstInvalidByte(bytes('a', [0xf4, 0x90, 0x80, 0x80]))).toBe(1);
    expect(firstInvalidByte(bytes('ok ', [0xe2, 0x82]))).toBe(3);
  });
});

describe('decodeSource', () => {
  test('a byte order mark is not part of the text, and is remembered', () => {
    expect(decodeSource(bytes([0xef, 0xbb, 0xbf], 'A->B: x\n'), 'a.seq')).toEqual({ ok: true, source: { text: 'A->B: x\n', bom: true } });
    expect(decodeSource(bytes('A->B: x\n'), 'a.seq')).toEqual({ ok: true, source: { text: 'A->B: x\n', bom: false } });
  });

  test('not UTF-8: SEQ004 at the line and column of the first bad byte, its offset in the message', () => {
    const read = decodeSource(bytes([0xef, 0xbb, 0xbf], 'A->B: ok\r\nA->B: é', [0xff]), 'a.seq');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.diagnostic).toMatchObject({ code: 'SEQ004', severity: 'error', file: 'a.seq', span: { start: { line: 2, column: 8 } } });
    expect(read.diagnostic.message).toBe('a.seq is not UTF-8: byte 0xff at byte offset 21 is not part of a UTF-8 character');
  });
});
