import { L3 } from '../decode/packet.js';
import { Cursor, lit, tokText, type Node } from './cursor.js';
import { FilterError } from './errors.js';
import type { Lit, Pred } from './field-test.js';
import { T, type Token } from './lexer.js';
import * as pc from './pcap.js';
import { parseInteger, parseIp4 } from './values.js';

/** Words that start a pcap-filter primitive on their own. */
export const PCAP_LEAD = new Set(['src', 'dst', 'host', 'net', 'port', 'portrange', 'less', 'greater', 'proto', 'vlan', 'ether', 'ip6', 'rarp', 'broadcast', 'multicast', 'icmp6', 'gateway']);
/** Words after a protocol qualifier that make it a pcap-filter primitive. */
export const PCAP_AFTER_PROTO = new Set(['src', 'dst', 'host', 'net', 'port', 'portrange', 'proto', 'broadcast', 'multicast']);
/** Protocol names that are valid both as Wireshark protocol tests and pcap-filter primitives. */
export const DUAL = new Set(['ip', 'arp', 'tcp', 'udp', 'sctp', 'icmp', 'igmp']);
export const PCAP_KEYWORDS = [...PCAP_LEAD, 'mask', 'ip', 'arp', 'tcp', 'udp', 'sctp', 'icmp', 'igmp'];

export interface Qual {
  proto: string | null;
  dir: pc.Dir | null;
  type: 'host' | 'net' | 'port' | 'portrange';
}

/** Parse state libpcap carries left to right: how many `vlan`s so far, and the qualifiers a bare value repeats. */
export interface PcapState {
  vlanK: number;
  lastQual: Qual | null;
}

/** True when a primitive starts here (and not a Wireshark protocol test). */
export function startsPrimitive(cur: Cursor): boolean {
  const w = cur.peek().text;
  return PCAP_LEAD.has(w) || (pc.PCAP_PROTO_QUALS.has(w) && cur.peek(1).t === T.Word && PCAP_AFTER_PROTO.has(cur.peek(1).text));
}

export function looksLikeValue(s: string): boolean {
  return /^[0-9]/.test(s) || /^[0-9a-fA-F]*:[0-9a-fA-F:.\/]*$/.test(s);
}

