/** TCP, UDP, ICMP and ICMPv6 builders (TCP/UDP/ICMPv6 checksums are filled by the IP builders). */
import { concat, fold, ip6, mac, put16, put32, sum16, type Ip6Addr, type MacAddr } from './bytes.js';
import { TCP } from './constants.js';

export interface TcpOpts {
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  flags?: number;
  win?: number;
  payload?: Uint8Array;
  /** Option bytes, padded with NOPs... EOL zeros to a multiple of 4. */
  options?: Uint8Array;
  /** Override of the data offset (in 32-bit words) for malformed packets. */
  dataOffset?: number;
  urg?: number;
}

export function tcp(o: TcpOpts): Uint8Array {
  const opt = o.options ?? new Uint8Array(0);
  const hl = 20 + ((opt.length + 3) & ~3);
  const pl = o.payload ?? new Uint8Array(0);
  const b = new Uint8Array(hl + pl.length);
  put16(b, 0, o.sport);
  put16(b, 2, o.dport);
  put32(b, 4, o.seq ?? 0);
  put32(b, 8, o.ack ?? 0);
  b[12] = ((o.dataOffset ?? hl / 4) & 15) << 4;
  b[13] = o.flags ?? TCP.ACK;
  put16(b, 14, o.win ?? 65535);
  put16(b, 18, o.urg ?? 0);
  b.set(opt, 20);
  b.set(pl, hl);
  return b;
}

/** Common SYN options: MSS, SACK permitted, window scale. */
export function tcpSynOptions(mss = 1460, wscale = 7): Uint8Array {
  return Uint8Array.of(2, 4, mss >> 8, mss & 255, 4, 2, 1, 3, 3, wscale);
}

export function udp(o: { sport: number; dport: number; payload?: Uint8Array; length?: number }): Uint8Array {
  const pl = o.payload ?? new Uint8Array(0);
  const b = new Uint8Array(8 + pl.length);
  put16(b, 0, o.sport);
  put16(b, 2, o.dport);
  put16(b, 4, o.length ?? b.length);
  b.set(pl, 8);
  return b;
}

export interface IcmpOpts {
  type: number;
  code?: number;
  /** Echo identifier and sequence (types 0/8); otherwise use `rest`. */
  id?: number;
  seq?: number;
  /** The 4 bytes after the checksum for non-echo types. */
  rest?: Uint8Array;
  payload?: Uint8Array;
}

export function icmp(o: IcmpOpts): Uint8Array {
  const pl = o.payload ?? new Uint8Array(0);
  const b = new Uint8Array(8 + pl.length);
  b[0] = o.type;
  b[1] = o.code ?? 0;
  if (o.rest) b.set(o.rest.subarray(0, 4), 4);
  else {
    put16(b, 4, o.id ?? 0);
    put16(b, 6, o.seq ?? 0);
  }
  b.set(pl, 8);
  put16(b, 2, fold(sum16(b, 0, b.length)));
  return b;
}

/** ICMPv6 message; the checksum is filled by ipv6(). `body` follows the 4-byte type/code/checksum. */
export function icmpv6(o: { type: number; code?: number; body?: Uint8Array }): Uint8Array {
  const body = o.body ?? new Uint8Array(4);
  const b = new Uint8Array(4 + body.length);
  b[0] = o.type;
  b[1] = o.code ?? 0;
  b.set(body, 4);
  return b;
}

export function icmpv6Echo(o: { request: boolean; id: number; seq: number; payload?: Uint8Array }): Uint8Array {
  const pl = o.payload ?? new Uint8Array(0);
  const body = new Uint8Array(4 + pl.length);
  put16(body, 0, o.id);
  put16(body, 2, o.seq);
  body.set(pl, 4);
  return icmpv6({ type: o.request ? 128 : 129, body });
}

/** Neighbor Solicitation for `target` with a source link-layer address option. */
export function icmpv6NeighborSolicit(target: Ip6Addr, srcMac: MacAddr): Uint8Array {
  return icmpv6({ type: 135, body: concat(new Uint8Array(4), ip6(target), Uint8Array.of(1, 1), mac(srcMac)) });
}

/** Neighbor Advertisement (solicited, override) with a target link-layer address option. */
export function icmpv6NeighborAdvert(target: Ip6Addr, tgtMac: MacAddr): Uint8Array {
  return icmpv6({ type: 136, body: concat(Uint8Array.of(0x60, 0, 0, 0), ip6(target), Uint8Array.of(2, 1), mac(tgtMac)) });
}

/** Solicited-node multicast address and its Ethernet MAC for an IPv6 address. */
export function solicitedNode(addr: Ip6Addr): { ip: Uint8Array; mac: Uint8Array } {
  const a = ip6(addr);
  const ip = ip6('ff02::1:ff00:0');
  ip.set(a.subarray(13), 13);
  return { ip, mac: Uint8Array.of(0x33, 0x33, 0xff, a[13]!, a[14]!, a[15]!) };
}
