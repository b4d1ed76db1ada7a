/** IPv4/IPv6 builders; they fill the TCP/UDP/ICMPv6 checksum of a whole datagram they wrap. */
import { concat, fold, ip4, ip6, put16, put32, sum16, type Ip4Addr, type Ip6Addr } from './bytes.js';
import { IPF } from './constants.js';

export interface Ipv4Opts {
  src: Ip4Addr;
  dst: Ip4Addr;
  proto: number;
  ttl?: number;
  id?: number;
  /** IPF.DF / IPF.MF bits (default DF unless fragmenting). */
  flags?: number;
  /** In 8-byte units. */
  fragOffset?: number;
  tos?: number;
  /** Options bytes; padded with zeros (EOL) to a multiple of 4. */
  options?: Uint8Array;
  /** Overrides for malformed packets. */
  ihl?: number;
  totalLength?: number;
  /** Fill the TCP/UDP checksum of an unfragmented payload (default true). */
  l4Checksum?: boolean;
}

export function ipv4(o: Ipv4Opts, payload: Uint8Array): Uint8Array {
  const opt = o.options ?? new Uint8Array(0);
  const optLen = (opt.length + 3) & ~3;
  const hl = 20 + optLen;
  const b = new Uint8Array(hl + payload.length);
  const frag = o.fragOffset ?? 0;
  const flags = o.flags ?? (frag ? 0 : IPF.DF);
  b[0] = 0x40 | ((o.ihl ?? hl / 4) & 15);
  b[1] = o.tos ?? 0;
  put16(b, 2, o.totalLength ?? b.length);
  put16(b, 4, o.id ?? 0);
  put16(b, 6, ((flags & 7) << 13) | (frag & 0x1fff));
  b[8] = o.ttl ?? 64;
  b[9] = o.proto;
  const s = ip4(o.src);
  const d = ip4(o.dst);
  b.set(s, 12);
  b.set(d, 16);
  b.set(opt, 20);
  b.set(payload, hl);
  put16(b, 10, fold(sum16(b, 0, hl)));
  const whole = frag === 0 && (flags & IPF.MF) === 0;
  if (whole && o.l4Checksum !== false) fillL4Checksum(o.proto, s, d, b.subarray(hl));
  return b;
}

export type Ipv6Ext =
  | { type: 0 | 60; data?: Uint8Array }
  | { type: 43; routingType?: number; segmentsLeft?: number; data?: Uint8Array }
  | { type: 44; fragOffset: number; more: boolean; id: number };

export interface Ipv6Opts {
  src: Ip6Addr;
  dst: Ip6Addr;
  /** Upper-layer protocol; extension headers are chained in front of it. */
  nextHeader: number;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  extHeaders?: Ipv6Ext[];
  l4Checksum?: boolean;
  /** Override for malformed packets. */
  payloadLength?: number;
}

