import { DecodedPacket, Malformed } from './packet.js';
import { Proto } from './protocols.js';
import type { DecodeCtx } from './ctx.js';
import { push } from './ctx.js';

/** IP protocol numbers. */
export const enum IpProto {
  Icmp = 1,
  Igmp = 2,
  Tcp = 6,
  Udp = 17,
  Gre = 47,
  Esp = 50,
  Ah = 51,
  Icmpv6 = 58,
  Ospf = 89,
  Pim = 103,
  Sctp = 132,
}

/** AH headers followed in IPv4 before giving up (IPv6 follows them in its extension chain). */
const MAX_AH = 4;

/** Protocols whose first 4 bytes are source and destination port. */
export function hasPorts(proto: number): boolean {
  return proto === IpProto.Tcp || proto === IpProto.Udp || proto === IpProto.Sctp;
}

/**
 * The layer above IP. The captured datagram is [p, ipEnd); by its length
 * field it ends at declEnd (past ipEnd when the snaplen cut it). `isFirstFragment`
 * excuses a UDP length that runs past this fragment.
 */
export function decodeTransport(
  c: DecodeCtx, out: DecodedPacket, b: Uint8Array, p: number, ipEnd: number, declEnd: number,
  proto: number, isFirstFragment: boolean,
): void {
  for (let ah = 0; proto === IpProto.Ah; ah++) {
    push(c, out, Proto.Ah);
    if (ah >= MAX_AH) {
      out.malformed = Malformed.TooManyLayers;
      return;
    }
    if (p + 2 > ipEnd) {
      out.malformed = Malformed.AhTruncated;
      return;
    }
    const len = (b[p + 1]! + 2) * 4;
    if (p + len > ipEnd) {
      out.malformed = Malformed.AhTruncated;
      return;
    }
    proto = b[p]!;
    out.ipProto = proto;
    p += len;
  }
  out.l4Off = p;
  switch (proto) {
    case IpProto.Tcp:
      decodeTcp(c, out, b, p, ipEnd, declEnd);
      return;
    case IpProto.Udp:
      decodeUdp(c, out, b, p, ipEnd, declEnd, isFirstFragment);
      return;
    case IpProto.Icmp:
    case IpProto.Icmpv6:
      decodeIcmp(c, out, b, p, ipEnd, declEnd, proto === IpProto.Icmp ? Proto.Icmp : Proto.Icmpv6);
      return;
    case IpProto.Sctp:
      push(c, out, Proto.Sctp);
      if (p + 4 > ipEnd) {
        out.malformed = Malformed.SctpTruncated;
        return;
      }
      readPorts(out, b, p);
      if (p + 12 > ipEnd) {
        out.malformed = Malformed.SctpTruncated;
        return;
      }
      setPayload(out, p + 12, ipEnd, declEnd);
      return;
    case IpProto.Gre:
      decodeGre(c, out, b, p, ipEnd, declEnd);
      return;
    case IpProto.Esp:
      push(c, out, Proto.Esp);
      return;
    case IpProto.Igmp:
      push(c, out, Proto.Igmp);
      return;
    case IpProto.Ospf:
      push(c, out, Proto.Ospf);
      return;
    case IpProto.Pim:
      push(c, out, Proto.Pim);
      return;
    default:
      push(c, out, Proto.OtherIp, proto);
      return;
  }
}

function readPorts(out: DecodedPacket, b: Uint8Array, p: number): void {
  out.srcPort = (b[p]! << 8) | b[p + 1]!;
  out.dstPort = (b[p + 2]! << 8) | b[p + 3]!;
}

function setPayload(out: DecodedPacket, off: number, capEnd: number, wireEnd: number): void {
  out.payloadOff = off;
  out.payloadLen = capEnd > off ? capEnd - off : 0;
  out.payloadWireLen = wireEnd > off ? wireEnd - off : 0;
}

