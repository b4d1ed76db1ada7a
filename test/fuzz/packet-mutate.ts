/**
 * Packet-level inputs for the fuzz tests: hostile frames built with the fixture builders (DNS
 * pointer loops, lying TLS lengths, huge HTTP lines, IPv6 extension header chains, GRE and VLAN
 * nesting, terminal escapes in every text field) and seeded mutations of decoded frames
 * (header bytes, IP/TCP/UDP length fields, captured length).
 */
import { Decoder } from '../../src/decode/decoder.js';
import { DecodedPacket } from '../../src/decode/packet.js';
import { PacketRecord } from '../../src/capture/record.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import type { Rng } from '../../src/fixtures-gen/rng.js';
import {
  concat, ETH, ethernet, httpRequest, httpResponse, ipv4, ipv6, put16, put32, tcp, tlsClientHello, udp, utf8, type Ipv6Ext,
} from '../../src/fixtures-gen/packet-builder.js';

export interface Frame {
  readonly linkType: number;
  readonly data: Uint8Array;
  /** Wire length (>= data.length: a frame cut by the snap length). */
  readonly origLen: number;
}

/** Byte strings a terminal would act on, and text that must show escaped. */
export const HOSTILE: readonly Uint8Array[] = [
  utf8('\x1b[2J\x1b[H'),
  utf8('\x1b]52;c;aGVsbG8=\x07'),
  utf8('\x1b]0;pwned\x1b\\'),
  Uint8Array.of(0x9b, 0x32, 0x4a, 0x9d, 0x30, 0x3b, 0x78, 0x9c),
  Uint8Array.of(0xc2, 0x9b, 0x32, 0x4a, 0xc2, 0x85),
  Uint8Array.of(0xff, 0xfe, 0xc0, 0xaf, 0xe0, 0x80, 0xaf, 0xf8, 0x88, 0x80, 0x80, 0x80),
  Uint8Array.of(0xed, 0xa0, 0x80, 0xed, 0xb0, 0x80),
  utf8('evil\u202egnp.exe\u2066x\u2069\u200f\ufeff'),
  Uint8Array.of(0x00, 0x01, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x7f, 0x00),
  utf8('caf\u00e9 \u65e5\u672c \u{1f600} ok'),
];

export function hostile(r: Rng): Uint8Array {
  return concat(utf8('a'), r.pick(HOSTILE), r.chance(0.5) ? r.pick(HOSTILE) : utf8('z'));
}

const C4 = '10.0.0.1';
const S4 = '10.0.0.2';
const C6 = '2001:db8::1';
const S6 = '2001:db8::2';

const eth4 = (l3: Uint8Array, vlan?: number[]): Uint8Array => ethernet({ type: ETH.IPv4, ...(vlan ? { vlan } : {}) }, l3);
const tcp4 = (sport: number, dport: number, payload: Uint8Array, flags = 0x18, seq = 1000): Uint8Array =>
  eth4(ipv4({ src: C4, dst: S4, proto: 6 }, tcp({ sport, dport, seq, ack: 1, flags, payload })));
const udp4 = (sport: number, dport: number, payload: Uint8Array): Uint8Array => eth4(ipv4({ src: C4, dst: S4, proto: 17 }, udp({ sport, dport, payload })));

/** A DNS message from raw parts: header counts, then `body` as given (names may point anywhere). */
function dnsRaw(counts: [number, number, number, number], body: Uint8Array, flags = 0x8180): Uint8Array {
  const h = new Uint8Array(12);
  put16(h, 0, 0x1234);
  put16(h, 2, flags);
  counts.forEach((c, i) => put16(h, 4 + 2 * i, c));
  return concat(h, body);
}

function label(bytes: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(Math.min(63, bytes.length)), bytes.subarray(0, 63));
}

