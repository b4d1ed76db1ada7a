import dnsPacket, { type DnsPacketAnswer } from 'dns-packet';
import type { DnsInfo, DnsQuestion, DnsRecord } from './types.js';
import { escapeWire } from '../util/escape.js';

/**
 * DNS (UDP, or TCP with its 2-byte length prefix) on top of dns-packet's
 * codecs. dns-packet already refuses compression pointers that do not point
 * strictly backwards (so a pointer loop cannot spin) and names over 254 bytes;
 * on top of that every section is decoded record by record inside try/catch,
 * so a bad record keeps what came before it, and at most MAX_RECORDS records
 * are decoded whatever the header counts claim.
 */
export const MAX_RECORDS = 256;

const TYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 13: 'HINFO', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  35: 'NAPTR', 39: 'DNAME', 41: 'OPT', 43: 'DS', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 50: 'NSEC3', 52: 'TLSA',
  64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 255: 'ANY', 257: 'CAA',
};

export const RCODE_NAMES: readonly string[] = [
  'No error', 'Format error', 'Server failure', 'No such name', 'Not implemented', 'Refused',
  'Name exists', 'RRset exists', 'RRset does not exist', 'Not authoritative', 'Name out of zone',
];

export function dnsTypeName(t: number): string {
  return TYPE_NAMES[t] ?? `Unknown (${t})`;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Cheap shape test used by detection: a plausible header and a first name that parses. */
export function looksLikeDns(b: Uint8Array, off: number, len: number, overTcp: boolean): boolean {
  if (overTcp) {
    if (len < 14) return false;
    const l = u16(b, off);
    if (l < 12) return false;
    off += 2;
    len -= 2;
  }
  if (len < 12) return false;
  const flags = u16(b, off + 2);
  const opcode = (flags >> 11) & 0xf;
  if (opcode > 6 || opcode === 3) return false;
  const qd = u16(b, off + 4);
  const an = u16(b, off + 6);
  const ns = u16(b, off + 8);
  const ar = u16(b, off + 10);
  if (qd > 16 || an > 512 || ns > 512 || ar > 512) return false;
  if (qd === 0 && an === 0) return false;
  if (qd === 0) return true;
  // Walk the first name's labels (no pointers can appear in the first name).
  let o = off + 12;
  const end = off + len;
  for (let n = 0; n < 128; n++) {
    if (o >= end) return false;
    const l = b[o]!;
    if (l === 0) return o + 5 <= end;
    if ((l & 0xc0) !== 0) return (l & 0xc0) === 0xc0 && o + 6 <= end;
    o += 1 + l;
  }
  return false;
}

/**
 * The name at buf[at] as wire bytes, one character per byte (how the other dissectors keep strings),
 * when it has a byte above 0x7f; otherwise null and dns-packet's text stands. dns-packet decodes
 * labels as UTF-8 and turns invalid bytes into U+FFFD, so a display could no longer show them as
 * the escapes they are. Compression pointers are followed (at most 128 hops).
 */
function rawName(buf: Uint8Array, at: number): string | null {
  let o = at;
  let out = '';
  let high = false;
  for (let hops = 0; hops < 128 && o < buf.length; ) {
    const l = buf[o]!;
    if (l === 0) return high ? out : null;
    if ((l & 0xc0) === 0xc0) {
      if (o + 1 >= buf.length) return null;
      o = ((l & 0x3f) << 8) | buf[o + 1]!;
      hops++;
      continue;
    }
    if (l > 63 || o + 1 + l > buf.length) return null;
    if (out !== '') out += '.';
    for (let i = o + 1; i <= o + l; i++) {
      const c = buf[i]!;
      if (c > 0x7f) high = true;
      out += String.fromCharCode(c);
    }
    o += 1 + l;
  }
  return null;
}

/** The name of the question or record at buf[at]: dns-packet's, or the bytes when they are not ASCII. */
function nameAt(buf: Uint8Array, at: number, decoded: string): string {
  return rawName(buf, at) ?? decoded;
}

function recordData(a: DnsPacketAnswer): string {
  const d = a.data;
  if (d === undefined || d === null) return '';
  if (typeof d === 'string') return d;
  if (typeof d === 'number') return String(d);
  if (Buffer.isBuffer(d)) return d.toString('hex');
  if (Array.isArray(d)) return d.map((x) => (Buffer.isBuffer(x) ? x.toString('latin1') : String(x))).join(' ');
  if (typeof d === 'object') {
    const o = d as Record<string, unknown>;
    if (a.type === 'MX') return `${o.preference} ${o.exchange}`;
    if (a.type === 'SRV') return `${o.priority} ${o.weight} ${o.port} ${o.target}`;
    if (a.type === 'SOA') return `${o.mname} ${o.rname} ${o.serial}`;
    return Object.entries(o)
      .filter(([, v]) => typeof v !== 'object' || Buffer.isBuffer(v))
      .map(([k, v]) => `${k}=${Buffer.isBuffer(v) ? v.toString('hex') : String(v)}`)
      .join(' ');
  }
  return '';
}

/**
 * Dissect one DNS message at b[off .. off+len). With `overTcp`, the message
 * starts with its 2-byte length. Returns null if there is no 12-byte header.
 * Never throws.
 */
export function dissectDns(b: Uint8Array, off: number, len: number, overTcp = false): DnsInfo | null {
  if (off < 0 || len <= 0 || off + len > b.length) return null;
  let msgOff = off;
  let msgLen = len;
  if (overTcp) {
    if (len < 2) return null;
    const l = u16(b, off);
    msgOff = off + 2;
    msgLen = Math.min(l, len - 2);
  }
  if (msgLen < 12) return null;
  const buf = Buffer.from(b.buffer, b.byteOffset + msgOff, msgLen);
  const flags = u16(buf, 2);
  const rcode = flags & 0xf;
  const info: DnsInfo = {
    proto: 'dns',
    id: u16(buf, 0),
    flags,
    isResponse: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    rcode,
    rcodeName: RCODE_NAMES[rcode] ?? `Unknown (${rcode})`,
    qdcount: u16(buf, 4),
    ancount: u16(buf, 6),
    nscount: u16(buf, 8),
    arcount: u16(buf, 10),
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
    overTcp,
  };
  let o = 12;
  let budget = MAX_RECORDS;
  try {
    for (let i = 0; i < info.qdcount && budget > 0; i++, budget--) {
      const start = o;
      const q = dnsPacket.question.decode(buf, o);
      o += dnsPacket.question.decode.bytes;
      if (o > msgLen) throw new Error('question truncated');
      const typeCode = u16(buf, o - 4);
      info.questions.push(question(nameAt(buf, start, q.name), typeCode, u16(buf, o - 2), msgOff + start, o - start));
    }
    const sections: [number, DnsRecord[]][] = [
      [info.ancount, info.answers],
      [info.nscount, info.authorities],
      [info.arcount, info.additionals],
    ];
    for (const [count, list] of sections) {
      for (let i = 0; i < count && budget > 0; i++, budget--) {
        const start = o;
        const a = dnsPacket.answer.decode(buf, o);
        o += dnsPacket.answer.decode.bytes;
        if (o > msgLen) throw new Error('record truncated');
        const nameLen = dnsPacket.name.decode(buf, start) !== undefined ? dnsPacket.name.decode.bytes : 0;
        const typeCode = u16(buf, start + nameLen);
        const rec: DnsRecord = {
          ...question(nameAt(buf, start, a.name), typeCode, u16(buf, start + nameLen + 2), msgOff + start, o - start),
          ttl: typeCode === 41 ? 0 : (((buf[start + nameLen + 4]! << 24) >>> 0) + (buf[start + nameLen + 5]! << 16) + (buf[start + nameLen + 6]! << 8) + buf[start + nameLen + 7]!),
          // CNAME, NS, PTR: the target name is the record data (rdata starts after type, class, TTL, length).
          data: typeCode === 41 ? `udp payload size ${a.udpPayloadSize ?? 0}`
            : typeCode === 5 || typeCode === 2 || typeCode === 12 ? nameAt(buf, start + nameLen + 10, recordData(a)) : recordData(a),
        };
        list.push(rec);
      }
    }
    if (budget === 0) info.error = `more than ${MAX_RECORDS} records`;
  } catch (e) {
    info.error = e instanceof Error ? e.message : 'malformed';
  }
  return info;
}

/**
 * `dissectDns(b, off, len, overTcp)?.questions[0]?.name` without dissecting the rest: the per-flow
 * detail of a classified DNS flow. Plain names (ASCII labels, no compression) are read here; any
 * other message goes through dissectDns.
 */
export function dnsFirstName(b: Uint8Array, off: number, len: number, overTcp: boolean): string | undefined {
  if (off < 0 || len <= 0 || off + len > b.length) return undefined;
  let m = off;
  let n = len;
  if (overTcp) {
    if (len < 2) return undefined;
    m = off + 2;
    n = Math.min(u16(b, off), len - 2);
  }
  if (n < 12 || u16(b, m + 4) === 0) return undefined;
  const end = m + n;
  let o = m + 12;
  let name = '';
  for (;;) {
    if (o >= end) return undefined; // dissectDns: name overflows the message, no question
    const l = b[o++]!;
    if (l === 0) break;
    if (l > 63 || o + l > end || name.length + l + 2 > 254) return dissectDns(b, off, len, overTcp)?.questions[0]?.name;
    if (name !== '') name += '.';
    for (let k = o; k < o + l; k++) {
      const c = b[k]!;
      if (c >= 0x80) return dissectDns(b, off, len, overTcp)?.questions[0]?.name;
      name += String.fromCharCode(c);
    }
    o += l;
  }
  if (o + 4 > end) return undefined; // the question's type and class are cut off
  return name === '' ? '<Root>' : name;
}

function question(name: string, typeCode: number, classCode: number, off: number, len: number): DnsQuestion {
  return { name: name === '.' ? '<Root>' : name, type: dnsTypeName(typeCode), typeCode, classCode, off, len };
}

const OPCODE_TEXT: Record<number, string> = { 0: 'Standard query', 1: 'Inverse query', 2: 'Server status request', 4: 'Zone change notification', 5: 'Dynamic update' };

/** tshark-style Info: `Standard query 0x1234 A example.com`, `Standard query response 0x1234 No such name A x`. */
export function dnsInfoLine(d: DnsInfo): string {
  let s = `${OPCODE_TEXT[d.opcode] ?? `Unknown operation (${d.opcode})`}${d.isResponse ? ' response' : ''} 0x${d.id.toString(16).padStart(4, '0')}`;
  if (d.isResponse && d.rcode !== 0) s += ` ${d.rcodeName}`;
  for (const q of d.questions) s += ` ${q.type} ${q.name}`;
  for (const a of d.answers) s += ` ${a.type} ${a.data}`;
  for (const a of d.authorities) s += ` ${a.type} ${a.data.split(' ')[0]}`;
  for (const a of d.additionals) s += a.typeCode === 41 ? ' OPT' : ` ${a.type} ${a.data}`;
  if (d.error) s += ' [Malformed]';
  return escapeWire(s);
}

/** Every DNS message in one reassembled direction of a DNS-over-TCP stream (2-byte length prefixes). */
export function dnsTcpMessages(b: Uint8Array, max = 1000): DnsInfo[] {
  const out: DnsInfo[] = [];
  let o = 0;
  while (o + 2 <= b.length && out.length < max) {
    const l = u16(b, o);
    if (l < 12 || o + 2 + l > b.length) break;
    const d = dissectDns(b, o, 2 + l, true);
    if (!d) break;
    out.push(d);
    o += 2 + l;
  }
  return out;
}
