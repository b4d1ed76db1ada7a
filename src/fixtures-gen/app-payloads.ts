/** Application payloads for fixtures: DNS (via dns-packet), HTTP text, TLS ClientHello with SNI, a few others. */
import { createRequire } from 'node:module';
import { concat, put16, put32, utf8 } from './bytes.js';

// dns-packet ships no types; we type the two calls we use rather than declare the module
// globally (another folder may declare it too, and two ambient declarations would clash).
interface DnsAnswer {
  type: string;
  name: string;
  ttl?: number;
  class?: string;
  data: unknown;
}
interface DnsPacketLike {
  type: 'query' | 'response';
  id?: number;
  flags?: number;
  questions?: { type: string; name: string; class?: string }[];
  answers?: DnsAnswer[];
}
const dnsPacket = createRequire(import.meta.url)('dns-packet') as {
  encode(p: DnsPacketLike): Uint8Array;
  streamEncode(p: DnsPacketLike): Uint8Array;
  RECURSION_DESIRED: number;
  RECURSION_AVAILABLE: number;
  AUTHORITATIVE_ANSWER: number;
};

export interface DnsQueryOpts {
  id: number;
  name: string;
  /** 'A', 'AAAA', 'PTR', 'TXT', ... (default 'A'). */
  type?: string;
  recursionDesired?: boolean;
}

export function dnsQuery(o: DnsQueryOpts): Uint8Array {
  return u8(
    dnsPacket.encode({
      type: 'query',
      id: o.id,
      flags: o.recursionDesired === false ? 0 : dnsPacket.RECURSION_DESIRED,
      questions: [{ type: o.type ?? 'A', name: o.name }],
    }),
  );
}

export interface DnsResponseOpts extends DnsQueryOpts {
  /** Answer records; `data` as dns-packet expects it ('1.2.3.4' for A, a name for CNAME/PTR, ...). */
  answers: { type: string; data: unknown; ttl?: number; name?: string }[];
  authoritative?: boolean;
  /** Response code (0 NOERROR, 3 NXDOMAIN). */
  rcode?: number;
}

export function dnsResponse(o: DnsResponseOpts): Uint8Array {
  let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (o.rcode ?? 0);
  if (o.authoritative) flags |= dnsPacket.AUTHORITATIVE_ANSWER;
  if (o.recursionDesired === false) flags &= ~dnsPacket.RECURSION_DESIRED;
  return u8(
    dnsPacket.encode({
      type: 'response',
      id: o.id,
      flags,
      questions: [{ type: o.type ?? 'A', name: o.name }],
      answers: o.answers.map((a) => ({ type: a.type, name: a.name ?? o.name, ttl: a.ttl ?? 300, class: 'IN', data: a.data })),
    }),
  );
}

/** Prefix a DNS message with its 2-byte length, as DNS over TCP does. */
export function dnsOverTcp(msg: Uint8Array): Uint8Array {
  const b = new Uint8Array(2 + msg.length);
  put16(b, 0, msg.length);
  b.set(msg, 2);
  return b;
}

/** Header values may be raw bytes, so tests can carry control bytes and invalid UTF-8. */
export type HeaderValue = string | Uint8Array;

export interface HttpRequestOpts {
  method?: string;
  path?: string;
  host: HeaderValue;
  userAgent?: HeaderValue;
  headers?: [string, HeaderValue][];
  body?: Uint8Array | string;
}

export function httpRequest(o: HttpRequestOpts): Uint8Array {
  const hs: [string, HeaderValue][] = [['Host', o.host]];
  if (o.userAgent !== undefined) hs.push(['User-Agent', o.userAgent]);
  hs.push(...(o.headers ?? []));
  const body = typeof o.body === 'string' ? utf8(o.body) : o.body;
  if (body && body.length) hs.push(['Content-Length', String(body.length)]);
  return httpMessage(`${o.method ?? 'GET'} ${o.path ?? '/'} HTTP/1.1`, hs, body);
}

export interface HttpResponseOpts {
  status?: number;
  reason?: string;
  headers?: [string, HeaderValue][];
  body?: Uint8Array | string;
}

export function httpResponse(o: HttpResponseOpts): Uint8Array {
  const body = typeof o.body === 'string' ? utf8(o.body) : (o.body ?? new Uint8Array(0));
  const hs: [string, HeaderValue][] = [...(o.headers ?? []), ['Content-Length', String(body.length)]];
  return httpMessage(`HTTP/1.1 ${o.status ?? 200} ${o.reason ?? 'OK'}`, hs, body);
}