/** DNS messages with compression pointer loops, pointers past the end, hostile labels, lying counts. */
function dnsCases(r: Rng): Uint8Array[] {
  const q = (name: Uint8Array): Uint8Array => concat(name, Uint8Array.of(0, 1, 0, 1));
  const ans = (name: Uint8Array, type: number, rdata: Uint8Array): Uint8Array =>
    concat(name, Uint8Array.of(0, type, 0, 1, 0, 0, 0, 60, rdata.length >> 8, rdata.length & 255), rdata);
  const hostileName = concat(label(hostile(r)), label(utf8('example')), Uint8Array.of(0));
  return [
    dnsRaw([1, 0, 0, 0], q(Uint8Array.of(0xc0, 12))), // points at itself
    dnsRaw([1, 0, 0, 0], q(concat(label(utf8('a')), Uint8Array.of(0xc0, 12)))), // a.<loop>
    dnsRaw([1, 1, 0, 0], concat(q(concat(label(utf8('b')), Uint8Array.of(0xc0, 0x1e))), ans(Uint8Array.of(0xc0, 12), 5, Uint8Array.of(0xc0, 12)))),
    dnsRaw([1, 0, 0, 0], q(Uint8Array.of(0xc0, 0xff))), // past the end
    dnsRaw([1, 0, 0, 0], q(Uint8Array.of(0xff, 0xff))),
    dnsRaw([1, 0, 0, 0], q(label(utf8('cut')))), // no terminator
    dnsRaw([1, 1, 0, 0], concat(q(hostileName), ans(Uint8Array.of(0xc0, 12), 1, Uint8Array.of(1, 2, 3, 4)))),
    dnsRaw([1, 2, 0, 0], concat(q(hostileName), ans(Uint8Array.of(0xc0, 12), 16, concat(Uint8Array.of(20), hostile(r))), ans(Uint8Array.of(0xc0, 12), 5, hostileName))),
    dnsRaw([1, 1, 0, 0], concat(q(hostileName), ans(Uint8Array.of(0xc0, 12), 12, concat(label(hostile(r)), Uint8Array.of(0xc0, 12))))),
    dnsRaw([0xffff, 0xffff, 0xffff, 0xffff], q(hostileName)),
    dnsRaw([1, 1, 0, 0], concat(q(hostileName), ans(Uint8Array.of(0xc0, 12), 1, new Uint8Array(0)), Uint8Array.of(0, 0xff))),
    dnsRaw([1, 0, 0, 0], q(concat(...Array.from({ length: 10 }, () => label(new Uint8Array(63).fill(0x1b))), Uint8Array.of(0)))),
    dnsRaw([1, 1, 0, 0], concat(q(hostileName), ans(Uint8Array.of(0xc0, 12), 99, hostile(r)))),
  ];
}

/** A ClientHello whose length fields lie (record, handshake, session id, suites, extensions, SNI, ALPN). */
function lyingHello(r: Rng): Uint8Array {
  const h = tlsClientHello({ sni: hostile(r), alpn: ['h2', 'http/1.1'] });
  const sid = 5 + 4 + 2 + 32;
  const suites = sid + 1 + h[sid]!;
  const comp = suites + 2 + ((h[suites]! << 8) | h[suites + 1]!);
  const exts = comp + 1 + h[comp]!;
  const sni = exts + 2; // first extension is server_name: type(2) len(2) list(2) kind(1) len(2)
  const spots: [number, number][] = [[3, 2], [6, 3], [sid, 1], [suites, 2], [comp, 1], [exts, 2], [sni + 2, 2], [sni + 4, 2], [sni + 7, 2]];
  const [at, width] = r.pick(spots);
  const v = r.pick([0, 1, 2, 0x7f, 0xff, 0xffff, 0xffffff]);
  if (width === 1) h[at] = v & 0xff;
  else if (width === 2) put16(h, at, v & 0xffff);
  else {
    h[at] = (v >>> 16) & 0xff;
    put16(h, at + 1, v & 0xffff);
  }
  return h;
}

function ext6(r: Rng): Ipv6Ext[] {
  const kinds: Ipv6Ext[] = [{ type: 0 }, { type: 60 }, { type: 43, segmentsLeft: 1 }, { type: 44, fragOffset: 0, more: false, id: 7 }];
  return Array.from({ length: r.range(1, 40) }, () => r.pick(kinds));
}

/** GRE (RFC 2784) around IPv4, `depth` times. */
function greNest(depth: number, inner: Uint8Array): Uint8Array {
  let l3 = inner;
  for (let i = 0; i < depth; i++) l3 = ipv4({ src: C4, dst: S4, proto: 47 }, concat(Uint8Array.of(0, 0, 0x08, 0x00), l3));
  return l3;
}