function decodeTcp(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, p: number, ipEnd: number, declEnd: number): void {
  push(c, out, Proto.Tcp);
  if (p + 4 > ipEnd) {
    out.malformed = Malformed.TcpTruncated;
    return;
  }
  readPorts(out, b, p);
  if (p + 20 > ipEnd) {
    out.malformed = Malformed.TcpTruncated;
    return;
  }
  out.tcpSeq = ((b[p + 4]! << 24) | (b[p + 5]! << 16) | (b[p + 6]! << 8) | b[p + 7]!) >>> 0;
  out.tcpAck = ((b[p + 8]! << 24) | (b[p + 9]! << 16) | (b[p + 10]! << 8) | b[p + 11]!) >>> 0;
  const offNs = b[p + 12]!;
  out.tcpFlags = b[p + 13]! | ((offNs & 1) << 8);
  out.tcpWin = (b[p + 14]! << 8) | b[p + 15]!;
  const hl = (offNs >> 4) * 4;
  out.tcpHdrLen = hl;
  if (hl < 20 || p + hl > declEnd) {
    out.malformed = Malformed.TcpBadHeaderLength;
    return;
  }
  if (p + hl > ipEnd) {
    out.malformed = Malformed.TcpTruncated;
    return;
  }
  setPayload(out, p + hl, ipEnd, declEnd);
}

function decodeUdp(
  c: DecodeCtx, out: DecodedPacket, b: Uint8Array, p: number, ipEnd: number, declEnd: number, isFirstFragment: boolean,
): void {
  push(c, out, Proto.Udp);
  if (p + 4 > ipEnd) {
    out.malformed = Malformed.UdpTruncated;
    return;
  }
  readPorts(out, b, p);
  if (p + 8 > ipEnd) {
    out.malformed = Malformed.UdpTruncated;
    return;
  }
  const ulen = (b[p + 4]! << 8) | b[p + 5]!;
  out.udpLen = ulen;
  if (ulen < 8 || (p + ulen > declEnd && !isFirstFragment)) {
    // Keep the ports; the payload is whatever the IP layer says is there.
    out.malformed = Malformed.UdpBadLength;
    setPayload(out, p + 8, ipEnd, declEnd);
    return;
  }
  // The UDP length, not the IP length, ends the payload (what follows is padding).
  const udpEnd = p + ulen;
  out.payloadOff = p + 8;
  out.payloadLen = (udpEnd < ipEnd ? udpEnd : ipEnd) - (p + 8);
  if (out.payloadLen < 0) out.payloadLen = 0;
  out.payloadWireLen = ulen - 8;
}

function decodeIcmp(
  c: DecodeCtx, out: DecodedPacket, b: Uint8Array, p: number, ipEnd: number, declEnd: number, proto: Proto,
): void {
  push(c, out, proto);
  if (p + 2 > ipEnd) {
    out.malformed = Malformed.IcmpTruncated;
    return;
  }
  out.icmpType = b[p]!;
  out.icmpCode = b[p + 1]!;
  // Every ICMP/ICMPv6 message has 4 type-specific bytes after the checksum (echo id/seq, unused, MTU...).
  if (p + 8 > ipEnd) {
    out.malformed = Malformed.IcmpTruncated;
    return;
  }
  setPayload(out, p + 8, ipEnd, declEnd);
}

function decodeGre(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, p: number, ipEnd: number, declEnd: number): void {
  push(c, out, Proto.Gre);
  if (p + 4 > ipEnd) {
    out.malformed = Malformed.GreTruncated;
    return;
  }
  const flags = (b[p]! << 8) | b[p + 1]!;
  // Optional fields: checksum+offset (C or R), key (K), sequence (S); version 1 (PPTP) adds ack (A).
  let hl = 4;
  if (flags & 0xc000) hl += 4;
  if (flags & 0x2000) hl += 4;
  if (flags & 0x1000) hl += 4;
  if ((flags & 7) === 1 && flags & 0x0080) hl += 4;
  if (p + hl > ipEnd) {
    out.malformed = Malformed.GreTruncated;
    return;
  }
  setPayload(out, p + hl, ipEnd, declEnd);
}
