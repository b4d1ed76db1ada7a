import { DecodedPacket, L3, Malformed } from './packet.js';
import { Proto } from './protocols.js';
import type { DecodeCtx } from './ctx.js';
import { push } from './ctx.js';
import { decodeIpv4, decodeIpv6 } from './network.js';

/** Ethertypes the decoder follows. */
export const enum EtherType {
  IPv4 = 0x0800,
  Arp = 0x0806,
  Rarp = 0x8035,
  Vlan = 0x8100,
  QinQ = 0x88a8,
  QinQOld = 0x9100,
  IPv6 = 0x86dd,
  PppoeDiscovery = 0x8863,
  PppoeSession = 0x8864,
  MplsUnicast = 0x8847,
  MplsMulticast = 0x8848,
  Lldp = 0x88cc,
}

/** A packet with more VLAN tags or MPLS labels than this is given up on. */
const MAX_TAGS = 8;
const MAX_LABELS = 16;

export function decodeEthernet(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number): void {
  push(c, out, Proto.Eth);
  if (o + 14 > end) {
    out.malformed = Malformed.LinkTruncated;
    return;
  }
  out.ethOff = o;
  const t = (b[o + 12]! << 8) | b[o + 13]!;
  if (t <= 1500) {
    // 802.3: the field is a length and an LLC header follows; it also bounds the payload (drops padding).
    const llcEnd = o + 14 + t < end ? o + 14 + t : end;
    decodeLlc(c, out, b, o + 14, llcEnd, wireEnd);
    return;
  }
  decodeEtherPayload(c, out, b, o + 14, end, wireEnd, t);
}

/** 802.2 LLC; SNAP with a zero OUI carries an ethertype and is followed like Ethernet II. */
export function decodeLlc(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number): void {
  push(c, out, Proto.Llc);
  if (o + 3 > end) {
    out.malformed = Malformed.LlcTruncated;
    return;
  }
  if (b[o] === 0xaa && b[o + 1] === 0xaa && b[o + 2] === 0x03) {
    if (o + 8 > end) {
      out.malformed = Malformed.LlcTruncated;
      return;
    }
    if (b[o + 3] === 0 && b[o + 4] === 0 && b[o + 5] === 0) {
      decodeEtherPayload(c, out, b, o + 8, end, wireEnd, (b[o + 6]! << 8) | b[o + 7]!);
    }
  }
}

/** Everything after an ethertype: VLAN/Q-in-Q tags, PPPoE, MPLS, then the network layer. */
export function decodeEtherPayload(
  c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number, type: number,
): void {
  for (;;) {
    out.etherType = type;
    switch (type) {
      case EtherType.Vlan:
      case EtherType.QinQ:
      case EtherType.QinQOld: {
        push(c, out, Proto.Vlan);
        if (out.vlanCount >= MAX_TAGS) {
          out.malformed = Malformed.TooManyLayers;
          return;
        }
        if (o + 4 > end) {
          out.malformed = Malformed.VlanTruncated;
          return;
        }
        const vid = ((b[o]! << 8) | b[o + 1]!) & 0xfff;
        out.vlanCount++;
        if (out.vlanCount === 1) out.vlanId = vid;
        else if (out.vlanCount === 2) out.vlanId2 = vid;
        type = (b[o + 2]! << 8) | b[o + 3]!;
        o += 4;
        if (type <= 1500) {
          out.etherType = -1;
          decodeLlc(c, out, b, o, o + type < end ? o + type : end, wireEnd);
          return;
        }
        continue;
      }
      case EtherType.IPv4:
        decodeIpv4(c, out, b, o, end, wireEnd);
        return;
      case EtherType.IPv6:
        decodeIpv6(c, out, b, o, end, wireEnd);
        return;
      case EtherType.Arp:
      case EtherType.Rarp:
        decodeArp(c, out, b, o, end, type === EtherType.Rarp ? Proto.Rarp : Proto.Arp);
        return;
      case EtherType.PppoeSession:
        decodePppoeSession(c, out, b, o, end, wireEnd);
        return;
      case EtherType.PppoeDiscovery:
        push(c, out, Proto.Pppoe);
        out.l3 = L3.Other;
        out.l3Off = o;
        if (o + 6 > end) out.malformed = Malformed.PppoeTruncated;
        return;
      case EtherType.MplsUnicast:
      case EtherType.MplsMulticast:
        decodeMpls(c, out, b, o, end, wireEnd);
        return;
      case EtherType.Lldp:
        push(c, out, Proto.Lldp);
        out.l3 = L3.Other;
        out.l3Off = o;
        return;
      default:
        push(c, out, Proto.OtherEther, type);
        out.l3 = L3.Other;
        out.l3Off = o;
        return;
    }
  }
}

function decodePppoeSession(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number): void {
  push(c, out, Proto.Pppoe);
  out.l3Off = o;
  if (o + 8 > end) {
    out.l3 = L3.Other;
    out.malformed = Malformed.PppoeTruncated;
    return;
  }
  // The PPPoE length covers the PPP protocol field and the payload; it trims Ethernet padding.
  const len = (b[o + 4]! << 8) | b[o + 5]!;
  const pppEnd = o + 6 + len < end ? o + 6 + len : end;
  const ppp = (b[o + 6]! << 8) | b[o + 7]!;
  if (ppp === 0x0021) decodeIpv4(c, out, b, o + 8, pppEnd, wireEnd);
  else if (ppp === 0x0057) decodeIpv6(c, out, b, o + 8, pppEnd, wireEnd);
  else out.l3 = L3.Other;
}

function decodeMpls(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number): void {
  push(c, out, Proto.Mpls);
  for (let n = 0; ; n++) {
    if (n >= MAX_LABELS) {
      out.malformed = Malformed.TooManyLayers;
      return;
    }
    if (o + 4 > end) {
      out.malformed = Malformed.MplsTruncated;
      return;
    }
    const bottom = b[o + 2]! & 1;
    o += 4;
    if (bottom) break;
  }
  // MPLS does not say what it carries; like tcpdump, guess IP from the version nibble.
  if (o >= end) {
    out.l3 = L3.Other;
    out.malformed = Malformed.MplsTruncated;
    return;
  }
  const v = b[o]! >> 4;
  if (v === 4) decodeIpv4(c, out, b, o, end, wireEnd);
  else if (v === 6) decodeIpv6(c, out, b, o, end, wireEnd);
  else out.l3 = L3.Other;
}

export function decodeArp(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, proto: Proto): void {
  push(c, out, proto);
  out.l3 = L3.Arp;
  out.l3Off = o;
  if (o + 8 > end) {
    out.malformed = Malformed.ArpTruncated;
    return;
  }
  out.arpOp = (b[o + 6]! << 8) | b[o + 7]!;
  const ptype = (b[o + 2]! << 8) | b[o + 3]!;
  const hlen = b[o + 4]!;
  const plen = b[o + 5]!;
  const need = o + 8 + 2 * hlen + 2 * plen;
  if (need > end) {
    out.malformed = Malformed.ArpTruncated;
    return;
  }
  if (ptype === EtherType.IPv4 && plen === 4) {
    const s = o + 8 + hlen;
    const t = s + 4 + hlen;
    out.arpSpa = ((b[s]! << 24) | (b[s + 1]! << 16) | (b[s + 2]! << 8) | b[s + 3]!) >>> 0;
    out.arpTpa = ((b[t]! << 24) | (b[t + 1]! << 16) | (b[t + 2]! << 8) | b[t + 3]!) >>> 0;
  }
}
