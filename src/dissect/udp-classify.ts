import type { DecodedPacket } from '../decode/packet.js';
import { Proto } from '../decode/protocols.js';
import { looksLikeStrictDnsQuery } from './detect.js';
import { looksLikeDhcp } from './dhcp.js';
import { looksLikeNtp } from './ntp.js';
import { looksLikeQuic } from './quic.js';

/**
 * The application protocol a UDP packet carries as tshark's `frame.protocols`
 * shows it (Proto code), or 0. Each datagram stands alone: no state.
 */
export function classifyUdp(p: DecodedPacket): number {
  const sp = p.srcPort;
  const dp = p.dstPort;
  if (p.isLaterFragment) {
    // tshark dissects a fragmented datagram in its last fragment.
    return p.ipMf === 0 && (sp === 53 || dp === 53) && sp !== 5353 && dp !== 5353 ? Proto.Dns : 0;
  }
  if (p.ipMf !== 0) return 0;
  const b = p.buf;
  const o = p.payloadOff;
  const n = p.payloadLen;
  if (o < 0 || n <= 0) return 0;
  if (looksLikeDhcp(b, o, n)) return Proto.Dhcp;
  if (sp === 53 || dp === 53) return sp === 5353 || dp === 5353 || sp === 5355 || dp === 5355 ? 0 : Proto.Dns;
  // tshark hands these ports to its mdns and llmnr dissectors (DNS's format, other names).
  if (sp === 5353 || dp === 5353) return Proto.Mdns;
  if (sp === 5355 || dp === 5355) return Proto.Llmnr;
  if ((sp === 123 || dp === 123) && looksLikeNtp(b, o, n)) return Proto.Ntp;
  if (looksLikeQuic(b, o, n)) return Proto.Quic;
  // NetBIOS name service (137) has DNS's layout; tshark calls it nbns.
  if (sp !== 137 && dp !== 137 && looksLikeStrictDnsQuery(b, o, n)) return Proto.Dns;
  return 0;
}
