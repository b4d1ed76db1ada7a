import { describe, expect, it } from 'vitest';
import { block, epb, frame, idb, shb, spb } from './bytes.js';
import { parseAll } from './collect.js';

const T = 1_700_000_000_123_456n; // µs since the epoch

describe('pcapng parser', () => {
  for (const le of [true, false]) {
    it(`reads EPBs from a ${le ? 'little' : 'big'}-endian section, chunked or byte by byte`, () => {
      const bytes = Buffer.concat([
        shb(le),
        idb(le, { linkType: 1, snaplen: 65535 }),
        idb(le, { linkType: 113 }),
        epb(le, { ifId: 0, ts: T, data: frame(61, 1), origLen: 100 }),
        epb(le, { ifId: 1, ts: T + 1n, data: frame(42, 2) }),
      ]);
      for (const chunk of [bytes.length, 1, 5]) {
        const r = parseAll(bytes, chunk);
        expect(r.format).toBe('pcapng');
        expect(r.warnings).toEqual([]);
        expect(r.packets.map((p) => [p.ifIndex, p.linkType, p.capLen, p.origLen, p.tsSec, p.tsNsec, p.first, p.last])).toEqual([
          [0, 1, 61, 100, 1700000000, 123456000, 1, 1],
          [1, 113, 42, 42, 1700000000, 123457000, 2, 2],
        ]);
      }
    });
  }

  it('handles several sections with a byte-order change; interfaces reset per section', () => {
    const bytes = Buffer.concat([
      shb(true),
      idb(true, { linkType: 1 }),
      idb(true, { linkType: 0 }),
      epb(true, { ifId: 1, ts: T, data: frame(10, 1) }),
      shb(false),
      idb(false, { linkType: 101, tsresol: 9 }),
      epb(false, { ifId: 0, ts: 1_700_000_000_999_999_999n, data: frame(11, 2) }),
      epb(false, { ifId: 1, ts: T, data: frame(12, 3) }), // interface 1 does not exist in this section
      shb(true),
      idb(true, { linkType: 228 }),
      epb(true, { ifId: 0, ts: T, data: frame(13, 4) }),
    ]);
    const r = parseAll(bytes, 3);
    expect(r.packets.map((p) => [p.ifIndex, p.linkType, p.capLen, p.tsSec, p.tsNsec])).toEqual([
      [1, 0, 10, 1700000000, 123456000],
      [2, 101, 11, 1700000000, 999999999],
      [3, 228, 13, 1700000000, 123456000],
    ]);
    expect(r.warnings).toEqual([expect.stringMatching(/undefined interface 1; skipped/)]);
    expect(r.linkTypes).toEqual([1, 0, 101, 228]);
  });

  it('applies if_tsresol (10^-6, 10^-9, 2^-n, 10^-12) and if_tsoffset', () => {
    const le = true;
    const bytes = Buffer.concat([
      shb(le),
      idb(le, {}),
      idb(le, { tsresol: 9 }),
      idb(le, { tsresol: 0x80 | 20 }),
      idb(le, { tsresol: 6, tsoffset: 1_000_000_000n }),
      idb(le, { tsresol: 12 }),
      idb(le, { tsresol: 0 }),
      epb(le, { ifId: 0, ts: 1_234_567n, data: frame(1) }),
      epb(le, { ifId: 1, ts: 1_700_000_000_123_456_789n, data: frame(1) }),
      epb(le, { ifId: 2, ts: (5n << 20n) | (1n << 19n), data: frame(1) }),
      epb(le, { ifId: 3, ts: 700_000_000_000_001n, data: frame(1) }),
      epb(le, { ifId: 4, ts: 1_700_000_000_123_456_789_012n & 0xffffffffffffffffn, data: frame(1) }),
      epb(le, { ifId: 5, ts: 1_700_000_000n, data: frame(1) }),
    ]);
    const r = parseAll(bytes);
    const big = 1_700_000_000_123_456_789_012n & 0xffffffffffffffffn;
    expect(r.packets.map((p) => [p.tsSec, p.tsNsec])).toEqual([
      [1, 234_567_000],
      [1_700_000_000, 123_456_789],
      [5, 500_000_000],
      [1_700_000_000, 1_000],
      [Number(big / 1_000_000_000_000n), Number((big % 1_000_000_000_000n) / 1000n)],
      [1_700_000_000, 0],
    ]);
  });

  it('is exact to the nanosecond for tsresol 9 over many values', () => {
    const le = false;
    const stamps: bigint[] = [];
    let x = 0x2545f4914f6cdd1dn;
    for (let i = 0; i < 200; i++) {
      x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
      stamps.push(x % 4_102_444_800_000_000_000n); // up to 2100-01-01
    }
    stamps.push(0n, 999_999_999n, 1_000_000_000n, 0xffffffffn, 0x100000000n);
    const bytes = Buffer.concat([shb(le), idb(le, { tsresol: 9 }), ...stamps.map((ts) => epb(le, { ts, data: frame(4) }))]);
    const r = parseAll(bytes);
    expect(r.packets.map((p) => [p.tsSec, p.tsNsec])).toEqual(stamps.map((s) => [Number(s / 1_000_000_000n), Number(s % 1_000_000_000n)]));
  });

  it('does not crash on timestamps past 2106 (seconds above 2^32)', () => {
    const le = true;
    const r = parseAll(Buffer.concat([shb(le), idb(le, { tsresol: 9 }), epb(le, { ts: 0xffffffffffffffffn, data: frame(4) })]));
    expect(r.packets[0]).toMatchObject({ tsSec: 18446744073, tsNsec: 709551615 });
    const us = parseAll(Buffer.concat([shb(le), idb(le), epb(le, { ts: 4294967296n * 1_000_000n, data: frame(4) })]));
    expect(us.packets[0]).toMatchObject({ tsSec: 4294967296, tsNsec: 0 });
  });

  it('reads SPBs with interface 0 link type and snaplen, orig len from the block', () => {
    const le = true;
    const bytes = Buffer.concat([
      shb(le),
      idb(le, { linkType: 113, snaplen: 50 }),
      epb(le, { ts: T, data: frame(20, 9) }),
      spb(le, frame(80, 7), 80),
      spb(le, frame(50, 6), 1500),
    ]);
    const r = parseAll(bytes, 1);
    expect(r.packets.map((p) => [p.linkType, p.capLen, p.origLen, p.first, p.tsSec, p.tsNsec])).toEqual([
      [113, 20, 20, 9, 1700000000, 123456000],
      [113, 50, 80, 7, 1700000000, 123456000],
      [113, 50, 1500, 6, 1700000000, 123456000],
    ]);
  });

  it('reads the obsolete Packet Block (type 2)', () => {
    const le = false;
    const r = parseAll(Buffer.concat([shb(le), idb(le), idb(le, { linkType: 0 }), epb(le, { ifId: 1, ts: T, data: frame(33, 5), origLen: 60, obsolete: true })]));
    expect(r.packets).toEqual([expect.objectContaining({ ifIndex: 1, linkType: 0, capLen: 33, origLen: 60, first: 5 })]);
  });

  it('skips NRB, ISB, custom, DSB and unknown blocks', () => {
    const le = true;
    const bytes = Buffer.concat([
      shb(le),
      block(0x00000bad, frame(13), le),
      block(4, frame(16, 0), le),
      idb(le),
      block(0x40000bad, frame(7), le),
      epb(le, { ts: T, data: frame(10, 1) }),
      block(5, frame(24), le),
      block(0x0000000a, frame(40), le),
      block(0x12345678, frame(8), le),
      block(0x80000001, Buffer.alloc(0), le),
      epb(le, { ts: T, data: frame(10, 2) }),
    ]);
    const r = parseAll(bytes, 9);
    expect(r.packets.map((p) => p.first)).toEqual([1, 2]);
    expect(r.warnings).toEqual([]);
  });

  describe('truncation and corruption', () => {
    const le = true;
    const head = Buffer.concat([shb(le), idb(le)]);
    const one = epb(le, { ts: T, data: frame(100, 1) });
    const whole = Buffer.concat([head, one, one]);
    it('inside a block header', () => {
      const cut = head.length + one.length + 6;
      const r = parseAll(whole.subarray(0, cut), 4);
      expect(r.packets).toHaveLength(1);
      expect(r.truncated).toBe(true);
      expect(r.warnings).toEqual([`truncated capture: last block (starting at byte ${head.length + one.length}) cut at byte ${cut}`]);
    });
    it('inside an EPB', () => {
      const cut = head.length + one.length + 50;
      const r = parseAll(whole.subarray(0, cut));
      expect(r.packets).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/^truncated capture: last block \(starting at byte \d+\) cut at byte \d+$/);
    });
    it('inside the section header', () => {
      const r = parseAll(whole.subarray(0, 10));
      expect(r.packets).toHaveLength(0);
      expect(r.truncated).toBe(true);
    });
    it('stops on an impossible block length', () => {
      const bad = Buffer.concat([head, one, Buffer.from([6, 0, 0, 0, 7, 0, 0, 0]), frame(40)]);
      const r = parseAll(bad);
      expect(r.packets).toHaveLength(1);
      expect(r.stopped).toBe(true);
      expect(r.warnings[0]).toMatch(/invalid length 7; stopped reading/);
    });
    it('skips an EPB whose caplen exceeds its block', () => {
      const e = epb(le, { ts: T, data: frame(8) });
      e.writeUInt32LE(5000, 20);
      const r = parseAll(Buffer.concat([head, e, one]));
      expect(r.packets).toHaveLength(1);
      expect(r.warnings[0]).toMatch(/caplen 5000 beyond its block/);
    });
  });
});
