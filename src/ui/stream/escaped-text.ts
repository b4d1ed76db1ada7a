import { escapeBytes } from '../../util/escape.js';

/**
 * Escaped text of a run of wire bytes plus, for every byte, where its escape starts in the text.
 * The text comes from the shared `escapeBytes` (the one place that decides what is safe); the map
 * is recovered by walking the text and the bytes in step, so wrapping never splits an escape and a
 * search hit in the text can be shown on the bytes of a hex dump.
 */
export interface EscapedText {
  readonly text: string;
  /** byteToChar[i] = start of the escape of byte i; byteToChar[n] = text.length. Bytes of one escape share it. */
  readonly byteToChar: Int32Array;
}

function hexDigit(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

export function escapeWithMap(bytes: Uint8Array): EscapedText {
  return extendEscaped(null, bytes);
}

/**
 * The escape of `bytes`, given `prev`, the escape of a prefix of them (a run that grew by new
 * segments). Only the tail is escaped again: from the escape holding the prefix's fourth-last byte,
 * since a UTF-8 sequence cut at the old end may now be whole and no sequence is longer than four.
 */
export function extendEscaped(prev: EscapedText | null, bytes: Uint8Array): EscapedText {
  const n = bytes.length;
  const map = new Int32Array(n + 1);
  let from = 0;
  let head = '';
  if (prev !== null && prev.byteToChar.length - 1 <= n) {
    const old = prev.byteToChar;
    from = Math.max(0, old.length - 1 - 4);
    while (from > 0 && old[from - 1] === old[from]) from--;
    map.set(old.subarray(0, from));
    head = prev.text.slice(0, old[from]);
  }
  const tail = escapeBytes(bytes, from, n - from, true);
  mapTail(tail, bytes, from, head.length, map);
  return { text: head + tail, byteToChar: map };
}

/** Fill map[from..n] by walking `text` (the escape of bytes[from..n)) and the bytes in step. */
function mapTail(text: string, bytes: Uint8Array, from: number, shift: number, map: Int32Array): void {
  const n = bytes.length;
  let i = from;
  let p = 0;
  while (p < text.length && i < n) {
    const start = p;
    let used: number;
    if (text.charCodeAt(p) === 0x5c) {
      const c = text[p + 1];
      if (c === 'x') {
        const v = (hexDigit(text.charCodeAt(p + 2)) << 4) | hexDigit(text.charCodeAt(p + 3));
        // `\x85` is either the raw byte 0x85 (invalid UTF-8) or the C1 control U+0085 (bytes c2 85).
        used = bytes[i] === v ? 1 : 2;
        p += 4;
      } else if (c === 'u') {
        const close = text.indexOf('}', p);
        used = utf8Length(parseInt(text.slice(p + 3, close), 16));
        p = close + 1;
      } else {
        used = 1;
        p += 2;
      }
    } else {
      const cp = text.codePointAt(p)!;
      used = utf8Length(cp);
      p += cp > 0xffff ? 2 : 1;
    }
    for (let k = 0; k < used && i < n; k++) map[i++] = shift + start;
  }
  map[n] = shift + text.length;
}

/** First byte whose escape starts at or after char position `c` (binary search; the map is sorted). */
export function charToByte(t: EscapedText, c: number): number {
  const m = t.byteToChar;
  let lo = 0;
  let hi = m.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (m[mid]! < c) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Bytes whose escapes overlap text[cs, ce). */
export function byteRangeOf(t: EscapedText, cs: number, ce: number): [number, number] {
  let b0 = charToByte(t, cs);
  if (b0 > 0 && t.byteToChar[b0]! > cs) b0--;
  while (b0 > 0 && t.byteToChar[b0 - 1] === t.byteToChar[b0]) b0--;
  const b1 = charToByte(t, ce);
  return [b0, Math.max(b0, b1)];
}
