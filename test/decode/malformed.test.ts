import { describe, expect, it } from 'vitest';
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket, L3, Malformed, MALFORMED_REASONS } from '../../src/decode/packet.js';
import { ah, arp, bytes, eth, ext6, frag6, icmp, ipv4, ipv6, record, tcp, text, u16, u32, udp, vlanTag } from './helpers.js';

const sllHdr = (proto: number): number[] => [...u16(0), ...u16(1), ...u16(6), 1, 2, 3, 4, 5, 6, 0, 0, ...u16(proto)];

/** Valid packets that end exactly at the end of their last header, so every shorter cut is a truncation. */
const HEADER_ONLY: Array<[string, Uint8Array, number]> = [
  ['eth:ipv4:tcp with IP and TCP options', eth(0x0800, ipv4({ proto: 6, options: [1, 1, 1, 0] }, tcp({ options: [2, 4, 5, 0xb4] }))), 1],
  ['eth:ipv6:hop:route:frag:dst:ah:tcp', eth(0x86dd, ipv6({ nh: 0 }, bytes(ext6(43), ext6(44), frag6(60, 0, false, 1), ext6(51, 1), ah(6, 1), tcp({})))), 1],
  ['eth:vlan:vlan:ipv4:udp', eth(0x88a8, bytes(vlanTag(1, 0x8100), vlanTag(2, 0x0800), ipv4({ proto: 17 }, udp(1, 2, new Uint8Array(0))))), 1],
  ['sll:ipv6:udp', bytes(sllHdr(0x86dd), ipv6({ nh: 17 }, udp(1, 2, new Uint8Array(0)))), 113],
  ['null:ipv4:tcp', bytes([2, 0, 0, 0], ipv4({ proto: 6 }, tcp({}))), 0],
  ['raw:ipv6:tcp', ipv6({ nh: 6 }, tcp({})), 101],
  ['raw ipv4 (228):sctp', ipv4({ proto: 132 }, bytes(u16(1), u16(2), u32(3), u32(4))), 228],
  ['eth:ipv4:icmp', eth(0x0800, ipv4({ proto: 1 }, icmp(8, 0))), 1],
  ['eth:arp', eth(0x0806, arp(1, '1.1.1.1', '2.2.2.2')), 1],
  ['eth:pppoe:ipv4:udp', eth(0x8864, bytes([0x11, 0], u16(1), u16(30), u16(0x21), ipv4({ proto: 17 }, udp(1, 2, new Uint8Array(0))))), 1],
  ['eth:mpls:ipv6:udp', eth(0x8847, bytes(u32(0x00010140), ipv6({ nh: 17 }, udp(1, 2, new Uint8Array(0))))), 1],
];

function decodeCut(dec: Decoder, full: Uint8Array, linkType: number, n: number, origLen: number): DecodedPacket {
  const out = new DecodedPacket();
  dec.decode(record(full.subarray(0, n), linkType, origLen), out);
  return out;
}

describe('truncation at every length', () => {
  it.each(HEADER_ONLY)('%s', (_name, full, linkType) => {
    const dec = new Decoder();
    const whole = decodeCut(dec, full, linkType, full.length, full.length);
    expect(whole.malformed).toBe(Malformed.None);
    for (let n = 0; n < full.length; n++) {
      // as a snaplen cut (wire length intact) and as a frame that really is that short
      for (const orig of [full.length, n]) {
        let p: DecodedPacket | undefined;
        expect(() => (p = decodeCut(dec, full, linkType, n, orig))).not.toThrow();
        expect(p!.malformed, `cut at ${n}/${full.length}`).not.toBe(Malformed.None);
        expect(p!.malformed).not.toBe(Malformed.Internal);
        expect(MALFORMED_REASONS[p!.malformed]).toBeTruthy();
      }
    }
  });

  it('keeps the addresses of an IPv4 packet whose TCP header is cut', () => {
    const full = eth(0x0800, ipv4({ proto: 6, src: '10.1.1.1', dst: '10.2.2.2' }, tcp({ sport: 1111, dport: 2222 })));
    const dec = new Decoder();
    for (let n = 34; n < full.length; n++) {
      const p = decodeCut(dec, full, 1, n, full.length);
      expect(p.l3).toBe(L3.IPv4);
      expect(p.ip4Src).toBe(0x0a010101);
      expect(p.ip4Dst).toBe(0x0a020202);
      expect(p.malformed).toBe(Malformed.TcpTruncated);
      expect(p.srcPort).toBe(n >= 38 ? 1111 : -1);
    }
  });

  it('payload cuts are snaplen, not malformed', () => {
    const full = eth(0x0800, ipv4({ proto: 6 }, tcp({}, text('0123456789'))));
    const dec = new Decoder();
    for (let n = 54; n <= full.length; n++) {
      const p = decodeCut(dec, full, 1, n, full.length);
      expect(p.malformed).toBe(Malformed.None);
      expect(p.payloadLen).toBe(n - 54);
      expect(p.payloadWireLen).toBe(10);
    }
  });
});

