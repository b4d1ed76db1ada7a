import { describe, expect, test } from 'vitest';
import { byteRangeOf, escapeWithMap, extendEscaped } from '../../../src/ui/stream/escaped-text.js';
import { EscapeCache, buildBlocks } from '../../../src/ui/stream/stream-data.js';
import { layoutStream } from '../../../src/ui/stream/stream-layout.js';
import { streamBodyLines, streamTitleLine } from '../../../src/ui/stream/stream-lines.js';
import { findMatches, rowOfMatch } from '../../../src/ui/stream/stream-search.js';
import { controlBytes, data, gap, httpChunks, source } from './stream-fixtures.js';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('escaped text with a byte map', () => {
  test('every byte maps to the start of its escape', () => {
    // 'A', ESC, raw 0x9b (invalid UTF-8), U+009B as c2 9b, 'é' (c3 a9), backslash, RLO (e2 80 ae), newline
    const t = escapeWithMap(bytes(0x41, 0x1b, 0x9b, 0xc2, 0x9b, 0xc3, 0xa9, 0x5c, 0xe2, 0x80, 0xae, 0x0a));
    expect(t.text).toBe('A\\x1b\\x9b\\x9bé\\\\\\u{202e}\n');
    expect(Array.from(t.byteToChar)).toEqual([0, 1, 5, 9, 9, 13, 13, 14, 16, 16, 16, 24, 25]);
    expect(byteRangeOf(t, 10, 11)).toEqual([3, 5]); // inside the escape of c2 9b: both bytes
    expect(byteRangeOf(t, 1, 9)).toEqual([1, 3]);
  });

  test('invalid UTF-8 and truncated sequences map byte for byte', () => {
    const t = escapeWithMap(bytes(0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82));
    expect(t.text).toBe('\\xff\\xfe\\xc3(\\xe2\\x82');
    expect(Array.from(t.byteToChar)).toEqual([0, 4, 8, 12, 13, 17, 21]);
  });
});

describe('growing runs', () => {
  /** Deterministic xorshift over bytes biased to UTF-8 lead/continuation bytes and controls. */
  function randomBytes(seed: number, n: number): Uint8Array {
    let x = seed;
    const pool = [0x1b, 0x0a, 0x0d, 0x5c, 0x41, 0xc2, 0x9b, 0xe2, 0x80, 0xae, 0xf0, 0x9f, 0x98, 0x80, 0xff, 0xed, 0xa0, 0xc3, 0xa9, 0x7f];
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = pool[(x >>> 0) % pool.length]!;
    }
    return out;
  }

  test('extending an escape equals escaping the whole', () => {
    for (let seed = 1; seed < 300; seed++) {
      const all = randomBytes(seed, 40);
      const cut = seed % 41;
      const whole = escapeWithMap(all);
      const grown = extendEscaped(escapeWithMap(all.subarray(0, cut)), all);
      expect(grown.text).toBe(whole.text);
      expect(Array.from(grown.byteToChar)).toEqual(Array.from(whole.byteToChar));
    }
  });

  test('a run that grows is extended from the cache, not escaped again', () => {
    const cache = new EscapeCache();
    const first = data(0, Uint8Array.from([0x61, 0xe2, 0x80])); // a UTF-8 sequence cut at the segment end
    const a = buildBlocks(source([first]), cache);
    const b = buildBlocks(source([first, data(0, Uint8Array.from([0xae, 0x62]))]), cache);
    const c = buildBlocks(source([first, data(0, Uint8Array.from([0xae, 0x62]))]), cache);
    expect(a[0]!.kind === 'data' && a[0]!.escaped.text).toBe('a\\xe2\\x80');
    expect(b[0]!.kind === 'data' && b[0]!.escaped.text).toBe('a\\u{202e}b');
    expect(c[0]!.kind === 'data' && b[0]!.kind === 'data' && c[0]!.escaped === b[0]!.escaped).toBe(true);
  });
});

