import { describe, expect, it } from 'vitest';
import { Decoder } from '../../src/decode/decoder.js';
import { L3, Malformed } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { ip4ToString } from '../../src/decode/addr.js';
import { arp, bytes, decode, eth, ipv4, ipv6, pathName, tcp, text, u16, u32, udp, vlanTag } from './helpers.js';

const ip4udp = (): Uint8Array => ipv4({ proto: 17 }, udp(1234, 53, text('q')));
const ip4tcp = (): Uint8Array => ipv4({ proto: 6 }, tcp({}));
const ip6icmp = (): Uint8Array => ipv6({ nh: 58 }, bytes([128, 0, 0, 0, 0, 1, 0, 1]));

describe('Ethernet', () => {
  it('decodes eth:ipv4:tcp', () => {
    const dec = new Decoder();
    const p = decode(eth(0x0800, ip4tcp()), 1, dec);
    expect(pathName(dec, p)).toBe('eth:ipv4:tcp');
    expect(p.malformed).toBe(Malformed.None);
    expect(p.ethOff).toBe(0);
    expect(p.etherType).toBe(0x0800);
    expect(p.l3Off).toBe(14);
    expect(p.topProto).toBe(Proto.Tcp);
  });

  it('decodes a single 802.1Q tag', () => {
    const dec = new Decoder();
    const p = decode(eth(0x8100, bytes(vlanTag(100, 0x0800, 5), ip4udp())), 1, dec);
    expect(pathName(dec, p)).toBe('eth:vlan:ipv4:udp');
    expect(p.vlanCount).toBe(1);
    expect(p.vlanId).toBe(100);
    expect(p.vlanId2).toBe(-1);
    expect(p.etherType).toBe(0x0800);
    expect(p.l3Off).toBe(18);
  });

  it.each([0x88a8, 0x9100, 0x8100])('decodes Q-in-Q with outer tpid 0x%s', (outer) => {
    const dec = new Decoder();
    const p = decode(eth(outer, bytes(vlanTag(10, 0x8100), vlanTag(20, 0x86dd), ip6icmp())), 1, dec);
    expect(pathName(dec, p)).toBe('eth:vlan:vlan:ipv6:icmpv6');
    expect(p.vlanCount).toBe(2);
    expect(p.vlanId).toBe(10);
    expect(p.vlanId2).toBe(20);
    expect(p.icmpType).toBe(128);
  });

  it('gives up after too many VLAN tags', () => {
    const tags: number[] = [];
    for (let i = 0; i < 12; i++) tags.push(...vlanTag(i, 0x8100));
    const p = decode(eth(0x8100, bytes(tags, ip4udp())));
    expect(p.malformed).toBe(Malformed.TooManyLayers);
  });

  it('flags a truncated VLAN tag', () => {
    const p = decode(eth(0x8100, bytes([0, 5])));
    expect(p.malformed).toBe(Malformed.VlanTruncated);
  });

  it('decodes ARP requests and replies', () => {
    const dec = new Decoder();
    const p = decode(eth(0x0806, arp(1, '192.168.1.1', '192.168.1.2')), 1, dec);
    expect(pathName(dec, p)).toBe('eth:arp');
    expect(p.l3).toBe(L3.Arp);
    expect(p.arpOp).toBe(1);
    expect(ip4ToString(p.arpSpa)).toBe('192.168.1.1');
    expect(ip4ToString(p.arpTpa)).toBe('192.168.1.2');
    expect(p.topProto).toBe(Proto.Arp);
    const q = decode(eth(0x8035, arp(3, '0.0.0.0', '10.1.1.1')), 1, dec);
    expect(pathName(dec, q)).toBe('eth:rarp');
    expect(q.arpOp).toBe(3);
  });

  it('flags truncated ARP and keeps the op when it is there', () => {
    const full = eth(0x0806, arp(2, '1.1.1.1', '2.2.2.2'));
    const p = decode(full.subarray(0, 14 + 10));
    expect(p.malformed).toBe(Malformed.ArpTruncated);
    expect(p.arpOp).toBe(2);
    expect(decode(full.subarray(0, 14 + 4)).arpOp).toBe(-1);
  });

  it('counts other ethertypes by number', () => {
    const dec = new Decoder();
    const p = decode(eth(0x88b5, text('hello')), 1, dec);
    expect(pathName(dec, p)).toBe('eth:ethertype-0x88b5');
    expect(p.topProto).toBe(Proto.OtherEther);
    expect(p.etherType).toBe(0x88b5);
    expect(p.l3).toBe(L3.Other);
    expect(p.malformed).toBe(Malformed.None);
  });

  it('decodes LLDP', () => {
    const dec = new Decoder();
    const p = decode(eth(0x88cc, bytes([2, 7, 4, 0, 0, 0, 0, 0, 0])), 1, dec);
    expect(pathName(dec, p)).toBe('eth:lldp');
    expect(p.topProto).toBe(Proto.Lldp);
  });

  it('decodes 802.3 length frames as LLC (STP) and trims to the length', () => {
    const dec = new Decoder();
    const llc = bytes([0x42, 0x42, 0x03], new Uint8Array(35));
    const p = decode(eth(llc.length, bytes(llc, new Uint8Array(8))), 1, dec);
    expect(pathName(dec, p)).toBe('eth:llc');
    expect(p.topProto).toBe(Proto.Llc);
    expect(p.malformed).toBe(Malformed.None);
  });

  it('follows SNAP with a zero OUI', () => {
    const dec = new Decoder();
    const payload = bytes([0xaa, 0xaa, 0x03, 0, 0, 0], u16(0x0800), ip4udp());
    const p = decode(eth(payload.length, payload), 1, dec);
    expect(pathName(dec, p)).toBe('eth:llc:ipv4:udp');
    expect(p.srcPort).toBe(1234);
  });

  it('flags a truncated LLC header', () => {
    expect(decode(eth(2, bytes([0x42, 0x42]))).malformed).toBe(Malformed.LlcTruncated);
  });

  it('decodes PPPoE session IPv4 and IPv6, and discovery', () => {
    const dec = new Decoder();
    const pppoe = (ppp: number, inner: Uint8Array): Uint8Array =>
      bytes([0x11, 0x00], u16(0x0042), u16(inner.length + 2), u16(ppp), inner);
    const a = decode(eth(0x8864, pppoe(0x0021, ip4tcp())), 1, dec);
    expect(pathName(dec, a)).toBe('eth:pppoe:ipv4:tcp');
    expect(a.l3).toBe(L3.IPv4);
    const b = decode(eth(0x8864, pppoe(0x0057, ip6icmp())), 1, dec);
    expect(pathName(dec, b)).toBe('eth:pppoe:ipv6:icmpv6');
    const c = decode(eth(0x8864, pppoe(0xc021, text('lcp'))), 1, dec);
    expect(pathName(dec, c)).toBe('eth:pppoe');
    const d = decode(eth(0x8863, bytes([0x11, 0x09, 0, 0, 0, 0])), 1, dec);
    expect(pathName(dec, d)).toBe('eth:pppoe');
    expect(decode(eth(0x8864, bytes([0x11, 0]))).malformed).toBe(Malformed.PppoeTruncated);
  });

  it('decodes an MPLS label stack and the IP under it', () => {
    const dec = new Decoder();
    const labels = bytes(u32((100 << 12) | (0 << 8) | 64), u32((200 << 12) | (1 << 8) | 64));
    const p = decode(eth(0x8847, bytes(labels, ip4udp())), 1, dec);
    expect(pathName(dec, p)).toBe('eth:mpls:ipv4:udp');
    const q = decode(eth(0x8847, bytes(u32((16 << 12) | (1 << 8) | 64), ip6icmp())), 1, dec);
    expect(pathName(dec, q)).toBe('eth:mpls:ipv6:icmpv6');
    expect(decode(eth(0x8847, bytes(u32(16 << 12)))).malformed).toBe(Malformed.MplsTruncated);
  });

  it('flags a frame shorter than the Ethernet header', () => {
    for (let n = 0; n < 14; n++) {
      const p = decode(eth(0x0800, ip4tcp()).subarray(0, n));
      expect(p.malformed).toBe(Malformed.LinkTruncated);
      expect(p.ethOff).toBe(-1);
    }
  });
});