/** Frames built to break parsers, with a fresh hostile string each time. */
export function hostileFrames(r: Rng): Frame[] {
  const out: Uint8Array[] = [];
  for (const m of dnsCases(r)) {
    out.push(udp4(5353, 53, m), tcp4(40000, 53, concat(Uint8Array.of(m.length >> 8, m.length & 255), m)));
  }
  out.push(tcp4(40001, 443, lyingHello(r)), tcp4(40001, 8443, lyingHello(r)));
  const h = hostile(r);
  const long = new Uint8Array(70_000).fill(0x41);
  out.push(
    tcp4(40002, 80, httpRequest({ host: h, userAgent: hostile(r), path: `/${'x'.repeat(5)}`, headers: [['X', hostile(r)]] })),
    tcp4(40002, 80, concat(utf8('GET /'), long, utf8(' HTTP/1.1\r\nHost: a\r\n\r\n'))),
    tcp4(40002, 80, concat(utf8('GET / HTTP/1.1\r\nHost: '), long, utf8('\r\n\r\n'))),
    tcp4(40002, 80, concat(utf8('G\x00T /\x00 HTTP/1.1\r\nHo\x00st: a\x00b\r\n\x00\r\n'))),
    tcp4(40002, 80, concat(utf8('GET '), hostile(r), utf8(' HTTP/1.1\r\n'), hostile(r), utf8(': '), hostile(r), utf8('\r\nContent-Length: 99999999999999999999\r\n\r\n'))),
    tcp4(80, 40002, httpResponse({ status: 200, reason: new TextDecoder('latin1').decode(hostile(r)), headers: [['Server', hostile(r)], ['Content-Type', hostile(r)]] })),
    tcp4(80, 40002, concat(utf8('HTTP/1.1 99999 '), hostile(r), utf8('\r\n\r\n'))),
    tcp4(40003, 22, concat(utf8('SSH-2.0-'), hostile(r), utf8('\r\n'))),
    tcp4(40004, 4444, concat(hostile(r), hostile(r))),
    udp4(68, 67, dhcpWithHostname(hostile(r))),
    udp4(40005, 443, concat(Uint8Array.of(0xc3, 0, 0, 0, 1, 8), hostile(r))),
    udp4(123, 123, Uint8Array.of(0x23, 2, 6, 0xe9, ...new Uint8Array(44))),
  );
  // Extension header chains (loops of the same header too), and ones that point past the packet.
  for (let i = 0; i < 4; i++) out.push(ethernet({ type: ETH.IPv6 }, ipv6({ src: C6, dst: S6, nextHeader: 17, extHeaders: ext6(r) }, udp({ sport: 1, dport: 53, payload: dnsCases(r)[0]! }))));
  const selfLoop = ipv6({ src: C6, dst: S6, nextHeader: 0, extHeaders: [{ type: 0 }] }, new Uint8Array(8));
  out.push(ethernet({ type: ETH.IPv6 }, selfLoop));
  out.push(ethernet({ type: ETH.IPv6 }, ipv6({ src: C6, dst: S6, nextHeader: 6, extHeaders: [{ type: 60, data: new Uint8Array(2000) }] }, tcp({ sport: 1, dport: 80 }))));
  // GRE inside GRE, VLAN inside VLAN.
  for (const depth of [1, 2, 8, 40]) out.push(eth4(greNest(depth, ipv4({ src: C4, dst: S4, proto: 17 }, udp({ sport: 1, dport: 53, payload: dnsCases(r)[6]! })))));
  for (const n of [3, 9, 64]) out.push(eth4(ipv4({ src: C4, dst: S4, proto: 6 }, tcp({ sport: 1, dport: 80, payload: utf8('GET / HTTP/1.1\r\n\r\n') })), Array.from({ length: n }, (_, i) => i + 1)));
  return out.map((data) => ({ linkType: 1, data, origLen: data.length }));
}

/** A DNS tunnel under a hostile registered domain (400 queries in 40 s): the detector's alert names it. */
export function tunnelFrames(r: Rng): Frame[] {
  const domain = label(hostile(r));
  return Array.from({ length: 400 }, (_, i) => {
    const sub = Uint8Array.from({ length: 45 }, () => 97 + r.int(26));
    const m = dnsRaw([1, 0, 0, 0], concat(label(sub), domain, label(utf8('com')), Uint8Array.of(0, 0, 1, 0, 1)), 0x0100);
    const data = udp4(30000 + i, 53, m);
    return { linkType: 1, data, origLen: data.length };
  });
}

function dhcpWithHostname(name: Uint8Array): Uint8Array {
  const b = new Uint8Array(240);
  b[0] = 1;
  b[1] = 1;
  b[2] = 6;
  put32(b, 236, 0x63825363);
  return concat(b, Uint8Array.of(53, 1, 1, 12, Math.min(255, name.length)), name.subarray(0, 255), Uint8Array.of(255));
}

const decoder = new Decoder();
const dp = new DecodedPacket();
const rec = new PacketRecord();

/** Where a frame's layers start (decoded once): -1 for a layer it does not have. */
function offsets(f: Frame): { l3: number; l4: number; pay: number; v: number; proto: number } {
  rec.buf = f.data;
  rec.off = 0;
  rec.capLen = f.data.length;
  rec.origLen = f.origLen;
  rec.linkType = f.linkType;
  decoder.decode(rec, dp);
  return { l3: dp.l3Off, l4: dp.l4Off, pay: dp.payloadOff, v: dp.l3, proto: dp.ipProto };
}

