import { DecodedPacket, L3, Malformed } from './packet.js';
import { Proto } from './protocols.js';
import type { DecodeCtx } from './ctx.js';
import { push } from './ctx.js';
import { hashWords } from './frag-tracker.js';
import { decodeTransport, hasPorts } from './transport.js';

/** Longest IPv6 extension header chain followed before giving up. */
const MAX_EXT_HEADERS = 16;

/**
 * `end` is the end of the captured bytes, `wireEnd` where the frame ends on
 * the wire (used when a length field is 0 because of segmentation offload).
 */
export function decodeIpv4(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number): void {
  push(c, out, Proto.IPv4);
  out.l3Off = o;
  if (o + 20 > end) {
    out.malformed = Malformed.IPv4Truncated;
    return;
  }
  const vihl = b[o]!;
  if (vihl >> 4 !== 4) {
    out.malformed = Malformed.IPv4BadVersion;
    return;
  }
  // Addresses are kept even when the rest is bad, so the packet still counts toward its pair.
  out.l3 = L3.IPv4;
  const src = ((b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!) >>> 0;
  const dst = ((b[o + 16]! << 24) | (b[o + 17]! << 16) | (b[o + 18]! << 8) | b[o + 19]!) >>> 0;
  out.ip4Src = src;
  out.ip4Dst = dst;
  out.ipTtl = b[o + 8]!;
  const id = (b[o + 4]! << 8) | b[o + 5]!;
  out.ipId = id;
  const ff = (b[o + 6]! << 8) | b[o + 7]!;
  out.ipDf = (ff >> 14) & 1;
  const mf = (ff >> 13) & 1;
  out.ipMf = mf;
  out.ipFragOffset = (ff & 0x1fff) * 8;
  const proto = b[o + 9]!;
  out.ipProto = proto;
  const hl = (vihl & 15) * 4;
  out.ipHdrLen = hl;
  let tl = (b[o + 2]! << 8) | b[o + 3]!;
  // Total length 0 is what TSO/GSO captures on the sending host show; Wireshark then uses the frame.
  if (tl === 0) tl = wireEnd - o;
  out.ipLen = tl;
  if (hl < 20) {
    out.malformed = Malformed.IPv4BadHeaderLength;
    return;
  }
  if (tl < hl) {
    out.malformed = Malformed.IPv4BadTotalLength;
    return;
  }
  if (o + hl > end) {
    out.malformed = Malformed.IPv4Truncated;
    return;
  }
  // A total length past the end of the frame on the wire is damage, not snaplen (Wireshark's
  // "IPv4 total length exceeds packet length"): the transport gets only what the wire had.
  let declEnd = o + tl;
  const overWire = declEnd > wireEnd;
  if (overWire) declEnd = wireEnd;
  const ipEnd = declEnd < end ? declEnd : end;
  if (out.ipFragOffset > 0) {
    out.isLaterFragment = true;
    if (hasPorts(proto)) setPortsFromTracker(c, out, src, dst, id, proto);
  } else {
    decodeTransport(c, out, b, o + hl, ipEnd, declEnd, proto, mf === 1);
    if (mf === 1 && out.srcPort >= 0 && hasPorts(proto)) {
      c.frags.remember(src, dst, id, proto, out.srcPort, out.dstPort);
    }
  }
  if (overWire && out.malformed === Malformed.None) out.malformed = Malformed.IPv4BadTotalLength;
}

export function decodeIpv6(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number): void {
  push(c, out, Proto.IPv6);
  out.l3Off = o;
  if (o + 40 > end) {
    out.malformed = Malformed.IPv6Truncated;
    return;
  }
  if (b[o]! >> 4 !== 6) {
    out.malformed = Malformed.IPv6BadVersion;
    return;
  }
  out.l3 = L3.IPv6;
  const s6 = out.ip6Src;
  const d6 = out.ip6Dst;
  for (let i = 0, p = o + 8; i < 4; i++, p += 4) {
    s6[i] = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    d6[i] = ((b[p + 16]! << 24) | (b[p + 17]! << 16) | (b[p + 18]! << 8) | b[p + 19]!) >>> 0;
  }
  out.ipTtl = b[o + 7]!;
  let nh = b[o + 6]!;
  out.ip6Nxt = nh;
  const plen = (b[o + 4]! << 8) | b[o + 5]!;
  // Payload length 0 means a jumbogram (length in hop-by-hop) or offload; until told otherwise use the frame.
  let declEnd = plen === 0 ? wireEnd : o + 40 + plen;
  if (declEnd < o + 40) declEnd = o + 40;
  out.ipLen = declEnd - o;
  // As for IPv4: a payload length past the wire end of the frame is damage; clamp and flag it.
  let overWire = declEnd > wireEnd;
  if (overWire) declEnd = wireEnd;
  let ipEnd = declEnd < end ? declEnd : end;
  let p = o + 40;
  let first = false;
  let toTransport = true;
  chain: for (let n = 0; ; n++) {
    if (n >= MAX_EXT_HEADERS) {
      out.ipProto = nh;
      out.malformed = Malformed.TooManyLayers;
      return;
    }
    if (nh === 0 || nh === 43 || nh === 60) {
      out.ip6Ext |= nh === 0 ? 1 : nh === 43 ? 2 : 8;
      const len = p + 2 <= ipEnd ? (b[p + 1]! + 1) * 8 : 8;
      if (p + len > ipEnd) return extTruncated(out, nh, p + len, declEnd);
      if (nh === 0 && plen === 0) {
        const jumbo = findJumbo(b, p, p + len);
        if (jumbo >= 0) {
          declEnd = o + 40 + jumbo;
          out.ipLen = jumbo + 40;
          overWire = declEnd > wireEnd;
          if (overWire) declEnd = wireEnd;
          ipEnd = declEnd < end ? declEnd : end;
        }
      }
      nh = b[p]!;
      p += len;
    } else if (nh === 44) {
      out.ip6Ext |= 4;
      if (p + 8 > ipEnd) return extTruncated(out, nh, p + 8, declEnd);
      const offMf = (b[p + 2]! << 8) | b[p + 3]!;
      out.ipFragOffset = offMf & 0xfff8;
      out.ipMf = offMf & 1;
      const id = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
      out.ipId = id;
      nh = b[p]!;
      p += 8;
      if (out.ipFragOffset > 0) {
        out.isLaterFragment = true;
        out.ipProto = nh;
        if (hasPorts(nh)) setPortsFromTracker(c, out, hashWords(s6), hashWords(d6), id, nh);
        toTransport = false;
        break chain;
      }
      first = out.ipMf === 1;
    } else if (nh === 51) {
      out.ip6Ext |= 16;
      push(c, out, Proto.Ah);
      if (p + 2 > ipEnd) return extTruncated(out, nh, p + 2, declEnd);
      const len = (b[p + 1]! + 2) * 4;
      if (p + len > ipEnd) return extTruncated(out, nh, p + len, declEnd);
      nh = b[p]!;
      p += len;
    } else if (nh === 50) {
      out.ip6Ext |= 32;
      out.ipProto = 50;
      out.l4Off = p;
      push(c, out, Proto.Esp);
      toTransport = false;
      break;
    } else if (nh === 59) {
      out.ipProto = 59;
      toTransport = false;
      break;
    } else {
      break;
    }
  }
  if (toTransport) {
    out.ipProto = nh;
    decodeTransport(c, out, b, p, ipEnd, declEnd, nh, first);
    if (first && out.srcPort >= 0 && hasPorts(nh)) {
      c.frags.remember(hashWords(s6), hashWords(d6), out.ipId, nh, out.srcPort, out.dstPort);
    }
  }
  if (overWire && out.malformed === Malformed.None) out.malformed = Malformed.BadLength;
}

/** An extension header runs past the captured bytes (truncated) or past the payload length (bad chain). */
function extTruncated(out: DecodedPacket, nh: number, need: number, declEnd: number): void {
  out.ipProto = nh;
  out.malformed = need > declEnd ? Malformed.IPv6BadExtHeader : Malformed.IPv6Truncated;
}

/** The Jumbo Payload option (RFC 2675) in a hop-by-hop header at [p, e), or -1. */
function findJumbo(b: Uint8Array, p: number, e: number): number {
  let q = p + 2;
  while (q < e) {
    const t = b[q]!;
    if (t === 0) {
      q++;
      continue;
    }
    if (q + 2 > e) return -1;
    const ol = b[q + 1]!;
    if (t === 0xc2 && ol === 4 && q + 6 <= e) {
      return ((b[q + 2]! << 24) | (b[q + 3]! << 16) | (b[q + 4]! << 8) | b[q + 5]!) >>> 0;
    }
    q += 2 + ol;
  }
  return -1;
}

function setPortsFromTracker(c: DecodeCtx, out: DecodedPacket, src: number, dst: number, id: number, proto: number): void {
  const ports = c.frags.lookup(src, dst, id, proto);
  if (ports >= 0) {
    out.srcPort = ports >>> 16;
    out.dstPort = ports & 0xffff;
  }
}
