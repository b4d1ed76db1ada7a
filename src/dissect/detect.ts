import type { DecodedPacket } from '../decode/packet.js';
import { Proto } from '../decode/protocols.js';
import { looksLikeDns } from './dns.js';
import { looksLikeDhcp } from './dhcp.js';
import { looksLikeHttp } from './http.js';
import { looksLikeNtp } from './ntp.js';
import { looksLikeQuic } from './quic.js';
import { looksLikeSsh } from './ssh.js';
import { looksLikeTls } from './tls.js';

/** DNS, mDNS, LLMNR (compared directly: a Set lookup per probe showed in profiles). */
function isDnsPort(p: DecodedPacket): boolean {
  const s = p.srcPort;
  const d = p.dstPort;
  return s === 53 || d === 53 || s === 5353 || d === 5353 || s === 5355 || d === 5355;
}

/** Which name a DNS message on UDP goes by, from its ports: dns (53 wins), mdns (5353) or llmnr (5355). */
export function dnsFamily(sp: number, dp: number): number {
  if (sp === 53 || dp === 53) return Proto.Dns;
  return sp === 5353 || dp === 5353 ? Proto.Mdns : dp === 5355 || sp === 5355 ? Proto.Llmnr : Proto.Dns;
}

/**
 * The application protocol of one packet, from its payload first (TLS on 8443,
 * HTTP on 8080 are found by their bytes) and ports only where the payload
 * alone is ambiguous (DNS, NTP). Returns a Proto code, or 0. Allocates nothing,
 * so the engine observer can call it on a flow's first packets.
 */
export function detectApp(p: DecodedPacket): number {
  const b = p.buf;
  const o = p.payloadOff;
  const n = p.payloadLen;
  if (o < 0 || n <= 0 || p.isLaterFragment) return 0;
  if (p.ipProto === 6) {
    if (looksLikeTls(b, o, n)) return Proto.Tls;
    if (looksLikeHttp(b, o, n)) return Proto.Http;
    if (looksLikeSsh(b, o, n)) return Proto.Ssh;
    if (isDnsPort(p) && looksLikeDns(b, o, n, true)) return Proto.Dns;
    return 0;
  }
  if (p.ipProto === 17) {
    if (looksLikeDhcp(b, o, n)) return Proto.Dhcp;
    if (isDnsPort(p)) return looksLikeDns(b, o, n, false) ? dnsFamily(p.srcPort, p.dstPort) : 0;
    if ((p.srcPort === 123 || p.dstPort === 123) && looksLikeNtp(b, o, n)) return Proto.Ntp;
    if (looksLikeQuic(b, o, n)) return Proto.Quic;
    // NetBIOS name service (137) has DNS's layout; it is not DNS.
    if (p.srcPort !== 137 && p.dstPort !== 137 && looksLikeStrictDnsQuery(b, o, n)) return Proto.Dns;
    if (looksLikeHttp(b, o, n)) return 0; // SSDP and friends: HTTP-like over UDP is not HTTP
    return 0;
  }
  return 0;
}

/**
 * DNS on an unusual UDP port: accept only a standard query with one question
 * whose name ends exactly where the question's type and class end the packet
 * (or an OPT record follows), which random payloads almost never do.
 */
export function looksLikeStrictDnsQuery(b: Uint8Array, off: number, len: number): boolean {
  if (len < 17 || !looksLikeDns(b, off, len, false)) return false;
  const flags = (b[off + 2]! << 8) | b[off + 3]!;
  if (flags & 0x8000 || (flags >> 11) & 0xf || (flags & 0x0040) !== 0) return false;
  if (b[off + 4] !== 0 || b[off + 5] !== 1 || b[off + 6] !== 0 || b[off + 7] !== 0 || b[off + 8] !== 0 || b[off + 9] !== 0) return false;
  if (b[off + 10] !== 0 || b[off + 11]! > 1) return false;
  let o = off + 12;
  const end = off + len;
  for (let i = 0; i < 128 && o < end; i++) {
    const l = b[o]!;
    if (l === 0) break;
    if (l > 63) return false;
    for (let k = 1; k <= l; k++) {
      const c = b[o + k];
      if (c === undefined || c < 0x21 || c > 0x7e) return false;
    }
    o += 1 + l;
  }
  if (o >= end || b[o] !== 0) return false;
  const qEnd = o + 5;
  return b[off + 11] === 0 ? qEnd === end : qEnd + 11 <= end;
}