function httpMessage(start: string, headers: [string, HeaderValue][], body?: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [utf8(start + '\r\n')];
  for (const [k, v] of headers) parts.push(utf8(k + ': '), typeof v === 'string' ? utf8(v) : v, utf8('\r\n'));
  parts.push(utf8('\r\n'));
  if (body) parts.push(body);
  return concat(...parts);
}

export interface ClientHelloOpts {
  /** Server name; raw bytes allowed for hostile names. Omit for no SNI extension. */
  sni?: HeaderValue;
  /** 32 bytes (default zeros: pass rng.bytes(32) for realism). */
  random?: Uint8Array;
  sessionId?: Uint8Array;
  alpn?: string[];
}

/** A TLS 1.3-style ClientHello in one TLS record (content type 22, record version 0x0301). */
export function tlsClientHello(o: ClientHelloOpts): Uint8Array {
  const exts: Uint8Array[] = [];
  if (o.sni !== undefined) {
    const name = typeof o.sni === 'string' ? utf8(o.sni) : o.sni;
    const list = concat(Uint8Array.of(0), be16(name.length), name);
    exts.push(ext(0, concat(be16(list.length), list)));
  }
  exts.push(ext(10, concat(be16(6), be16(0x001d), be16(0x0017), be16(0x0018)))); // supported_groups
  exts.push(ext(11, Uint8Array.of(1, 0))); // ec_point_formats
  exts.push(ext(13, concat(be16(8), be16(0x0403), be16(0x0804), be16(0x0401), be16(0x0503)))); // signature_algorithms
  if (o.alpn?.length) {
    const protos = concat(...o.alpn.map((p) => concat(Uint8Array.of(p.length), utf8(p))));
    exts.push(ext(16, concat(be16(protos.length), protos)));
  }
  exts.push(ext(43, Uint8Array.of(4, 0x03, 0x04, 0x03, 0x03))); // supported_versions
  const extBytes = concat(...exts);
  const sid = o.sessionId ?? new Uint8Array(32);
  const suites = [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030];
  const body = concat(
    be16(0x0303),
    o.random ?? new Uint8Array(32),
    Uint8Array.of(sid.length),
    sid,
    be16(suites.length * 2),
    concat(...suites.map(be16)),
    Uint8Array.of(1, 0),
    be16(extBytes.length),
    extBytes,
  );
  return tlsRecord(22, 0x0301, handshake(1, body));
}

/** A minimal ServerHello (TLS 1.3 style, selected version 0x0304). */
export function tlsServerHello(o: { random?: Uint8Array; sessionId?: Uint8Array }): Uint8Array {
  const sid = o.sessionId ?? new Uint8Array(32);
  const exts = ext(43, be16(0x0304));
  const body = concat(
    be16(0x0303),
    o.random ?? new Uint8Array(32),
    Uint8Array.of(sid.length),
    sid,
    be16(0x1301),
    Uint8Array.of(0),
    be16(exts.length),
    exts,
  );
  return tlsRecord(22, 0x0303, handshake(2, body));
}

/** Application data record(s) wrapping `data` (opaque ciphertext in fixtures). */
export function tlsAppData(data: Uint8Array): Uint8Array {
  return tlsRecord(23, 0x0303, data);
}

export function tlsRecord(type: number, version: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(type), be16(version), be16(body.length), body);
}

function handshake(type: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(type, body.length >>> 16, (body.length >>> 8) & 255, body.length & 255), body);
}

function ext(type: number, data: Uint8Array): Uint8Array {
  return concat(be16(type), be16(data.length), data);
}

function be16(v: number): Uint8Array {
  return Uint8Array.of(v >>> 8, v & 255);
}

/** A 48-byte NTPv4 client (mode 3) or server (mode 4) packet. */
export function ntp(o: { mode: 3 | 4; txSec: number; stratum?: number }): Uint8Array {
  const b = new Uint8Array(48);
  b[0] = (0 << 6) | (4 << 3) | o.mode;
  b[1] = o.mode === 4 ? (o.stratum ?? 2) : 0;
  b[2] = 6;
  b[3] = 0xe9;
  // NTP era 0 seconds since 1900.
  put32(b, 40, (o.txSec + 2208988800) >>> 0);
  if (o.mode === 4) {
    put32(b, 32, (o.txSec + 2208988800) >>> 0);
    put32(b, 24, (o.txSec + 2208988800) >>> 0);
  }
  return b;
}

/** Buffer -> plain Uint8Array copy, so output never depends on Buffer pooling. */
function u8(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}
