import { describe, expect, it } from 'vitest';
import { Decoder } from '../../src/decode/decoder.js';
import { FragTracker, hashWords } from '../../src/decode/frag-tracker.js';
import { Malformed } from '../../src/decode/packet.js';
import { bytes, decode, eth, frag6, ipv4, ipv6, tcp, udp } from './helpers.js';

const first4 = (id: number, src = '10.0.0.1', sport = 789, proto = 17): Uint8Array =>
  eth(0x0800, ipv4({ proto, id, src, mf: true }, proto === 17 ? udp(sport, 2049, new Uint8Array(1472), 4000) : tcp({ sport, dport: 80 }, new Uint8Array(100))));
const later4 = (id: number, off: number, mf: boolean, src = '10.0.0.1', proto = 17): Uint8Array =>
  eth(0x0800, ipv4({ proto, id, src, mf, fragOff: off }, new Uint8Array(800)));

describe('IPv4 fragment tracker', () => {
  it('gives later fragments the ports of their first fragment', () => {
    const dec = new Decoder();
    const a = decode(first4(77), 1, dec);
    expect(a.srcPort).toBe(789);
    expect(a.isLaterFragment).toBe(false);
    const b = decode(later4(77, 1480, true), 1, dec);
    expect(b.isLaterFragment).toBe(true);
    expect(b.srcPort).toBe(789);
    expect(b.dstPort).toBe(2049);
    expect(b.tcpFlags).toBe(0);
    expect(b.l4Off).toBe(-1);
    const c = decode(later4(77, 2960, false), 1, dec);
    expect(c.srcPort).toBe(789);
    expect(c.malformed).toBe(Malformed.None);
  });

  it('works for TCP fragments and never sets TCP flags on later ones', () => {
    const dec = new Decoder();
    decode(first4(5, '10.0.0.1', 4444, 6), 1, dec);
    const b = decode(later4(5, 120, false, '10.0.0.1', 6), 1, dec);
    expect(b.srcPort).toBe(4444);
    expect(b.dstPort).toBe(80);
    expect(b.tcpFlags).toBe(0);
    expect(b.tcpSeq).toBe(-1);
  });

  it('keys by source, destination, id and protocol', () => {
    const dec = new Decoder();
    decode(first4(77), 1, dec);
    expect(decode(later4(78, 1480, false), 1, dec).srcPort).toBe(-1);
    expect(decode(later4(77, 1480, false, '10.0.0.9'), 1, dec).srcPort).toBe(-1);
    expect(decode(later4(77, 1480, false, '10.0.0.1', 6), 1, dec).srcPort).toBe(-1);
  });

  it('leaves ports -1 when the first fragment was not seen', () => {
    const p = decode(later4(1, 8, false));
    expect(p.isLaterFragment).toBe(true);
    expect(p.srcPort).toBe(-1);
    expect(p.dstPort).toBe(-1);
  });

  it('does not remember unfragmented datagrams', () => {
    const dec = new Decoder();
    decode(eth(0x0800, ipv4({ proto: 17, id: 9 }, udp(1, 2, new Uint8Array(4)))), 1, dec);
    expect(decode(later4(9, 8, false, '10.0.0.1'), 1, dec).srcPort).toBe(-1);
  });
});

describe('IPv6 fragment tracker', () => {
  it('uses the fragment header id and the addresses', () => {
    const dec = new Decoder();
    const f = (off: number, more: boolean, id: number, src = '2001:db8::1', body: Uint8Array = new Uint8Array(64)): Uint8Array =>
      eth(0x86dd, ipv6({ nh: 44, src }, bytes(frag6(17, off, more, id), body)));
    decode(f(0, true, 0x1000, '2001:db8::1', udp(53, 5000, new Uint8Array(100), 2000)), 1, dec);
    const b = decode(f(1232, false, 0x1000), 1, dec);
    expect(b.isLaterFragment).toBe(true);
    expect(b.srcPort).toBe(53);
    expect(b.dstPort).toBe(5000);
    expect(decode(f(1232, false, 0x1001), 1, dec).srcPort).toBe(-1);
    expect(decode(f(1232, false, 0x1000, '2001:db8::99'), 1, dec).srcPort).toBe(-1);
  });
});

describe('FragTracker', () => {
  it('is bounded and evicts the oldest entry of a full bucket', () => {
    const t = new FragTracker(64);
    expect(t.capacity).toBe(64);
    for (let i = 0; i < 10_000; i++) t.remember(1, 2, i, 17, i & 0xffff, 80);
    // the newest entries are still there, the oldest are gone
    expect(t.lookup(1, 2, 9999, 17)).toBe(((9999 << 16) | 80) >>> 0);
    let found = 0;
    for (let i = 0; i < 10_000; i++) if (t.lookup(1, 2, i, 17) >= 0) found++;
    expect(found).toBeLessThanOrEqual(64);
    expect(found).toBeGreaterThan(16);
    expect(t.lookup(1, 2, 0, 17)).toBe(-1);
  });

  it('updates an existing key in place and can be cleared', () => {
    const t = new FragTracker(16);
    t.remember(0xffffffff, 0x80000000, 0xffffffff, 6, 1, 2);
    t.remember(0xffffffff, 0x80000000, 0xffffffff, 6, 3, 4);
    expect(t.lookup(0xffffffff, 0x80000000, 0xffffffff, 6)).toBe(((3 << 16) | 4) >>> 0);
    t.clear();
    expect(t.lookup(0xffffffff, 0x80000000, 0xffffffff, 6)).toBe(-1);
  });

  it('hashes IPv6 addresses to different keys', () => {
    const a = hashWords(new Uint32Array([0x20010db8, 0, 0, 1]));
    const b = hashWords(new Uint32Array([0x20010db8, 0, 0, 2]));
    expect(a).not.toBe(b);
    expect(a).toBeGreaterThanOrEqual(0);
  });

  it('decoder fragment capacity is configurable', () => {
    expect(new Decoder({ fragCapacity: 1024 }).frags.capacity).toBe(1024);
    expect(new Decoder().frags.capacity).toBe(65536);
  });
});
