import { describe, expect, it } from 'vitest';
import { Decoder } from '../../src/decode/decoder.js';
import { L3, Malformed } from '../../src/decode/packet.js';
import { Proto } from '../../src/decode/protocols.js';
import { ip4ToString, ip6ToString } from '../../src/decode/addr.js';
import { ah, bytes, decode, eth, ext6, frag6, ipv4, ipv6, pathName, tcp, text, u32, udp } from './helpers.js';

describe('IPv4', () => {
  it('reads the header fields', () => {
    const pkt = eth(0x0800, ipv4({ src: '192.168.1.10', dst: '8.8.4.4', proto: 17, ttl: 3, id: 0xbeef, df: true },
      udp(5353, 53, text('abcd'))));
    const p = decode(pkt);
    expect(p.l3).toBe(L3.IPv4);
    expect(ip4ToString(p.ip4Src)).toBe('192.168.1.10');
    expect(ip4ToString(p.ip4Dst)).toBe('8.8.4.4');
    expect(p.ipTtl).toBe(3);
    expect(p.ipId).toBe(0xbeef);
    expect(p.ipDf).toBe(1);
    expect(p.ipMf).toBe(0);
    expect(p.ipFragOffset).toBe(0);
    expect(p.ipProto).toBe(17);
    expect(p.ipHdrLen).toBe(20);
    expect(p.ipLen).toBe(20 + 12);
    expect(p.isLaterFragment).toBe(false);
  });

  it('keeps addresses above 127.255.255.255 unsigned', () => {
    const p = decode(eth(0x0800, ipv4({ src: '255.255.255.255', dst: '224.0.0.251', proto: 17 }, udp(5353, 5353, text('x')))));
    expect(p.ip4Src).toBe(0xffffffff);
    expect(p.ip4Dst).toBe(0xe00000fb);
  });

  it('skips options', () => {
    const dec = new Decoder();
    const opts = [0x94, 4, 0, 0, 0x01, 0x01, 0x01, 0x00]; // router alert + NOPs + EOL
    const p = decode(eth(0x0800, ipv4({ proto: 6, options: opts }, tcp({ sport: 1, dport: 2 }))), 1, dec);
    expect(p.ipHdrLen).toBe(28);
    expect(p.l4Off).toBe(14 + 28);
    expect(p.srcPort).toBe(1);
    expect(pathName(dec, p)).toBe('eth:ipv4:tcp');
  });

  it('ignores Ethernet padding after the total length', () => {
    const ip = ipv4({ proto: 17 }, udp(1, 2, text('hi')));
    const p = decode(eth(0x0800, bytes(ip, new Uint8Array(20))));
    expect(p.malformed).toBe(Malformed.None);
    expect(p.payloadLen).toBe(2);
    expect(p.payloadWireLen).toBe(2);
  });

  it('accepts a total length beyond the capture (snaplen)', () => {
    const ip = ipv4({ proto: 6 }, tcp({}, new Uint8Array(1000)));
    const cut = eth(0x0800, ip).subarray(0, 14 + 40 + 100);
    const p = decode(cut, 1, new Decoder(), 14 + ip.length);
    expect(p.malformed).toBe(Malformed.None);
    expect(p.ipLen).toBe(1040);
    expect(p.payloadLen).toBe(100);
    expect(p.payloadWireLen).toBe(1000);
  });

  it('flags a total length past the wire length and gives TCP only what the wire had', () => {
    // Wireshark: "IPv4 total length exceeds packet length"; tcp.len counts the bytes on the wire
    const ip = ipv4({ proto: 6, totalLen: 20 + 20 + 100 }, tcp({}, new Uint8Array(60)));
    const p = decode(eth(0x0800, ip));
    expect(p.malformed).toBe(Malformed.IPv4BadTotalLength);
    expect(p.ipLen).toBe(140);
    expect(p.srcPort).toBe(40000);
    expect(p.payloadWireLen).toBe(60);
    expect(p.payloadLen).toBe(60);
  });

  it('treats total length 0 (segmentation offload) as the frame length', () => {
    const ip = ipv4({ proto: 6, totalLen: 0 }, tcp({}, text('hello')));
    const p = decode(eth(0x0800, ip));
    expect(p.malformed).toBe(Malformed.None);
    expect(p.ipLen).toBe(45);
    expect(p.payloadWireLen).toBe(5);
  });

  it('flags a total length smaller than the header but keeps the addresses', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 6, totalLen: 19, src: '1.2.3.4' }, tcp({}))));
    expect(p.malformed).toBe(Malformed.IPv4BadTotalLength);
    expect(p.l3).toBe(L3.IPv4);
    expect(ip4ToString(p.ip4Src)).toBe('1.2.3.4');
    expect(p.srcPort).toBe(-1);
  });

  it('flags IHL below 5', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 6, ihl: 4 }, tcp({}))));
    expect(p.malformed).toBe(Malformed.IPv4BadHeaderLength);
    expect(p.ipHdrLen).toBe(16);
    expect(p.srcPort).toBe(-1);
  });

  it('flags options running past the capture', () => {
    const p = decode(eth(0x0800, ipv4({ proto: 6, ihl: 15, totalLen: 80 }, new Uint8Array(10))));
    expect(p.malformed).toBe(Malformed.IPv4Truncated);
    expect(p.l3).toBe(L3.IPv4);
  });

  it('flags a wrong version', () => {
    const dec = new Decoder();
    const p = decode(eth(0x0800, ipv4({ version: 6 }, tcp({}))), 1, dec);
    expect(p.malformed).toBe(Malformed.IPv4BadVersion);
    expect(p.l3).toBe(L3.None);
    expect(pathName(dec, p)).toBe('eth:ipv4');
  });

  it('reads fragment fields and marks later fragments', () => {
    const dec = new Decoder();
    const p = decode(eth(0x0800, ipv4({ proto: 17, mf: true, fragOff: 1480 }, new Uint8Array(100))), 1, dec);
    expect(p.ipMf).toBe(1);
    expect(p.ipFragOffset).toBe(1480);
    expect(p.isLaterFragment).toBe(true);
    expect(p.srcPort).toBe(-1);
    expect(p.l4Off).toBe(-1);
    expect(p.tcpFlags).toBe(0);
    expect(pathName(dec, p)).toBe('eth:ipv4');
    expect(p.topProto).toBe(Proto.IPv4);
    expect(p.malformed).toBe(Malformed.None);
  });

  it('walks AH to the protocol it protects', () => {
    const dec = new Decoder();
    const p = decode(eth(0x0800, ipv4({ proto: 51 }, bytes(ah(6, 3), tcp({ dport: 22 })))), 1, dec);
    expect(pathName(dec, p)).toBe('eth:ipv4:ah:tcp');
    expect(p.ipProto).toBe(6);
    expect(p.dstPort).toBe(22);
    expect(decode(eth(0x0800, ipv4({ proto: 51 }, bytes([6])))).malformed).toBe(Malformed.AhTruncated);
  });

  it.each([
    [50, 'esp', Proto.Esp], [2, 'igmp', Proto.Igmp], [89, 'ospf', Proto.Ospf], [103, 'pim', Proto.Pim],
    [112, 'vrrp', Proto.OtherIp], [4, 'ipip', Proto.OtherIp], [41, 'ipv6', Proto.OtherIp], [253, 'ipproto-253', Proto.OtherIp],
  ])('protocol %i counts as %s', (proto, name, top) => {
    const dec = new Decoder();
    const p = decode(eth(0x0800, ipv4({ proto }, new Uint8Array(24))), 1, dec);
    expect(pathName(dec, p)).toBe(`eth:ipv4:${name}`);
    expect(p.topProto).toBe(top);
    expect(p.ipProto).toBe(proto);
    expect(p.malformed).toBe(Malformed.None);
  });
});