/** A pcap-filter primitive starting at the cursor (a qualifier word or a leading keyword). */
export function parsePrimitive(cur: Cursor, st: PcapState): Node {
  const first = cur.next();
  const w = first.text;
  switch (w) {
    case 'less':
    case 'greater': {
      const v = cur.expectValue('a length', first);
      const n = parseInteger(v.text);
      if (n === null || n < 0) throw new FilterError(`"${w}" needs a length in bytes, not "${v.text}"`, v.pos, v.end - v.pos);
      return { fn: w === 'less' ? (p) => p.origLen <= n : (p) => p.origLen >= n, bpf: `${w} ${n}`, compound: false };
    }
    case 'vlan': {
      const k = st.vlanK++;
      const v = cur.word();
      let id: number | null = null;
      if (v && /^[0-9]/.test(v.text)) {
        id = parseInteger(v.text);
        if (id === null || id < 0 || id > 4095) throw new FilterError(`VLAN id must be 0..4095, not "${v.text}"`, v.pos, v.end - v.pos);
        cur.next();
      }
      return { fn: pc.vlanTest(k, id), bpf: id === null ? 'vlan' : `vlan ${id}`, compound: false };
    }
    case 'proto': {
      const v = cur.expectValue('a protocol number', first);
      const n = pc.parseProtoNumber(lit(v));
      return { fn: pc.anyProto(n), bpf: `proto ${n}`, compound: false };
    }
    case 'broadcast':
    case 'multicast':
      return { fn: pc.ether(w), bpf: `ether ${w}`, compound: false };
    case 'icmp6':
      return { fn: pc.ip6Proto(58), bpf: 'icmp6', compound: false };
    case 'gateway':
      throw new FilterError('"gateway" needs host name resolution and is not supported', first.pos, first.end - first.pos);
  }
  let proto: string | null = null;
  let t: Token | null = first;
  if (pc.PCAP_PROTO_QUALS.has(w)) {
    proto = w;
    t = cur.word();
    const after = t?.text;
    if (after === 'proto') {
      cur.next();
      const v = cur.expectValue('a protocol number', t!);
      if (proto === 'ether') {
        const n = parseInteger(v.text);
        if (n === null || n < 0 || n > 0xffff) throw new FilterError(`expected an ethertype 0..0xffff, not "${v.text}"`, v.pos, v.end - v.pos);
        return { fn: (p) => p.etherType === n, bpf: `ether proto ${n}`, compound: false };
      }
      const n = pc.parseProtoNumber(lit(v));
      if (proto === 'ip') return { fn: pc.ip4Proto(n), bpf: `ip proto ${n}`, compound: false };
      if (proto === 'ip6') return { fn: pc.ip6Proto(n), bpf: `ip6 proto ${n}`, compound: false };
      throw new FilterError(`"${proto} proto" is not valid: use ip proto, ip6 proto or ether proto`, first.pos, t!.end - first.pos);
    }
    if (after === 'broadcast' || after === 'multicast') {
      cur.next();
      if (proto === 'ether') return { fn: pc.ether(after), bpf: `ether ${after}`, compound: false };
      if (proto === 'ip' && after === 'multicast') return { fn: (p) => p.l3 === L3.IPv4 && p.ip4Dst >>> 28 === 14, bpf: 'ip multicast', compound: false };
      if (proto === 'ip6' && after === 'multicast') return { fn: (p) => p.l3 === L3.IPv6 && p.ip6Dst[0]! >>> 24 === 0xff, bpf: 'ip6 multicast', compound: false };
      throw new FilterError(`"${proto} ${after}" is not supported (ip broadcast needs the interface netmask)`, first.pos, t!.end - first.pos);
    }
    if (after === undefined || !PCAP_AFTER_PROTO.has(after)) {
      if (proto === 'ether') throw new FilterError('"ether" must be followed by host, src, dst, proto, broadcast or multicast', first.pos, first.end - first.pos);
      return { fn: pcapProtoWord(proto), bpf: proto, compound: false };
    }
    t = cur.next();
  }
  let dir: pc.Dir | null = null;
  if (t.text === 'src' || t.text === 'dst') {
    dir = t.text;
    const a = cur.peek();
    const b = cur.peek(1);
    if ((a.text === 'or' || a.text === 'and') && a.t === T.Word && b.t === T.Word && (b.text === 'src' || b.text === 'dst') && b.text !== t.text) {
      dir = a.text === 'or' ? 'or' : 'and';
      cur.next();
      cur.next();
    }
    const n = cur.word();
    if (n && (n.text === 'host' || n.text === 'net' || n.text === 'port' || n.text === 'portrange')) t = cur.next();
    else t = null;
  }
  let type: Qual['type'] = 'host';
  if (t !== null) {
    if (t.text === 'host' || t.text === 'net' || t.text === 'port' || t.text === 'portrange') type = t.text;
    else throw new FilterError(`unexpected ${tokText(t)} in a pcap-filter primitive`, t.pos, t.end - t.pos);
  }
  const q: Qual = { proto, dir, type };
  const v = cur.expectValue(type === 'host' ? (proto === 'ether' ? 'a MAC address' : 'an address') : type === 'net' ? 'a network' : type === 'port' ? 'a port' : 'a port range', t ?? first);
  st.lastQual = q;
  return buildQualified(cur, q, lit(v), v);
}