/** Deterministic PRNG so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 4294967296;
  };
}

function checkInvariants(p: DecodedPacket, end: number): void {
  expect(p.malformed).not.toBe(Malformed.Internal);
  expect(p.malformed).toBeLessThan(Malformed.Count);
  for (const off of [p.ethOff, p.l3Off, p.l4Off, p.payloadOff]) expect(off <= end).toBe(true);
  if (p.payloadOff >= 0) expect(p.payloadOff + p.payloadLen).toBeLessThanOrEqual(end);
  expect(p.payloadLen).toBeGreaterThanOrEqual(0);
  expect(p.srcPort).toBeLessThanOrEqual(65535);
  expect(p.dstPort).toBeLessThanOrEqual(65535);
  expect(Number.isInteger(p.ip4Src) && p.ip4Src >= 0).toBe(true);
}

describe('fuzzing', () => {
  it('mutated valid packets never throw and keep offsets in bounds', () => {
    const r = rng(42);
    const dec = new Decoder({ fragCapacity: 256 });
    const out = new DecodedPacket();
    const seeds = HEADER_ONLY.map(([, b, lt]) => [bytes(b, text('payload-bytes')), lt] as const);
    for (let i = 0; i < 20_000; i++) {
      const [seed, lt] = seeds[i % seeds.length]!;
      const b = Uint8Array.from(seed);
      const flips = 1 + Math.floor(r() * 4);
      for (let k = 0; k < flips; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      const n = r() < 0.3 ? Math.floor(r() * b.length) : b.length;
      const rec = record(b.subarray(0, n), lt, r() < 0.5 ? n : b.length);
      expect(() => dec.decode(rec, out)).not.toThrow();
      checkInvariants(out, n);
    }
  });

  it('random bytes on every link type never throw', () => {
    const r = rng(7);
    const dec = new Decoder();
    const out = new DecodedPacket();
    const links = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 999];
    for (let i = 0; i < 10_000; i++) {
      const n = Math.floor(r() * 120);
      const b = new Uint8Array(n);
      for (let k = 0; k < n; k++) b[k] = Math.floor(r() * 256);
      const lt = links[i % links.length]!;
      expect(() => dec.decode(record(b, lt), out)).not.toThrow();
      checkInvariants(out, n);
    }
  });
});

describe('reuse', () => {
  it('resets every field between packets', () => {
    const dec = new Decoder();
    const out = new DecodedPacket();
    dec.decode(record(eth(0x8100, bytes(vlanTag(5, 0x0800), ipv4({ proto: 6 }, tcp({ flags: 0x1ff }, text('x')))))), out);
    expect(out.vlanId).toBe(5);
    dec.decode(record(eth(0x0806, arp(1, '1.2.3.4', '5.6.7.8'))), out);
    const fresh = new DecodedPacket();
    dec.decode(record(eth(0x0806, arp(1, '1.2.3.4', '5.6.7.8'))), fresh);
    expect({ ...out, buf: null }).toEqual({ ...fresh, buf: null });
  });
});

describe('reason table', () => {
  it('has one text per Malformed code', () => {
    expect(MALFORMED_REASONS.length).toBe(Malformed.Count);
    expect(new Set(MALFORMED_REASONS).size).toBe(MALFORMED_REASONS.length);
  });
});