describe('stream layout', () => {
  test('segments of one direction join into a block; gaps and drops are their own blocks', () => {
    const blocks = buildBlocks(source([...httpChunks(), gap(1, 1200)], { dropped: [100, 0] }));
    expect(blocks.map((b) => `${b.kind}:${b.dir}`)).toEqual(['dropped:0', 'data:0', 'data:1', 'data:0', 'data:1', 'gap:1']);
    const first = blocks[1]!;
    expect(first.kind === 'data' && first.escaped.text.startsWith('GET /index.html HTTP/1.1\\r\nHost: example.com\\r\n')).toBe(true);
    expect(first.offset).toBe(100);
  });

  test('UDP datagrams stay separate blocks, even in one direction', () => {
    const blocks = buildBlocks(source([data(0, 'q1'), data(0, 'q2'), data(1, 'r1')], { proto: 'udp' }));
    expect(blocks.map((b) => (b.kind === 'data' ? `${b.dir}:${b.escaped.text}` : b.kind))).toEqual(['0:q1', '0:q2', '1:r1']);
    expect(blocks.map((b) => b.offset)).toEqual([0, 2, 0]);
  });

  test.each([80, 160])('the title fits %i columns with IPv6 endpoints', (width) => {
    const title = streamTitleLine({ proto: 'udp', index: 12345, client: '[2001:db8:85a3::8a2e:370:7334]:51234', server: '[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:443', width });
    const text = title.map((s) => s.text).join('');
    expect(text.length).toBeLessThanOrEqual(width);
    expect(text).toContain(' udp.stream 12345 ');
    expect(text).toContain('C> [2001:db8:');
    expect(text).toContain('S< [2001:db8:');
  });

  test.each([80, 160])('long lines wrap at width %i without splitting an escape', (width) => {
    const payload = new Uint8Array(600);
    for (let i = 0; i < payload.length; i++) payload[i] = i % 7 === 0 ? 0x1b : 0x61;
    const blocks = buildBlocks(source([data(0, payload)]));
    const layout = layoutStream(blocks, 'ascii', width);
    const b = blocks[0]!;
    if (b.kind !== 'data') throw new Error('data block expected');
    let joined = '';
    for (const row of layout.rows) {
      if (row.kind !== 'text') continue;
      const text = b.escaped.text.slice(row.cs, row.ce);
      expect(text.length).toBeLessThanOrEqual(width - 3);
      expect(text).toMatch(/^(a|\\x1b)+$/);
      joined += text;
    }
    expect(joined).toBe(b.escaped.text);
  });

  test('hex rows are 16 bytes wide at 80 columns, 8 when narrower', () => {
    const blocks = buildBlocks(source([data(0, 'x'.repeat(40))]));
    expect(layoutStream(blocks, 'hex', 80).perRow).toBe(16);
    expect(layoutStream(blocks, 'hex', 60).perRow).toBe(8);
    expect(layoutStream(blocks, 'hex', 80).rows).toHaveLength(3);
    expect(layoutStream(blocks, 'both', 80).rows).toHaveLength(4);
  });
});

describe('search', () => {
  test('searches the escaped text, smart case', () => {
    const blocks = buildBlocks(source([data(0, bytes(0x41, 0x1b, 0x5b, 0x32, 0x4a, 0x42)), ...httpChunks()]));
    expect(findMatches(blocks, '\\x1b[2J')).toEqual([{ block: 0, cs: 1, ce: 8 }]);
    expect(findMatches(blocks, 'host')).toHaveLength(2);
    expect(findMatches(blocks, 'HOST')).toHaveLength(0);
  });

  test('a hit is toned in text rows and on its bytes in hex rows', () => {
    const blocks = buildBlocks(source([data(0, 'hello \x1b world')]));
    const matches = findMatches(blocks, '\\x1b');
    for (const mode of ['ascii', 'hex'] as const) {
      const layout = layoutStream(blocks, mode, 80);
      expect(rowOfMatch(layout, blocks, matches[0]!)).toBe(0);
      const [row] = streamBodyLines({ blocks, layout, top: 0, height: 5, matches, current: matches[0]! });
      const hit = row!.filter((s) => s.tone === 'match-current').map((s) => s.text);
      // text: the escape itself; hex: the byte's digits and its `.` in the ASCII column
      expect(hit).toEqual(mode === 'ascii' ? ['\\x1b'] : ['1b', '.']);
    }
  });

  test('every hit on screen is toned, however many the search found (rows look up only their own)', () => {
    // 'é' (two bytes) now and then, so hits sit on both sides of multi-byte characters and row edges.
    const text = Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? 'é' : 'xb')).join('');
    const blocks = buildBlocks(source([data(0, text)]));
    const matches = findMatches(blocks, 'b');
    expect(matches.length).toBe(text.split('b').length - 1);
    for (const mode of ['ascii', 'hex'] as const) {
      const layout = layoutStream(blocks, mode, 80);
      const top = 3;
      const lines = streamBodyLines({ blocks, layout, top, height: 10, matches, current: null });
      const toned = lines.flatMap((l) => l.filter((s) => s.tone === 'match').map((s) => s.text)).join('');
      const rows = layout.rows.slice(top, top + 10);
      // Each b on screen is toned: ascii shows it once; hex shows its digits (62) and its `b` in the ASCII column.
      const bs = mode === 'ascii'
        ? rows.reduce((n, r) => n + (r.kind === 'text' ? blocks[0]!.kind === 'data' ? (blocks[0]!.escaped.text.slice(r.cs, r.ce).split('b').length - 1) : 0 : 0), 0)
        : rows.reduce((n, r) => n + (r.kind === 'hex' && blocks[0]!.kind === 'data' ? [...blocks[0]!.bytes.subarray(r.bs, r.be)].filter((c) => c === 0x62).length : 0), 0);
      expect(bs).toBeGreaterThan(5);
      expect(toned.split(mode === 'ascii' ? 'b' : '62').length - 1).toBe(bs);
    }
  });

  test('drawn rows never contain a control character', () => {
    const evil = bytes(0x1b, 0x5b, 0x32, 0x4a, 0x1b, 0x5d, 0x35, 0x32, 0x3b, 0x63, 0x3b, 0x07, 0x9b, 0xc2, 0x9b, 0xff, 0x00, 0x7f, 0x0d);
    const blocks = buildBlocks(source([data(1, evil)]));
    for (const mode of ['ascii', 'hex', 'both'] as const) {
      const lines = streamBodyLines({ blocks, layout: layoutStream(blocks, mode, 80), top: 0, height: 10, matches: [], current: null });
      const text = lines.map((l) => l.map((s) => s.text).join('')).join('\n');
      expect(controlBytes(text)).toEqual([]);
    }
  });
});