export function ipv6(o: Ipv6Opts, payload: Uint8Array): Uint8Array {
  const exts = o.extHeaders ?? [];
  const s = ip6(o.src);
  const d = ip6(o.dst);
  let fragmented = false;
  const extBytes: Uint8Array[] = exts.map((e, i) => {
    const next = i + 1 < exts.length ? exts[i + 1]!.type : o.nextHeader;
    if (e.type === 44) {
      if (e.fragOffset !== 0 || e.more) fragmented = true;
      const b = new Uint8Array(8);
      b[0] = next;
      put16(b, 2, ((e.fragOffset & 0x1fff) << 3) | (e.more ? 1 : 0));
      put32(b, 4, e.id);
      return b;
    }
    let body: Uint8Array;
    if (e.type === 43) body = concat(Uint8Array.of(e.routingType ?? 0, e.segmentsLeft ?? 0), e.data ?? new Uint8Array(4));
    else body = e.data ?? new Uint8Array(0);
    // Options area padded with PadN so the header is a multiple of 8 bytes.
    const len = Math.max(8, (2 + body.length + 7) & ~7);
    const b = new Uint8Array(len);
    b[0] = next;
    b[1] = len / 8 - 1;
    b.set(body, 2);
    const padLen = len - 2 - body.length;
    if (e.type !== 43 && padLen > 0) {
      if (padLen === 1) b[2 + body.length] = 0;
      else {
        b[2 + body.length] = 1;
        b[3 + body.length] = padLen - 2;
      }
    }
    return b;
  });
  const ext = concat(...extBytes);
  const h = new Uint8Array(40);
  const tc = o.trafficClass ?? 0;
  put32(h, 0, ((6 << 28) | (tc << 20) | ((o.flowLabel ?? 0) & 0xfffff)) >>> 0);
  put16(h, 4, o.payloadLength ?? ext.length + payload.length);
  h[6] = exts.length ? exts[0]!.type : o.nextHeader;
  h[7] = o.hopLimit ?? 64;
  h.set(s, 8);
  h.set(d, 24);
  const out = concat(h, ext, payload);
  if (!fragmented && o.l4Checksum !== false) fillL4Checksum(o.nextHeader, s, d, out.subarray(40 + ext.length));
  return out;
}

/** Pseudo-header sum for TCP/UDP/ICMPv6 over IPv4 (4-byte addresses) or IPv6 (16). */
function pseudoSum(proto: number, s: Uint8Array, d: Uint8Array, len: number): number {
  let sum = sum16(s, 0, s.length) + sum16(d, 0, d.length) + proto;
  sum += s.length === 16 ? Math.floor(len / 65536) + (len & 0xffff) : len;
  return sum;
}

/** Fill the checksum of a TCP/UDP/ICMPv6 datagram in place (others are left alone). */
export function fillL4Checksum(proto: number, src: Uint8Array, dst: Uint8Array, seg: Uint8Array): void {
  const at = proto === 6 ? 16 : proto === 17 ? 6 : proto === 58 ? 2 : -1;
  if (at < 0 || seg.length < at + 2) return;
  seg[at] = 0;
  seg[at + 1] = 0;
  let c = fold(sum16(seg, 0, seg.length, pseudoSum(proto, src, dst, seg.length)));
  if (proto === 17 && c === 0) c = 0xffff;
  put16(seg, at, c);
}

/**
 * Split an upper-layer datagram into IPv4 fragments of at most `chunk` payload
 * bytes (rounded down to 8). The checksum is computed over the whole datagram first.
 */
export function ipv4Fragments(o: Ipv4Opts, datagram: Uint8Array, chunk: number): Uint8Array[] {
  const whole = ipv4({ ...o, flags: 0, fragOffset: 0 }, datagram).subarray(20 + (((o.options?.length ?? 0) + 3) & ~3));
  const step = chunk & ~7;
  const out: Uint8Array[] = [];
  for (let off = 0; off < whole.length; off += step) {
    const last = off + step >= whole.length;
    out.push(ipv4({ ...o, flags: last ? 0 : IPF.MF, fragOffset: off / 8 }, whole.slice(off, off + step)));
  }
  return out;
}

/** Same for IPv6: each fragment carries `extHeaders` (unfragmentable part) then a Fragment header. */
export function ipv6Fragments(o: Ipv6Opts, datagram: Uint8Array, chunk: number, id: number): Uint8Array[] {
  const pre = o.extHeaders ?? [];
  const whole = ipv6({ ...o, extHeaders: [] }, datagram).subarray(40);
  const step = chunk & ~7;
  const out: Uint8Array[] = [];
  for (let off = 0; off < whole.length; off += step) {
    const more = off + step < whole.length;
    const ext: Ipv6Ext[] = [...pre, { type: 44, fragOffset: off / 8, more, id }];
    out.push(ipv6({ ...o, extHeaders: ext, l4Checksum: false }, whole.slice(off, off + step)));
  }
  return out;
}

