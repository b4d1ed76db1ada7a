/** DecodedPackets filled by hand, for filter tests that need no reader or decoder. */
import { DecodedPacket, L3 } from '../../src/decode/packet.js';
import { parseIp4, parseIp6 } from '../../src/filter/values.js';

export const MAC_A = '00:11:22:33:44:55';
export const MAC_B = '66:77:88:99:aa:bb';

function mac(s: string): number[] {
  return s.split(':').map((x) => parseInt(x, 16));
}

export interface PktOpts {
  src?: string;
  dst?: string;
  proto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'sctp' | 'gre' | 'none';
  sport?: number;
  dport?: number;
  len?: number;
  ttl?: number;
  flags?: number;
  seq?: number;
  ack?: number;
  win?: number;
  payload?: number;
  vlan?: number[];
  macSrc?: string;
  macDst?: string;
  tsSec?: number;
  tsNsec?: number;
  fragOffset?: number;
  mf?: boolean;
  laterFragment?: boolean;
  icmpType?: number;
  icmpCode?: number;
  ip6Nxt?: number;
}

const PROTO_NUM = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58, sctp: 132, gre: 47, none: 59 } as const;

/** An Ethernet (optionally VLAN-tagged) IPv4 or IPv6 packet; the address family follows `src`. */
export function ipPacket(o: PktOpts = {}): DecodedPacket {
  const p = new DecodedPacket();
  p.reset();
  const src = o.src ?? '10.0.0.1';
  const dst = o.dst ?? '10.0.0.2';
  const v6 = src.includes(':');
  const tags = o.vlan ?? [];
  const buf = new Uint8Array(14 + tags.length * 4 + 80);
  buf.set(mac(o.macDst ?? MAC_B), 0);
  buf.set(mac(o.macSrc ?? MAC_A), 6);
  let off = 12;
  for (const id of tags) {
    buf[off] = 0x81;
    buf[off + 1] = 0x00;
    buf[off + 2] = (id >> 8) & 0x0f;
    buf[off + 3] = id & 0xff;
    off += 4;
  }
  const et = v6 ? 0x86dd : 0x0800;
  buf[off] = et >> 8;
  buf[off + 1] = et & 0xff;
  p.buf = buf;
  p.frameOff = 0;
  p.capLen = buf.length;
  p.origLen = o.len ?? 120;
  p.tsSec = o.tsSec ?? 1_700_000_000;
  p.tsNsec = o.tsNsec ?? 0;
  p.ethOff = 0;
  p.etherType = et;
  p.vlanCount = tags.length;
  p.vlanId = tags[0] ?? -1;
  p.vlanId2 = tags[1] ?? -1;
  p.l3Off = off + 2;
  const proto = o.proto ?? 'tcp';
  const num = PROTO_NUM[proto];
  if (v6) {
    p.l3 = L3.IPv6;
    p.ip6Src.set(parseIp6(src)!);
    p.ip6Dst.set(parseIp6(dst)!);
    p.ip6Nxt = o.ip6Nxt ?? num;
    p.ipLen = (o.len ?? 120) - 14;
  } else {
    p.l3 = L3.IPv4;
    p.ip4Src = parseIp4(src)!;
    p.ip4Dst = parseIp4(dst)!;
    p.ipLen = (o.len ?? 120) - 14;
    p.ipHdrLen = 20;
    p.ipId = 1;
  }
  p.ipProto = num;
  p.ipTtl = o.ttl ?? 64;
  p.ipMf = o.mf ? 1 : 0;
  p.ipFragOffset = o.fragOffset ?? 0;
  p.isLaterFragment = o.laterFragment ?? false;
  if (proto !== 'none') p.l4Off = p.l3Off + (v6 ? 40 : 20);
  if (proto === 'tcp' || proto === 'udp' || proto === 'sctp') {
    p.srcPort = o.sport ?? 40000;
    p.dstPort = o.dport ?? 80;
  }
  if (proto === 'tcp') {
    p.tcpFlags = o.flags ?? 0x18;
    p.tcpSeq = o.seq ?? 1000;
    p.tcpAck = o.ack ?? 2000;
    p.tcpWin = o.win ?? 65535;
    p.tcpHdrLen = 20;
    p.payloadWireLen = o.payload ?? 0;
  }
  if (proto === 'udp') {
    p.udpLen = 8 + (o.payload ?? 0);
    p.payloadWireLen = o.payload ?? 0;
  }
  if (proto === 'icmp' || proto === 'icmpv6') {
    p.icmpType = o.icmpType ?? 8;
    p.icmpCode = o.icmpCode ?? 0;
  }
  return p;
}

export function arpPacket(op: number, spa: string, tpa: string, o: { vlan?: number[]; rarp?: boolean } = {}): DecodedPacket {
  const p = new DecodedPacket();
  p.reset();
  const tags = o.vlan ?? [];
  const buf = new Uint8Array(14 + tags.length * 4 + 28);
  buf.fill(0xff, 0, 6);
  buf.set(mac(MAC_A), 6);
  let off = 12;
  for (const id of tags) {
    buf.set([0x81, 0, (id >> 8) & 15, id & 255], off);
    off += 4;
  }
  const et = o.rarp ? 0x8035 : 0x0806;
  buf[off] = et >> 8;
  buf[off + 1] = et & 255;
  const a = off + 2;
  buf.set([0, 1, 8, 0, 6, 4, 0, op], a);
  buf.set(mac(MAC_A), a + 8);
  p.buf = buf;
  p.capLen = buf.length;
  p.origLen = 60;
  p.ethOff = 0;
  p.etherType = et;
  p.vlanCount = tags.length;
  p.vlanId = tags[0] ?? -1;
  p.vlanId2 = tags[1] ?? -1;
  p.l3 = L3.Arp;
  p.l3Off = a;
  p.arpOp = op;
  p.arpSpa = parseIp4(spa)!;
  p.arpTpa = parseIp4(tpa)!;
  return p;
}
