import { describe, expect, it } from 'vitest';
import { escapeBytes, escapeForTerminal, escapeWire, isTerminalSafe } from '../../src/util/escape.js';

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

describe('escapeWire (strings the dissectors made one character per byte)', () => {
  it('decodes the bytes as UTF-8; invalid bytes, controls and bidi characters become escapes', () => {
    const bytes = (...b: number[]): string => String.fromCharCode(...b);
    expect(escapeWire('plain.example')).toBe('plain.example');
    expect(escapeWire(`caf${bytes(0xc3, 0xa9)}`)).toBe('caf\u00e9');
    expect(escapeWire(`a${bytes(0xff, 0xfe, 0xc3, 0x28, 0xc0, 0xaf)}b`)).toBe('a\\xff\\xfe\\xc3(\\xc0\\xafb');
    expect(escapeWire(`x${bytes(0xe2, 0x80, 0xae)}y\x1b[2J`)).toBe('x\\u{202e}y\\x1b[2J');
    expect(escapeWire(`c1${bytes(0x9b)}2J`)).toBe('c1\\x9b2J');
  });

  it('escapes text that is not a byte string as text', () => {
    expect(escapeWire('a\u202eb \u2192')).toBe('a\\u{202e}b \u2192');
    expect(isTerminalSafe(escapeWire('\u0085\u009b\u2066'))).toBe(true);
  });
});
