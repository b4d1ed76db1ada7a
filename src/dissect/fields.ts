import type { DecodedPacket } from '../decode/packet.js';
import { dissectPacket } from './dissect.js';
import { dissectHttp } from './http.js';
import { storedHttpHead } from './packet-classifier.js';
import type { AppInfo } from './types.js';

export type AppFieldType = 'string' | 'uint' | 'bool' | 'ipv4';
export type AppFieldValue = string | number | boolean;

export interface AppField {
  /** Wireshark's field name. */
  readonly name: string;
  readonly type: AppFieldType;
  /** Protocol name (dns, http, tls, ssh, dhcp, ntp, quic). */
  readonly proto: string;
  readonly description: string;
  /** The packet's occurrences of the field (empty when absent). Dissects on demand (cached per packet). */
  get(p: DecodedPacket): AppFieldValue[];
}

let lastBuf: Uint8Array | null = null;
let lastOff = -1;
let lastLen = -1;
let lastSec = -1;
let lastNsec = -1;
let lastInfo: AppInfo | null = null;

/**
 * Dissect with a one-packet cache: a filter naming several application fields
 * dissects the packet once. The key is the frame's position, length and time.
 */
export function appInfoOf(p: DecodedPacket): AppInfo | null {
  if (p.buf === lastBuf && p.frameOff === lastOff && p.capLen === lastLen && p.tsSec === lastSec && p.tsNsec === lastNsec) return lastInfo;
  // A message whose body ended here: its head (kept by the packet classifier) has the fields.
  const head = storedHttpHead(p);
  lastInfo = head !== null ? dissectHttp(head, 0, head.length) : dissectPacket(p);
  lastBuf = p.buf;
  lastOff = p.frameOff;
  lastLen = p.capLen;
  lastSec = p.tsSec;
  lastNsec = p.tsNsec;
  return lastInfo;
}

function ip4Num(s: string): number {
  const m = s.split('.');
  return ((Number(m[0]) << 24) >>> 0) + (Number(m[1]) << 16) + (Number(m[2]) << 8) + Number(m[3]);
}

type Getter = (a: AppInfo) => AppFieldValue[] | undefined;

function field(name: string, type: AppFieldType, proto: string, description: string, g: Getter): AppField {
  return {
    name, type, proto, description,
    get(p: DecodedPacket): AppFieldValue[] {
      const a = appInfoOf(p);
      if (!a || a.proto !== proto) return [];
      return g(a) ?? [];
    },
  };
}

const one = <T extends AppFieldValue>(v: T | undefined): T[] => (v === undefined ? [] : [v]);

/** Application fields with Wireshark's names, for the filter registry. */
export const APP_FIELDS: readonly AppField[] = [
  field('dns.id', 'uint', 'dns', 'DNS transaction ID', (a) => (a.proto === 'dns' ? [a.id] : undefined)),
  field('dns.qry.name', 'string', 'dns', 'DNS query name', (a) => (a.proto === 'dns' ? a.questions.map((q) => q.name) : undefined)),
  field('dns.qry.type', 'uint', 'dns', 'DNS query type', (a) => (a.proto === 'dns' ? a.questions.map((q) => q.typeCode) : undefined)),
  field('dns.flags.response', 'bool', 'dns', 'DNS message is a response', (a) => (a.proto === 'dns' ? [a.isResponse] : undefined)),
  field('dns.flags.rcode', 'uint', 'dns', 'DNS reply code', (a) => (a.proto === 'dns' ? [a.rcode] : undefined)),
  field('dns.a', 'ipv4', 'dns', 'DNS A record address', (a) =>
    a.proto === 'dns' ? [...a.answers, ...a.authorities, ...a.additionals].filter((r) => r.typeCode === 1 && /^\d+\.\d+\.\d+\.\d+$/.test(r.data)).map((r) => ip4Num(r.data)) : undefined),
  field('dns.resp.name', 'string', 'dns', 'DNS answer name', (a) => (a.proto === 'dns' ? a.answers.map((r) => r.name) : undefined)),
  field('http.request.method', 'string', 'http', 'HTTP request method', (a) => (a.proto === 'http' ? one(a.method) : undefined)),
  field('http.request.uri', 'string', 'http', 'HTTP request URI', (a) => (a.proto === 'http' ? one(a.uri) : undefined)),
  field('http.host', 'string', 'http', 'HTTP Host header', (a) => (a.proto === 'http' ? one(a.host) : undefined)),
  field('http.user_agent', 'string', 'http', 'HTTP User-Agent header', (a) => (a.proto === 'http' ? one(a.userAgent) : undefined)),
  field('http.response.code', 'uint', 'http', 'HTTP status code', (a) => (a.proto === 'http' ? one(a.status) : undefined)),
  field('http.content_type', 'string', 'http', 'HTTP Content-Type header', (a) => (a.proto === 'http' ? one(a.contentType) : undefined)),
  field('http.content_length', 'uint', 'http', 'HTTP Content-Length', (a) => (a.proto === 'http' ? one(a.contentLength) : undefined)),
  field('tls.handshake.type', 'uint', 'tls', 'TLS handshake message type', (a) => (a.proto === 'tls' ? a.handshakeTypes.filter((t) => t >= 0) : undefined)),
  field('tls.handshake.extensions_server_name', 'string', 'tls', 'TLS SNI', (a) => (a.proto === 'tls' ? one(a.clientHello?.sni) : undefined)),
  field('tls.handshake.ja3', 'string', 'tls', 'JA3 fingerprint (md5)', (a) => (a.proto === 'tls' ? one(a.clientHello?.ja3Hash) : undefined)),
  field('tls.handshake.ja3_full', 'string', 'tls', 'JA3 fingerprint text', (a) => (a.proto === 'tls' ? one(a.clientHello?.ja3) : undefined)),
  field('tls.handshake.ja4', 'string', 'tls', 'JA4 fingerprint', (a) => (a.proto === 'tls' ? one(a.clientHello?.ja4) : undefined)),
  field('tls.alert_message.desc', 'uint', 'tls', 'TLS alert description', (a) => (a.proto === 'tls' ? a.alerts.map((x) => x.description) : undefined)),
  field('ssh.protocol', 'string', 'ssh', 'SSH identification string', (a) => (a.proto === 'ssh' ? [a.banner] : undefined)),
  field('dhcp.option.hostname', 'string', 'dhcp', 'DHCP host name (option 12)', (a) => (a.proto === 'dhcp' ? one(a.hostname) : undefined)),
  field('dhcp.option.dhcp', 'uint', 'dhcp', 'DHCP message type (option 53)', (a) => (a.proto === 'dhcp' && a.msgType ? [a.msgType] : undefined)),
  field('ntp.stratum', 'uint', 'ntp', 'NTP stratum', (a) => (a.proto === 'ntp' ? [a.stratum] : undefined)),
  field('quic.version', 'uint', 'quic', 'QUIC version (long header)', (a) => (a.proto === 'quic' && a.longHeader ? [a.version] : undefined)),
];
