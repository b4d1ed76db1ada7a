/**
 * Plain data produced by the application dissectors. Dissectors allocate these
 * objects; they run on demand (a selected packet, a filter that names an
 * application field) or on the first packets of a flow, never on every packet
 * of a flow that is already classified.
 */

export interface DnsQuestion {
  name: string;
  /** Type name (A, AAAA, ...) or TYPE<n>. */
  type: string;
  typeCode: number;
  classCode: number;
  /** Offset of the name in the packet buffer (for the field tree). */
  off: number;
  len: number;
}

export interface DnsRecord extends DnsQuestion {
  ttl: number;
  /** Record data as text (an address, a name, TXT strings, or hex). */
  data: string;
}

export interface DnsInfo {
  proto: 'dns';
  id: number;
  flags: number;
  isResponse: boolean;
  opcode: number;
  rcode: number;
  rcodeName: string;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  /** Set when the message could not be decoded completely. */
  error?: string;
  /** DNS over TCP: the 2-byte length prefix was present. */
  overTcp: boolean;
}

export interface HttpInfo {
  proto: 'http';
  kind: 'request' | 'response';
  method?: string;
  uri?: string;
  version: string;
  status?: number;
  reason?: string;
  host?: string;
  userAgent?: string;
  contentType?: string;
  /** Content-Length as a number, or undefined if absent or unparsable. */
  contentLength?: number;
  chunked: boolean;
  headers: { name: string; value: string; off: number; len: number }[];
  /** Bytes of the header block including the blank line (0 if incomplete). */
  headerLen: number;
  /** The header block ended within the bytes given. */
  complete: boolean;
  /** Set by httpMessages: the whole body (Content-Length or chunked) is within the stream bytes. */
  bodyComplete?: boolean;
  error?: string;
}

export interface TlsClientHello {
  legacyVersion: number;
  /** supported_versions list (GREASE kept; filter with isGrease). */
  versions: number[];
  ciphers: number[];
  extensions: number[];
  sni?: string;
  alpn: string[];
  groups: number[];
  ecPointFormats: number[];
  sigAlgs: number[];
  ja3: string;
  ja3Hash: string;
  ja4: string;
}

export interface TlsServerHello {
  legacyVersion: number;
  /** Negotiated version: supported_versions if present, else legacy version. */
  version: number;
  cipher: number;
  extensions: number[];
  alpn?: string;
}

export interface TlsAlert {
  level: number;
  description: number;
  name: string;
}

export interface TlsInfo {
  proto: 'tls';
  /** Content types of the records seen, in order. */
  recordTypes: number[];
  recordVersion: number;
  handshakeTypes: number[];
  clientHello?: TlsClientHello;
  serverHello?: TlsServerHello;
  alerts: TlsAlert[];
  /** Bytes consumed by complete records. */
  consumed: number;
  error?: string;
}

export interface SshInfo {
  proto: 'ssh';
  banner: string;
  protoVersion: string;
  software: string;
  comments: string;
}

export interface DhcpInfo {
  proto: 'dhcp';
  op: number;
  xid: number;
  msgType: number;
  msgTypeName: string;
  clientMac: string;
  ciaddr: string;
  yiaddr: string;
  hostname?: string;
  requestedIp?: string;
  serverId?: string;
  options: number[];
  error?: string;
}

export interface NtpInfo {
  proto: 'ntp';
  version: number;
  mode: number;
  modeName: string;
  stratum: number;
  leap: number;
}

export interface QuicInfo {
  proto: 'quic';
  longHeader: boolean;
  version: number;
  versionName: string;
  packetType: string;
  dcid: string;
  scid: string;
}

export interface IcmpInfo {
  proto: 'icmp' | 'icmpv6';
  type: number;
  code: number;
  name: string;
}

export type AppInfo = DnsInfo | HttpInfo | TlsInfo | SshInfo | DhcpInfo | NtpInfo | QuicInfo | IcmpInfo;
