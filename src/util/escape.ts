/**
 * Everything that came off the wire is untrusted. These functions turn it into
 * text that is safe to hand to a terminal: C0 controls, DEL, C1 controls
 * (U+0080..U+009F, which some terminals treat as CSI/OSC), Unicode bidi
 * overrides and invalid UTF-8 all become visible escapes, so a packet can never
 * clear the screen, move the cursor, retitle the window or write the clipboard.
 */

const NAMED: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r', 0x5c: '\\\\' };

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** The escape text for each byte value, built once (binary payloads are mostly escapes). */
const BYTE_ESCAPES: readonly string[] = Array.from({ length: 256 }, (_, c) => (c === 0x5c ? '\\\\' : NAMED[c] ?? `\\x${hex2(c)}`));

/** Is this code point unsafe to print raw? */
function isUnsafe(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    (cp >= 0x200e && cp <= 0x200f) || // LRM/RLM
    (cp >= 0x202a && cp <= 0x202e) || // bidi embeddings and overrides
    (cp >= 0x2066 && cp <= 0x2069) || // bidi isolates
    cp === 0xfeff ||
    (cp >= 0xd800 && cp <= 0xdfff) // lone surrogates
  );
}

function escapeCodePoint(cp: number): string {
  if (cp <= 0xff) return `\\x${hex2(cp)}`;
  return `\\u{${cp.toString(16)}}`;
}

/**
 * Escape a JS string for the terminal. Backslashes are doubled only when
 * `strictBackslash` is set (so escaped output is unambiguous, as in follow's
 * ascii format); by default they are kept for readability in tables.
 */
export function escapeForTerminal(s: string, strictBackslash = false): string {
  let safe = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200e && c <= 0x206f) || c === 0xfeff ||
        (c >= 0xd800 && c <= 0xdfff) || (strictBackslash && c === 0x5c)) {
      safe = false;
      break;
    }
  }
  if (safe) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x5c) out += strictBackslash ? '\\\\' : '\\';
    else if (isUnsafe(cp)) out += NAMED[cp] ?? escapeCodePoint(cp);
    else out += ch;
  }
  return out;
}

/**
 * Decode bytes as UTF-8 and escape them for the terminal. Invalid or
 * overlong sequences show as \xNN per byte; `keepNewlines` lets multi-line
 * text (HTTP headers in the stream view) keep its line breaks. Runs of safe
 * bytes are decoded in one slice, so a large payload costs a few strings, not
 * one per byte.
 */
export function escapeBytes(b: Uint8Array, off = 0, len = b.length - off, keepNewlines = false): string {
  const end = Math.min(b.length, off + len);
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let out = '';
  let run = off;
  let i = off;
  while (i < end) {
    const c = b[i]!;
    if (c >= 0x20 && c < 0x7f && c !== 0x5c) {
      i++;
      continue;
    }
    if (c >= 0x80) {
      const cp = decodeUtf8(b, i, end);
      if (cp >= 0 && !isUnsafe(cp)) {
        i += seqLen;
        continue;
      }
      if (i > run) out += view.toString('utf8', run, i);
      if (cp < 0) {
        out += BYTE_ESCAPES[c]!;
        i++;
      } else {
        out += escapeCodePoint(cp);
        i += seqLen;
      }
      run = i;
      continue;
    }
    if (i > run) out += view.toString('utf8', run, i);
    if (c === 0x0a && keepNewlines) out += '\n';
    else out += BYTE_ESCAPES[c]!;
    i++;
    run = i;
  }
  if (end > run) out += view.toString('utf8', run, end);
  return out;
}

/**
 * Text built from wire bytes one character per byte (the dissectors' convention: field values
 * compare and hash as the bytes they were) shown for the terminal: the bytes decoded as UTF-8,
 * with invalid sequences, controls and backslashes as visible escapes (escapeBytes), so
 * `caf\xc3\xa9` reads `café` and a stray `\xff` reads `\xff`, not `ÿ`. A string with a
 * character above U+00FF is not a byte string: it is escaped as text (escapeForTerminal).
 */
export function escapeWire(s: string): string {
  let bytes = true;
  let plain = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c >= 0x7f || c === 0x5c) plain = false;
    if (c > 0xff) bytes = false;
  }
  if (plain) return s;
  if (!bytes) return escapeForTerminal(s);
  return escapeBytes(Buffer.from(s, 'latin1'));
}

/** Length of the sequence decodeUtf8 last accepted (avoids returning a tuple). */
let seqLen = 0;

/** Strict UTF-8 decoding of one sequence starting at b[i]: the code point, or -1 if invalid. */
function decodeUtf8(b: Uint8Array, i: number, end: number): number {
  const c = b[i]!;
  let need: number;
  let cp: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) (need = 1), (cp = c & 0x1f), (min = 0x80);
  else if (c >= 0xe0 && c <= 0xef) (need = 2), (cp = c & 0x0f), (min = 0x800);
  else if (c >= 0xf0 && c <= 0xf4) (need = 3), (cp = c & 0x07), (min = 0x10000);
  else return -1;
  if (i + need >= end) return -1;
  for (let k = 1; k <= need; k++) {
    const cc = b[i + k]!;
    if ((cc & 0xc0) !== 0x80) return -1;
    cp = (cp << 6) | (cc & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  seqLen = need + 1;
  return cp;
}

/** True if a string contains nothing a terminal would interpret. */
export function isTerminalSafe(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp !== 0x0a && isUnsafe(cp)) return false;
  }
  return true;
}
