import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/capture/capture-error.js';
import { EMPTY_FILE, NOT_A_CAPTURE } from '../../src/capture/capture-parser.js';
import { frame, pcapHeader, pcapRecord } from './bytes.js';
import { parseAll } from './collect.js';

function sample(le: boolean, nano: boolean): Buffer {
  return Buffer.concat([
    pcapHeader({ le, nano, linkType: 1 }),
    pcapRecord({ le, sec: 1700000000, frac: nano ? 123456789 : 123456, data: frame(60, 1), origLen: 60 }),
    pcapRecord({ le, sec: 1700000001, frac: nano ? 999999999 : 999999, data: frame(1514, 2), origLen: 1514 }),
    pcapRecord({ le, sec: 1700000002, frac: 0, data: frame(0), origLen: 64 }),
  ]);
}

describe('pcap parser', () => {
  for (const le of [true, false]) {
    for (const nano of [false, true]) {
      it(`reads ${nano ? 'ns' : 'µs'} magic, ${le ? 'little' : 'big'}-endian, in one chunk and byte by byte`, () => {
        const bytes = sample(le, nano);
        for (const chunk of [bytes.length, 1, 7, 17]) {
          const r = parseAll(bytes, chunk);
          expect(r.format).toBe('pcap');
          expect(r.warnings).toEqual([]);
          expect(r.truncated).toBe(false);
          expect(r.packets.map((p) => [p.capLen, p.origLen, p.tsSec, p.tsNsec, p.first, p.last])).toEqual([
            [60, 60, 1700000000, nano ? 123456789 : 123456000, 1, 1],
            [1514, 1514, 1700000001, 999999000 + (nano ? 999 : 0), 2, 2],
            [0, 64, 1700000002, 0, -1, -1],
          ]);
        }
      });
    }
  }

  it('masks the link type to its low 16 bits (FCS / reserved bits set)', () => {
    const r = parseAll(Buffer.concat([pcapHeader({ linkType: 0x40000001 }), pcapRecord({ sec: 1, frac: 0, data: frame(20) })]));
    expect(r.packets[0]!.linkType).toBe(1);
    expect(r.linkTypes).toEqual([1]);
  });

  it('delivers caplen > snaplen with a counted warning', () => {
    const bytes = Buffer.concat([
      pcapHeader({ snaplen: 64 }),
      pcapRecord({ sec: 1, frac: 0, data: frame(100) }),
      pcapRecord({ sec: 2, frac: 0, data: frame(100) }),
      pcapRecord({ sec: 3, frac: 0, data: frame(64) }),
    ]);
    const r = parseAll(bytes);
    expect(r.packets).toHaveLength(3);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/caplen 100 > snaplen 64 \(2 times\)/);
  });

  it('skips a record with caplen > 262144 when the next record is plausible', () => {
    const bogus = Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0, 0, 0, 0x10]), Buffer.from([0, 0, 0, 0x10]), frame(10, 0)]);
    const bytes = Buffer.concat([
      pcapHeader(),
      pcapRecord({ sec: 1700000000, frac: 0, data: frame(40, 3) }),
      bogus,
      pcapRecord({ sec: 1700000001, frac: 0, data: frame(30, 4) }),
      pcapRecord({ sec: 1700000002, frac: 0, data: frame(20, 5) }),
    ]);
    const r = parseAll(bytes);
    expect(r.packets.map((p) => p.first)).toEqual([3, 4, 5]);
    expect(r.warnings[0]).toMatch(/claims caplen 268435456 > 262144; skipped 26 bytes/);
  });

  it('stops with a warning when no record follows an impossible caplen', () => {
    const bytes = Buffer.concat([
      pcapHeader(),
      pcapRecord({ sec: 1700000000, frac: 0, data: frame(40, 3) }),
      Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0x10]),
      frame(200, 0xee),
    ]);
    for (const chunk of [bytes.length, 13]) {
      const r = parseAll(bytes, chunk);
      expect(r.packets).toHaveLength(1);
      expect(r.stopped).toBe(true);
      expect(r.warnings).toEqual(['record at byte 80 claims caplen 268435456 > 262144 and no later record could be found; stopped reading']);
    }
  });

  it('normalises invalid µs and ns fields instead of failing', () => {
    const us = parseAll(Buffer.concat([pcapHeader(), pcapRecord({ sec: 10, frac: 2_500_000, data: frame(20) })]));
    expect(us.packets[0]).toMatchObject({ tsSec: 12, tsNsec: 500_000_000 });
    expect(us.warnings[0]).toMatch(/invalid microsecond field/);
    const ns = parseAll(Buffer.concat([pcapHeader({ nano: true }), pcapRecord({ sec: 10, frac: 0xffffffff, data: frame(20) })]));
    expect(ns.packets[0]).toMatchObject({ tsSec: 14, tsNsec: 294_967_295 });
  });

  it('raises origLen below caplen to caplen', () => {
    const r = parseAll(Buffer.concat([pcapHeader(), pcapRecord({ sec: 1, frac: 0, data: frame(50), origLen: 10 })]));
    expect(r.packets[0]!.origLen).toBe(50);
    expect(r.warnings).toHaveLength(1);
  });

  describe('truncation', () => {
    const whole = sample(true, false);
    it('inside the global header', () => {
      const r = parseAll(whole.subarray(0, 12));
      expect(r.packets).toEqual([]);
      expect(r.truncated).toBe(true);
      expect(r.warnings).toEqual(['truncated capture: pcap file header cut at byte 12']);
    });
    it('inside the magic itself', () => {
      const r = parseAll(whole.subarray(0, 2));
      expect(r.truncated).toBe(true);
      expect(r.warnings).toEqual(['truncated capture: file header cut at byte 2']);
    });
    it('inside a record header', () => {
      const cut = 24 + 16 + 60 + 7;
      const r = parseAll(whole.subarray(0, cut), 5);
      expect(r.packets).toHaveLength(1);
      expect(r.truncated).toBe(true);
      expect(r.warnings).toEqual([`truncated capture: last record (starting at byte 100) cut at byte ${cut}`]);
    });
    it('inside packet data', () => {
      const cut = 24 + 16 + 60 + 16 + 700;
      const r = parseAll(whole.subarray(0, cut), 1);
      expect(r.packets).toHaveLength(1);
      expect(r.warnings[0]).toBe(`truncated capture: last record (starting at byte 100) cut at byte ${cut}`);
    });
  });

  it('rejects input that is not a capture', () => {
    expect(() => parseAll(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(new CaptureError(NOT_A_CAPTURE));
    expect(() => parseAll(Buffer.from('GE'))).toThrow(NOT_A_CAPTURE);
    try {
      parseAll(Buffer.from('hello world'));
    } catch (e) {
      expect(e).toBeInstanceOf(CaptureError);
      expect((e as CaptureError).exitCode).toBe(1);
    }
  });

  it('reports an empty file as a one-line CaptureError', () => {
    expect(() => parseAll(Buffer.alloc(0))).toThrow(EMPTY_FILE);
  });
});