describe('Linux cooked capture', () => {
  const sll = (proto: number, hatype = 1): number[] => [
    ...u16(0), ...u16(hatype), ...u16(6), 1, 2, 3, 4, 5, 6, 0, 0, ...u16(proto)];
  const sll2 = (proto: number, hatype = 1): number[] => [
    ...u16(proto), 0, 0, ...u32(2), ...u16(hatype), 0, 6, 1, 2, 3, 4, 5, 6, 0, 0];

  it('decodes SLL v1 with IPv4, IPv6 and ARP', () => {
    const dec = new Decoder();
    expect(pathName(dec, decode(bytes(sll(0x0800), ip4tcp()), 113, dec))).toBe('sll:ipv4:tcp');
    const p = decode(bytes(sll(0x86dd), ip6icmp()), 113, dec);
    expect(pathName(dec, p)).toBe('sll:ipv6:icmpv6');
    expect(p.ethOff).toBe(-1);
    expect(p.l3Off).toBe(16);
    expect(pathName(dec, decode(bytes(sll(0x0806), arp(1, '1.2.3.4', '1.2.3.5')), 113, dec))).toBe('sll:arp');
  });

  it('decodes SLL v2', () => {
    const dec = new Decoder();
    const p = decode(bytes(sll2(0x86dd), ip6icmp()), 276, dec);
    expect(pathName(dec, p)).toBe('sll2:ipv6:icmpv6');
    expect(p.l3Off).toBe(20);
    expect(p.etherType).toBe(0x86dd);
  });

  it('handles the Linux pseudo protocols and non-ethertype ARPHRD types', () => {
    const dec = new Decoder();
    expect(pathName(dec, decode(bytes(sll(4), [0x42, 0x42, 3, 0]), 113, dec))).toBe('sll:llc');
    expect(pathName(dec, decode(bytes(sll(1), [0xff, 0xff]), 113, dec))).toBe('sll:llc');
    expect(pathName(dec, decode(bytes(sll(0x0800, 824), [0, 0, 0, 0]), 113, dec))).toBe('sll:ethertype-0x0800');
  });

  it('decodes a VLAN tag carried in SLL', () => {
    const dec = new Decoder();
    const p = decode(bytes(sll(0x8100), vlanTag(7, 0x0800), ip4udp()), 113, dec);
    expect(pathName(dec, p)).toBe('sll:vlan:ipv4:udp');
    expect(p.vlanId).toBe(7);
  });

  it('flags truncated SLL headers', () => {
    for (let n = 0; n < 16; n++) expect(decode(bytes(sll(0x0800)).subarray(0, n), 113).malformed).toBe(Malformed.SllTruncated);
    for (let n = 0; n < 20; n++) expect(decode(bytes(sll2(0x0800)).subarray(0, n), 276).malformed).toBe(Malformed.SllTruncated);
  });
});

