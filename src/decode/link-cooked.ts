import { DecodedPacket, L3, Malformed } from './packet.js';
import { Proto } from './protocols.js';
import type { DecodeCtx } from './ctx.js';
import { push } from './ctx.js';
import { EtherType, decodeEtherPayload, decodeLlc } from './ethernet.js';
import { decodeIpv4, decodeIpv6 } from './network.js';

/*
 * Link types without an Ethernet header: Linux cooked capture (SLL, SLL2),
 * BSD loopback (NULL, LOOP) and raw IP. Each maps its own protocol field to
 * an ethertype or straight to IPv4/IPv6.
 */

/** ARPHRD types whose SLL protocol field is not an ethertype. */
const ARPHRD_IEEE80211_RADIOTAP = 803;
const ARPHRD_NETLINK = 824;
/** Linux pseudo-protocols in the SLL protocol field. */
const LINUX_P_802_3 = 0x0001;
const LINUX_P_802_2 = 0x0004;

/** Linux cooked capture v1 (16-byte header) and v2 (20-byte header). */
export function decodeSll(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number, v2: boolean): void {
  push(c, out, v2 ? Proto.Sll2 : Proto.Sll);
  const hl = v2 ? 20 : 16;
  if (o + hl > end) {
    out.malformed = Malformed.SllTruncated;
    return;
  }
  const hatype = v2 ? (b[o + 8]! << 8) | b[o + 9]! : (b[o + 2]! << 8) | b[o + 3]!;
  const proto = v2 ? (b[o]! << 8) | b[o + 1]! : (b[o + 14]! << 8) | b[o + 15]!;
  o += hl;
  if (hatype === ARPHRD_NETLINK || hatype === ARPHRD_IEEE80211_RADIOTAP) {
    // Not an ethertype: count it under the raw value so it is visible, without decoding.
    push(c, out, Proto.OtherEther, proto);
    out.l3 = L3.Other;
    return;
  }
  if (proto === LINUX_P_802_2 || proto === LINUX_P_802_3) {
    // 802.3 "raw" (Novell) frames have no LLC header; count both as LLC.
    if (proto === LINUX_P_802_2) decodeLlc(c, out, b, o, end, wireEnd);
    else push(c, out, Proto.Llc);
    return;
  }
  decodeEtherPayload(c, out, b, o, end, wireEnd, proto);
}

/** BSD loopback: a 4-byte address family, host byte order for NULL, network order for LOOP. */
export function decodeNull(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number): void {
  push(c, out, Proto.Null);
  if (o + 4 > end) {
    out.malformed = Malformed.NullTruncated;
    return;
  }
  // Families are small numbers, so the zero half tells the byte order of the writer.
  const fam = b[o] === 0 && b[o + 1] === 0 ? (b[o + 2]! << 8) | b[o + 3]! : b[o]! | (b[o + 1]! << 8);
  o += 4;
  if (fam === 2) {
    out.etherType = EtherType.IPv4;
    decodeIpv4(c, out, b, o, end, wireEnd);
  } else if (fam === 10 || fam === 24 || fam === 28 || fam === 30) {
    out.etherType = EtherType.IPv6;
    decodeIpv6(c, out, b, o, end, wireEnd);
  }
}

/** Raw IP: `only` is 4 or 6 for LINKTYPE_IPV4/IPV6, 0 to pick by the version nibble. */
export function decodeRaw(c: DecodeCtx, out: DecodedPacket, b: Uint8Array, o: number, end: number, wireEnd: number, only: number): void {
  push(c, out, Proto.Raw);
  if (only === 4) {
    out.etherType = EtherType.IPv4;
    decodeIpv4(c, out, b, o, end, wireEnd);
    return;
  }
  if (only === 6) {
    out.etherType = EtherType.IPv6;
    decodeIpv6(c, out, b, o, end, wireEnd);
    return;
  }
  if (o >= end) {
    out.malformed = Malformed.LinkTruncated;
    return;
  }
  const v = b[o]! >> 4;
  if (v === 4) {
    out.etherType = EtherType.IPv4;
    decodeIpv4(c, out, b, o, end, wireEnd);
  } else if (v === 6) {
    out.etherType = EtherType.IPv6;
    decodeIpv6(c, out, b, o, end, wireEnd);
  } else {
    out.malformed = Malformed.RawBadVersion;
  }
}