describe('IPv6', () => {
  it('reads the fixed header', () => {
    const dec = new Decoder();
    const p = decode(eth(0x86dd, ipv6({ src: 'fe80::1', dst: 'ff02::1:ff00:2', nh: 17, hlim: 255 }, udp(546, 547, text('x')))), 1, dec);
    expect(p.l3).toBe(L3.IPv6);
    expect(ip6ToString(p.ip6Src)).toBe('fe80::1');
    expect(ip6ToString(p.ip6Dst)).toBe('ff02::1:ff00:2');
    expect(p.ipTtl).toBe(255);
    expect(p.ip6Nxt).toBe(17);
    expect(p.ipProto).toBe(17);
    expect(p.ipLen).toBe(40 + 9);
    expect(p.ipHdrLen).toBe(-1);
    expect(p.ip6Ext).toBe(0);
    expect(pathName(dec, p)).toBe('eth:ipv6:udp');
  });

  it('walks hop-by-hop, routing, destination options and AH', () => {
    const dec = new Decoder();
    const chain = bytes(ext6(43, 0), ext6(60, 2), ext6(51, 0), ah(6, 1), tcp({ sport: 179, dport: 40000 }));
    const p = decode(eth(0x86dd, ipv6({ nh: 0 }, chain)), 1, dec);
    expect(p.malformed).toBe(Malformed.None);
    expect(p.ip6Nxt).toBe(0);
    expect(p.ipProto).toBe(6);
    expect(p.ip6Ext).toBe(1 | 2 | 8 | 16);
    expect(p.l4Off).toBe(14 + 40 + 8 + 24 + 8 + 16);
    expect(p.srcPort).toBe(179);
    expect(pathName(dec, p)).toBe('eth:ipv6:ah:tcp');
  });

  it('stops at ESP and at no-next-header', () => {
    const dec = new Decoder();
    const e = decode(eth(0x86dd, ipv6({ nh: 60 }, bytes(ext6(50), new Uint8Array(20)))), 1, dec);
    expect(pathName(dec, e)).toBe('eth:ipv6:esp');
    expect(e.topProto).toBe(Proto.Esp);
    expect(e.ip6Ext).toBe(8 | 32);
    expect(e.ipProto).toBe(50);
    const n = decode(eth(0x86dd, ipv6({ nh: 59 }, new Uint8Array(0))), 1, dec);
    expect(pathName(dec, n)).toBe('eth:ipv6');
    expect(n.ipProto).toBe(59);
    expect(n.malformed).toBe(Malformed.None);
  });

  it('bounds the extension chain', () => {
    const hops: number[] = [];
    for (let i = 0; i < 40; i++) hops.push(...ext6(60));
    const p = decode(eth(0x86dd, ipv6({ nh: 60 }, bytes(hops))));
    expect(p.malformed).toBe(Malformed.TooManyLayers);
    expect(p.l3).toBe(L3.IPv6);
  });

  it('tells an extension header past the payload length from one past the capture', () => {
    const bad = decode(eth(0x86dd, ipv6({ nh: 0, plen: 8 }, bytes(ext6(6, 3), tcp({})))));
    expect(bad.malformed).toBe(Malformed.IPv6BadExtHeader);
    const full = eth(0x86dd, ipv6({ nh: 0 }, bytes(ext6(6, 3), tcp({}))));
    const cut = decode(full.subarray(0, 14 + 40 + 10), 1, new Decoder(), full.length);
    expect(cut.malformed).toBe(Malformed.IPv6Truncated);
  });

  it('handles payload length 0 with and without a jumbo option', () => {
    const dec = new Decoder();
    const jumboHbh = ext6(17, 0, [0xc2, 4, ...u32(70000)]);
    const j = decode(eth(0x86dd, ipv6({ nh: 0, plen: 0 }, bytes(jumboHbh, udp(1, 2, text('jumbo'))))), 1, dec);
    expect(j.ipLen).toBe(70040);
    expect(j.srcPort).toBe(1);
    const z = decode(eth(0x86dd, ipv6({ nh: 17, plen: 0 }, udp(1, 2, text('tso')))), 1, dec);
    expect(z.ipLen).toBe(40 + 11);
    expect(z.malformed).toBe(Malformed.None);
    expect(z.payloadLen).toBe(3);
  });

  it('flags a payload length past the wire length and clamps the transport to it', () => {
    const p = decode(eth(0x86dd, ipv6({ nh: 17, plen: 500 }, udp(7, 9, text('abc'), 11))));
    expect(p.malformed).toBe(Malformed.BadLength);
    expect(p.ipLen).toBe(540);
    expect(p.srcPort).toBe(7);
    expect(p.payloadWireLen).toBe(3);
  });

  it('flags a wrong version and a short header', () => {
    const v = decode(eth(0x86dd, ipv6({ version: 4 }, tcp({}))));
    expect(v.malformed).toBe(Malformed.IPv6BadVersion);
    expect(v.l3).toBe(L3.None);
    const s = decode(eth(0x86dd, new Uint8Array(39)));
    expect(s.malformed).toBe(Malformed.IPv6Truncated);
  });

  it('reads a fragment header', () => {
    const dec = new Decoder();
    const first = decode(eth(0x86dd, ipv6({ nh: 44 }, bytes(frag6(17, 0, true, 0xdeadbeef), udp(53, 1234, new Uint8Array(100), 3000)))), 1, dec);
    expect(first.ip6Ext).toBe(4);
    expect(first.ipId).toBe(0xdeadbeef);
    expect(first.ipMf).toBe(1);
    expect(first.ipFragOffset).toBe(0);
    expect(first.isLaterFragment).toBe(false);
    expect(first.srcPort).toBe(53);
    expect(first.malformed).toBe(Malformed.None);
    expect(first.payloadWireLen).toBe(2992);
    const later = decode(eth(0x86dd, ipv6({ nh: 44 }, bytes(frag6(17, 1448, false, 0xdeadbeef), new Uint8Array(50)))), 1, dec);
    expect(later.isLaterFragment).toBe(true);
    expect(later.ipFragOffset).toBe(1448);
    expect(later.ipProto).toBe(17);
    expect(pathName(dec, later)).toBe('eth:ipv6');
  });

  it('treats an atomic fragment (offset 0, no more) as a whole datagram', () => {
    const p = decode(eth(0x86dd, ipv6({ nh: 44 }, bytes(frag6(6, 0, false, 7), tcp({ sport: 9 })))));
    expect(p.isLaterFragment).toBe(false);
    expect(p.srcPort).toBe(9);
  });

  it('decodes ICMPv6', () => {
    const dec = new Decoder();
    const p = decode(eth(0x86dd, ipv6({ nh: 58 }, bytes([135, 0, 0, 0, 0, 0, 0, 0], new Uint8Array(16)))), 1, dec);
    expect(pathName(dec, p)).toBe('eth:ipv6:icmpv6');
    expect(p.icmpType).toBe(135);
    expect(p.icmpCode).toBe(0);
    expect(p.payloadOff).toBe(14 + 40 + 8);
    expect(p.payloadLen).toBe(16);
  });

  it('keeps the outer addresses of a tunnel', () => {
    const inner = ipv4({ proto: 6, src: '10.9.9.9' }, tcp({}));
    const p = decode(eth(0x86dd, ipv6({ nh: 4, src: '2001:db8::a' }, inner)));
    expect(ip6ToString(p.ip6Src)).toBe('2001:db8::a');
    expect(p.ipProto).toBe(4);
    expect(p.ip4Src).toBe(0);
  });
});

describe('version nibble with IPv4-in-IPv4 stays outer', () => {
  it('does not decode the inner header over the outer one', () => {
    const inner = ipv4({ proto: 17, src: '172.16.0.1' }, udp(1, 2, text('x')));
    const p = decode(eth(0x0800, ipv4({ proto: 4, src: '198.51.100.1' }, inner)));
    expect(ip4ToString(p.ip4Src)).toBe('198.51.100.1');
    expect(p.srcPort).toBe(-1);
  });
});
