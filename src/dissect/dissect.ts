import type { DecodedPacket } from '../decode/packet.js';
import { Proto } from '../decode/protocols.js';
import { detectApp } from './detect.js';
import { dissectDhcp, dhcpInfoLine } from './dhcp.js';
import { dissectDns, dnsInfoLine } from './dns.js';
import { dissectHttp, httpInfoLine } from './http.js';
import { dissectIcmp } from './icmp.js';
import { dissectNtp, ntpInfoLine } from './ntp.js';
import { dissectQuic, quicInfoLine } from './quic.js';
import { dissectSsh, sshInfoLine } from './ssh.js';
import { dissectTls, tlsInfoLine } from './tls.js';
import type { AppInfo } from './types.js';

/**
 * Dissect one packet's application layer. `hint` is the flow's protocol when
 * the flow is already classified (a continuation segment of a TLS flow is not
 * recognisable on its own); without it the payload is tested. On demand only:
 * this allocates the result objects. Never throws.
 */
export function dissectPacket(p: DecodedPacket, hint = 0): AppInfo | null {
  try {
    if (p.icmpType >= 0 && (p.ipProto === 1 || p.ipProto === 58)) return dissectIcmp(p.icmpType, p.icmpCode, p.ipProto === 58);
    const proto = detectApp(p) || hint;
    return dissectAs(p, proto);
  } catch {
    return null;
  }
}

/** Dissect the payload as a given protocol (Proto code). */
export function dissectAs(p: DecodedPacket, proto: number): AppInfo | null {
  const b = p.buf;
  const o = p.payloadOff;
  const n = p.payloadLen;
  if (o < 0 || n <= 0) return null;
  switch (proto) {
    case Proto.Dns:
      return dissectDns(b, o, n, p.ipProto === 6);
    case Proto.Mdns:
    case Proto.Llmnr:
      return dissectDns(b, o, n, false);
    case Proto.Http:
      return dissectHttp(b, o, n);
    case Proto.Tls:
      return dissectTls(b, o, n);
    case Proto.Ssh:
      return dissectSsh(b, o, n);
    case Proto.Dhcp:
      return dissectDhcp(b, o, n);
    case Proto.Ntp:
      return dissectNtp(b, o, n);
    case Proto.Quic:
      return dissectQuic(b, o, n);
    default:
      return null;
  }
}

/** The Info column text for an application result (tshark's wording where it has one). */
export function appInfoLine(a: AppInfo): string {
  switch (a.proto) {
    case 'dns':
      return dnsInfoLine(a);
    case 'http':
      return httpInfoLine(a);
    case 'tls':
      return tlsInfoLine(a);
    case 'ssh':
      return sshInfoLine(a);
    case 'dhcp':
      return dhcpInfoLine(a);
    case 'ntp':
      return ntpInfoLine(a);
    case 'quic':
      return quicInfoLine(a);
    case 'icmp':
    case 'icmpv6':
      return a.name;
  }
}