/** The primitive `q value`; also used for a bare value that repeats the previous qualifiers. */
export function buildQualified(cur: Cursor, q: Qual, v: Lit, vt: Token): Node {
  const dir = q.dir ?? 'or';
  const prefix = `${q.proto ? `${q.proto} ` : ''}${pc.dirText(q.dir)}${q.type}`;
  const node = (fn: Pred, value: string): Node => ({ fn, bpf: `${prefix} ${value}`, compound: false });
  if (q.type === 'port' || q.type === 'portrange') {
    if (q.proto === 'ether' || q.proto === 'arp' || q.proto === 'rarp') {
      throw new FilterError(`"${q.proto}" cannot qualify ${q.type}: ports belong to tcp, udp or sctp`, vt.pos, vt.end - vt.pos);
    }
    const [lo, hi] = q.type === 'port' ? [pc.parsePort(v), pc.parsePort(v)] : pc.portRange(v);
    return node(pc.portTest(q.proto, dir, lo, hi), q.type === 'port' ? String(lo) : `${lo}-${hi}`);
  }
  if (q.proto === 'tcp' || q.proto === 'udp' || q.proto === 'sctp') {
    throw new FilterError(`"${q.proto}" cannot qualify ${q.type}: write ${q.proto} and ${q.type} ${v.text}`, vt.pos, vt.end - vt.pos);
  }
  if (q.proto === 'ether') {
    if (q.type === 'net') throw new FilterError('"ether net" is not valid: use ether host', vt.pos, vt.end - vt.pos);
    const mac = pc.parseMacLit(v);
    return node(pc.etherHost(dir, mac), v.text.toLowerCase());
  }
  if (q.type === 'host') {
    const a = parseIp4(v.text);
    if (a !== null && q.proto === 'ip6') throw new FilterError('"ip6 host" needs an IPv6 address', vt.pos, vt.end - vt.pos);
    if (a !== null) return node(pc.hostNet4(q.proto, dir, a, 0xffffffff), v.text);
    if (v.text.includes(':')) {
      if (q.proto !== null && q.proto !== 'ip6') throw new FilterError(`"${q.proto} host" needs an IPv4 address`, vt.pos, vt.end - vt.pos);
      const h = pc.parseHost6(v);
      if (h === null) throw new FilterError(`"${v.text}" is not a valid IPv6 address`, vt.pos, vt.end - vt.pos);
      if (h[1] !== 128) throw new FilterError('a host address cannot have a prefix length: use net', vt.pos, vt.end - vt.pos);
      return node(pc.hostNet6(dir, h[0], 128), v.text);
    }
    if (/\/\d+$/.test(v.text)) throw new FilterError('a host address cannot have a prefix length: use net', vt.pos, vt.end - vt.pos);
    throw new FilterError(`"${v.text}" is not an IP address (host names are not resolved)`, vt.pos, vt.end - vt.pos);
  }
  // net
  if (v.text.includes(':')) {
    if (q.proto !== null && q.proto !== 'ip6') throw new FilterError(`"${q.proto} net" needs an IPv4 network`, vt.pos, vt.end - vt.pos);
    const h = pc.parseHost6(v);
    if (h === null) throw new FilterError(`"${v.text}" is not a valid IPv6 network`, vt.pos, vt.end - vt.pos);
    return node(pc.hostNet6(dir, h[0], h[1]), v.text);
  }
  let maskLit: Lit | null = null;
  const m = cur.peek();
  if (m.t === T.Word && m.text === 'mask') {
    cur.next();
    const mv = cur.expectValue('a netmask', m);
    maskLit = lit(mv);
  }
  const r = pc.parseNet4(v, maskLit);
  if (r === null) throw new FilterError(`"${v.text}" is not a valid network: write a.b.c.d/len, a.b.c or a.b.c.d mask m.m.m.m`, vt.pos, vt.end - vt.pos);
  if (q.proto === 'ip6') throw new FilterError('"ip6 net" needs an IPv6 network like fe80::/10', vt.pos, vt.end - vt.pos);
  return node(pc.hostNet4(q.proto, dir, r[0], r[1]), maskLit ? `${v.text} mask ${maskLit.text}` : v.text);
}

/** A protocol word with its pcap-filter meaning (see pcap.ts). */
export function pcapProtoWord(name: string): Pred {
  switch (name) {
    case 'ip':
      return (p) => p.etherType === 0x0800 || p.l3 === L3.IPv4;
    case 'ip6':
      return (p) => p.etherType === 0x86dd || p.l3 === L3.IPv6;
    case 'arp':
      return (p) => p.etherType === 0x0806;
    case 'rarp':
      return (p) => p.etherType === 0x8035;
    case 'tcp':
      return pc.anyProto(6);
    case 'udp':
      return pc.anyProto(17);
    case 'sctp':
      return pc.anyProto(132);
    case 'icmp':
      return pc.ip4Proto(1);
    case 'igmp':
      return pc.ip4Proto(2);
    default:
      return () => false;
  }
}