describe('BSD loopback (NULL / LOOP)', () => {
  const le = (v: number): number[] => [v & 255, (v >> 8) & 255, 0, 0];
  const be = (v: number): number[] => u32(v);

  it.each([
    ['host order little-endian AF_INET', le(2), 'ipv4'],
    ['host order big-endian AF_INET', be(2), 'ipv4'],
    ['Linux AF_INET6 (10)', le(10), 'ipv6'],
    ['BSD AF_INET6 (24)', le(24), 'ipv6'],
    ['FreeBSD AF_INET6 (28)', be(28), 'ipv6'],
    ['macOS AF_INET6 (30)', le(30), 'ipv6'],
  ])('%s', (_name, fam, l3) => {
    const dec = new Decoder();
    const inner = l3 === 'ipv4' ? ip4tcp() : ip6icmp();
    const p = decode(bytes(fam, inner), 0, dec);
    expect(pathName(dec, p).startsWith(`null:${l3}:`)).toBe(true);
    expect(p.l3Off).toBe(4);
    expect(p.malformed).toBe(Malformed.None);
  });

  it('decodes LOOP (108) in network order', () => {
    const dec = new Decoder();
    expect(pathName(dec, decode(bytes(be(2), ip4udp()), 108, dec))).toBe('null:ipv4:udp');
    expect(pathName(dec, decode(bytes(be(30), ip6icmp()), 108, dec))).toBe('null:ipv6:icmpv6');
  });

  it('stops at an unknown family and flags a short header', () => {
    const dec = new Decoder();
    const p = decode(bytes(le(7), [1, 2, 3]), 0, dec);
    expect(pathName(dec, p)).toBe('null');
    expect(p.topProto).toBe(Proto.Null);
    for (let n = 0; n < 4; n++) expect(decode(bytes(le(2)).subarray(0, n), 0).malformed).toBe(Malformed.NullTruncated);
  });
});

