import { describe, expect, it } from 'vitest';
import { escapeBytes, escapeForTerminal, isTerminalSafe } from '../../src/util/escape.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('escapeForTerminal', () => {
  it('keeps ordinary text, including non-ASCII letters', () => {
    expect(escapeForTerminal('www.example.com')).toBe('www.example.com');
    expect(escapeForTerminal('münchen.de')).toBe('münchen.de');
  });
  it('makes screen clears, titles, clipboard writes and C1 CSI visible', () => {
    const hostile = '\x1b[2J\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\u009b31m';
    const out = escapeForTerminal(hostile);
    expect(out).toBe('\\x1b[2J\\x1b]0;pwned\\x07\\x1b]52;c;ZXZpbA==\\x07\\x9b31m');
    expect(isTerminalSafe(out)).toBe(true);
  });
  it('escapes bidi overrides and newlines', () => {
    expect(escapeForTerminal('a\u202eb\nc')).toBe('a\\u{202e}b\\nc');
  });
  it('doubles backslashes only in strict mode', () => {
    expect(escapeForTerminal('a\\b')).toBe('a\\b');
    expect(escapeForTerminal('a\\b', true)).toBe('a\\\\b');
  });
});

describe('escapeBytes', () => {
  it('decodes valid UTF-8 and escapes invalid bytes one by one', () => {
    expect(escapeBytes(enc('héllo'))).toBe('héllo');
    expect(escapeBytes(Uint8Array.from([0x41, 0xff, 0xc3, 0x28, 0x42]))).toBe('A\\xff\\xc3(B');
  });
  it('rejects overlong encodings and encoded C1 controls', () => {
    expect(escapeBytes(Uint8Array.from([0xc0, 0xaf]))).toBe('\\xc0\\xaf');
    expect(escapeBytes(Uint8Array.from([0xc2, 0x9b]))).toBe('\\x9b');
  });
  it('handles a sequence cut at the end of the range', () => {
    expect(escapeBytes(Uint8Array.from([0x41, 0xe2, 0x82]))).toBe('A\\xe2\\x82');
    expect(escapeBytes(enc('€'), 0, 2)).toBe('\\xe2\\x82');
  });
  it('keeps newlines when asked and escapes ESC always', () => {
    expect(escapeBytes(enc('GET /\r\nHost: x\x1b[2J\r\n'), 0, undefined, true)).toBe('GET /\\r\nHost: x\\x1b[2J\\r\n');
  });
  it('never yields a control byte for any single byte or random input', () => {
    for (let b = 0; b < 256; b++) expect(isTerminalSafe(escapeBytes(Uint8Array.from([b])))).toBe(true);
    let seed = 7;
    for (let n = 0; n < 500; n++) {
      const a = new Uint8Array(64);
      for (let i = 0; i < a.length; i++) a[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      expect(isTerminalSafe(escapeBytes(a))).toBe(true);
    }
  });
});