export type PacketOp = 'hdrflip' | 'hdrbytes' | 'iplen' | 'ihl' | 'tcpoff' | 'udplen' | 'caplen' | 'payload' | 'ttl-proto' | 'ethertype';
export const PACKET_OPS: readonly PacketOp[] = ['hdrflip', 'hdrbytes', 'iplen', 'ihl', 'tcpoff', 'udplen', 'caplen', 'payload', 'ttl-proto', 'ethertype'];
/** VLAN, QinQ, MPLS, PPPoE, LLC lengths and others an Ethernet decoder branches on. */
const ETHERTYPES = [0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x9100, 0x8847, 0x8848, 0x8863, 0x8864, 0x88cc, 0x0000, 0x002e, 0x05dc, 0x0600, 0x6558, 0xffff];
const LENS = [0, 1, 7, 8, 19, 20, 39, 40, 41, 0x7fff, 0xffff];

/** One mutation of a frame (a copy; `f` is not changed). */
export function mutatePacket(r: Rng, f: Frame, op: PacketOp): Frame {
  const o = offsets(f);
  const b = new Uint8Array(f.data);
  const hdrEnd = o.pay >= 0 ? o.pay : Math.min(b.length, 80);
  const set16 = (at: number, v: number): void => {
    if (at >= 0 && at + 2 <= b.length) put16(b, at, v & 0xffff);
  };
  switch (op) {
    case 'hdrflip':
      for (let k = r.range(1, 4); k > 0 && hdrEnd > 0; k--) {
        const i = r.int(hdrEnd);
        b[i] = b[i]! ^ (1 << r.int(8));
      }
      break;
    case 'hdrbytes':
      for (let k = r.range(1, 4); k > 0 && hdrEnd > 0; k--) b[r.int(hdrEnd)] = r.pick([0, 0xff, 0x80, 0x3f, r.int(256)]);
      break;
    case 'iplen':
      if (o.v === 4) set16(o.l3 + 2, r.chance(0.7) ? r.pick(LENS) : b.length - o.l3 + r.range(-30, 30));
      else if (o.v === 6) set16(o.l3 + 4, r.chance(0.7) ? r.pick(LENS) : b.length - o.l3 - 40 + r.range(-30, 30));
      break;
    case 'ihl':
      if (o.v === 4 && o.l3 >= 0) b[o.l3] = 0x40 | r.int(16);
      break;
    case 'tcpoff':
      if (o.proto === 6 && o.l4 >= 0 && o.l4 + 13 <= b.length) b[o.l4 + 12] = (r.int(16) << 4) | (b[o.l4 + 12]! & 15);
      break;
    case 'udplen':
      if (o.proto === 17 && o.l4 >= 0) set16(o.l4 + 4, r.chance(0.7) ? r.pick(LENS) : b.length - o.l4 + r.range(-20, 20));
      break;
    case 'caplen':
      return { linkType: f.linkType, data: b.subarray(0, r.int(b.length + 1)), origLen: f.origLen };
    case 'payload': {
      if (o.pay < 0) break;
      const p = concat(b.subarray(0, o.pay), hostile(r), r.chance(0.5) ? b.subarray(o.pay) : new Uint8Array(0));
      return { linkType: f.linkType, data: p, origLen: Math.max(f.origLen, p.length) };
    }
    case 'ethertype':
      // The type field just before the network layer (after any VLAN tags), or the outer one.
      if (f.linkType === 1) set16(o.l3 > 14 && r.chance(0.7) ? o.l3 - 2 : 12, r.pick(ETHERTYPES));
      break;
    case 'ttl-proto':
      if (o.v === 4) b[o.l3 + 9] = r.pick([0, 4, 6, 17, 41, 47, 50, 51, 58, 132, 255]);
      else if (o.v === 6) b[o.l3 + 6] = r.pick([0, 4, 6, 17, 41, 43, 44, 47, 51, 58, 59, 60, 135, 255]);
      break;
  }
  return { linkType: f.linkType, data: b, origLen: Math.max(f.origLen, b.length) };
}

/** Frames grouped by link type, one pcap each (1 µs apart). */
export function pcapsOf(frames: readonly Frame[]): Buffer[] {
  const by = new Map<number, Frame[]>();
  for (const f of frames) by.set(f.linkType, [...(by.get(f.linkType) ?? []), f]);
  return [...by.entries()].map(([linkType, fs]) => {
    const w = new PcapWriter({ linkType });
    fs.forEach((f, i) => w.writePacket(1_767_225_600 + Math.floor(i / 1000), (i % 1000) * 1000, f.data, f.origLen));
    return Buffer.from(w.toBuffer());
  });
}