describe('raw IP link types', () => {
  it.each([101, 12, 14])('link type %i picks IPv4 or IPv6 by the version nibble', (lt) => {
    const dec = new Decoder();
    const a = decode(ip4udp(), lt, dec);
    expect(pathName(dec, a)).toBe('raw:ipv4:udp');
    expect(a.l3Off).toBe(0);
    expect(a.ethOff).toBe(-1);
    const b = decode(ip6icmp(), lt, dec);
    expect(pathName(dec, b)).toBe('raw:ipv6:icmpv6');
    expect(decode(bytes([0x50, 0, 0, 0]), lt).malformed).toBe(Malformed.RawBadVersion);
    expect(decode(new Uint8Array(0), lt).malformed).toBe(Malformed.LinkTruncated);
  });

  it('228 is IPv4 only and 229 IPv6 only', () => {
    const dec = new Decoder();
    expect(pathName(dec, decode(ip4tcp(), 228, dec))).toBe('raw:ipv4:tcp');
    expect(decode(ip6icmp(), 228).malformed).toBe(Malformed.IPv4BadVersion);
    expect(pathName(dec, decode(ip6icmp(), 229, dec))).toBe('raw:ipv6:icmpv6');
    expect(decode(ip4tcp(), 229).malformed).toBe(Malformed.IPv6BadVersion);
  });
});

describe('unsupported link types and lying records', () => {
  it('flags an unsupported link type', () => {
    const p = decode(eth(0x0800, ip4tcp()), 147);
    expect(p.malformed).toBe(Malformed.UnsupportedLink);
    expect(p.pathId).toBe(0);
  });

  it('flags a frame cut inside the IPv4 header', () => {
    const dec = new Decoder();
    const data = eth(0x0800, ip4tcp());
    const p = decode(data.subarray(0, 30), 1, dec);
    expect(p.malformed).toBe(Malformed.IPv4Truncated);
  });

  it('decodes at a non-zero offset in a shared buffer', async () => {
    const { record } = await import('./helpers.js');
    const { DecodedPacket } = await import('../../src/decode/packet.js');
    const dec = new Decoder();
    const r = record(eth(0x0800, ip4tcp()), 1, undefined, 100);
    r.capLen += 50; // claims bytes the buffer does not have
    const out = new DecodedPacket();
    dec.decode(r, out);
    expect(out.ethOff).toBe(100);
    expect(out.l3Off).toBe(114);
    expect(out.l4Off).toBe(134);
    expect(out.dstPort).toBe(80);
  });
});

describe('Decoder construction', () => {
  it('shares a ProtoPaths passed directly or in options', async () => {
    const { ProtoPaths } = await import('../../src/decode/proto-paths.js');
    const paths = new ProtoPaths();
    const a = new Decoder(paths);
    const b = new Decoder({ paths, fragCapacity: 16 });
    expect(a.paths).toBe(paths);
    expect(b.paths).toBe(paths);
    const p = decode(eth(0x0800, ip4tcp()), 1, a);
    const q = decode(eth(0x0800, ip4tcp()), 1, b);
    expect(p.pathId).toBe(q.pathId);
    expect(paths.name(p.pathId)).toBe('eth:ipv4:tcp');
  });
});
