import { L3, type DecodedPacket } from '../decode/packet.js';
import { FilterError } from './errors.js';
import type { Lit, Pred } from './field-test.js';
import { hasEth, readMac } from './header-fields.js';
import { mask4, parseInteger, parseIp4, parseIp6, parseMac } from './values.js';

/**
 * pcap-filter primitives with tcpdump's meanings (libpcap 1.10, checked
 * against tcpdump 4.99 on real captures):
 * - `host`/`net` without a protocol match IPv4 source/destination AND ARP
 *   sender/target addresses (libpcap expands to ip, arp and rarp);
 * - `port` matches TCP, UDP and SCTP; on IPv4 only unfragmented or first
 *   fragments (libpcap tests the fragment offset is 0), on IPv6 only when the
 *   fixed header's next header is the transport (libpcap does not walk the
 *   extension header chain for ports);
 * - `tcp`, `udp`, `sctp`, `proto N` test the IPv4 protocol field (so later
 *   fragments match) or the IPv6 next header, also after one fragment header;
 * - `less N` is `len <= N`, `greater N` is `len >= N` (wire length).
 * VLAN: libpcap shifts every later offset by 4 for each `vlan` keyword, so on a
 * file `ip` alone does not match tagged frames. wiretop's decoder already
 * removed the tags, so primitives look through them (as libpcap does on a live
 * Linux interface where the kernel strips tags). The k-th `vlan` keyword in an
 * expression tests that the frame has at least k tags (and that tag k has the
 * given id), so `vlan 10 and host X` and `vlan and vlan and udp` mean what they
 * mean to tcpdump.
 */

export type Dir = 'src' | 'dst' | 'or' | 'and';

export const PCAP_PROTO_QUALS = new Set(['ether', 'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'sctp']);

const PORT_NAMES: Record<string, number> = {
  'ftp-data': 20,
  ftp: 21,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  http: 80,
  www: 80,
  pop3: 110,
  sunrpc: 111,
  ntp: 123,
  'netbios-ns': 137,
  imap: 143,
  snmp: 161,
  ldap: 389,
  https: 443,
  'microsoft-ds': 445,
  syslog: 514,
  submission: 587,
  ldaps: 636,
  imaps: 993,
  pop3s: 995,
  mysql: 3306,
  'ms-wbt-server': 3389,
};

function dirTest(dir: Dir, f: (x: number) => boolean): (s: number, d: number) => boolean {
  switch (dir) {
    case 'src':
      return (s) => f(s);
    case 'dst':
      return (_s, d) => f(d);
    case 'and':
      return (s, d) => f(s) && f(d);
    default:
      return (s, d) => f(s) || f(d);
  }
}

export function dirText(dir: Dir | null): string {
  return dir === null ? '' : dir === 'or' ? 'src or dst ' : dir === 'and' ? 'src and dst ' : `${dir} `;
}

function err(v: Lit, msg: string): FilterError {
  return new FilterError(msg, v.pos, v.end - v.pos);
}

/** IPv4 net: a.b.c.d/len, a.b.c (abbreviated: mask from the octet count), or a plain address. */
export function parseNet4(v: Lit, maskLit: Lit | null): [number, number] | null {
  const t = v.text;
  const slash = t.indexOf('/');
  if (maskLit) {
    const a = parseIp4(t);
    const m = parseIp4(maskLit.text);
    if (a === null) return null;
    if (m === null) throw err(maskLit, `bad netmask ${maskLit.text}: expected a dotted quad like 255.255.0.0`);
    if ((a & ~m) >>> 0 !== 0) throw err(v, `non-network bits set in "${t} mask ${maskLit.text}"`);
    return [a, m];
  }
  if (slash >= 0) {
    const head = t.slice(0, slash);
    const parts = head.split('.');
    if (parts.length < 1 || parts.length > 4 || parts.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return null;
    while (parts.length < 4) parts.push('0');
    const a = parseIp4(parts.join('.'))!;
    const bitsText = t.slice(slash + 1);
    const bits = /^\d{1,2}$/.test(bitsText) ? Number(bitsText) : NaN;
    if (!(bits >= 0 && bits <= 32)) throw new FilterError(`bad CIDR ${t}: the prefix length must be 0..32`, v.pos + slash + 1, Math.max(1, bitsText.length));
    const m = mask4(bits);
    if ((a & ~m) >>> 0 !== 0) throw err(v, `non-network bits set in ${t} (did you mean host ${head}, or net ${(a & m) >>> 0 === 0 ? '0.0.0.0' : ipText((a & m) >>> 0)}/${bits}?)`);
    return [a, m];
  }
  const parts = t.split('.');
  if (parts.length < 1 || parts.length > 4 || parts.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return null;
  const bits = parts.length * 8;
  while (parts.length < 4) parts.push('0');
  return [parseIp4(parts.join('.'))!, mask4(bits)];
}

function ipText(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** host/net on IPv4: IPv4 addresses, and ARP addresses unless a protocol is given. */
export function hostNet4(proto: string | null, dir: Dir, addr: number, mask: number): Pred {
  const f = mask === 0xffffffff ? (x: number) => x === addr : (x: number) => ((x & mask) >>> 0) === addr;
  const t = dirTest(dir, f);
  const wantIp = proto === null || proto === 'ip';
  const wantArp = proto === null || proto === 'arp' || proto === 'rarp';
  const arpType = proto === 'arp' ? 0x0806 : proto === 'rarp' ? 0x8035 : -1;
  return (p) => {
    if (p.l3 === L3.IPv4) return wantIp && t(p.ip4Src, p.ip4Dst);
    if (p.l3 === L3.Arp) return wantArp && (arpType < 0 || p.etherType === arpType) && t(p.arpSpa, p.arpTpa);
    return false;
  };
}

export function hostNet6(dir: Dir, addr: Uint32Array, bits: number): Pred {
  const m = new Uint32Array(4);
  const a = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    m[i] = mask4(Math.min(32, Math.max(0, bits - 32 * i)));
    a[i] = (addr[i]! & m[i]!) >>> 0;
  }
  const eq = (w: Uint32Array): boolean => {
    for (let i = 0; i < 4; i++) if (((w[i]! & m[i]!) >>> 0) !== a[i]) return false;
    return true;
  };
  return (p) => {
    if (p.l3 !== L3.IPv6) return false;
    switch (dir) {
      case 'src':
        return eq(p.ip6Src);
      case 'dst':
        return eq(p.ip6Dst);
      case 'and':
        return eq(p.ip6Src) && eq(p.ip6Dst);
      default:
        return eq(p.ip6Src) || eq(p.ip6Dst);
    }
  };
}

export function etherHost(dir: Dir, mac: number): Pred {
  const t = dirTest(dir, (x) => x === mac);
  return (p) => hasEth(p) && t(readMac(p.buf, p.ethOff + 6), readMac(p.buf, p.ethOff));
}

export function parsePort(v: Lit): number {
  const n = parseInteger(v.text);
  if (n !== null) {
    if (n < 0 || n > 65535) throw err(v, `port ${v.text} is out of range 0..65535`);
    return n;
  }
  const named = PORT_NAMES[v.text.toLowerCase()];
  if (named !== undefined) return named;
  throw err(v, `unknown port "${v.text}": use a number 0..65535 or a service name such as http, domain, ssh`);
}

/** port / portrange. `l3` restricts to ip or ip6 when the expression said `ip port`. */
export function portTest(proto: string | null, dir: Dir, lo: number, hi: number): Pred {
  const t = dirTest(dir, lo === hi ? (x) => x === lo : (x) => x >= lo && x <= hi);
  const tcp = proto === null || proto === 'tcp' || proto === 'ip' || proto === 'ip6';
  const udp = proto === null || proto === 'udp' || proto === 'ip' || proto === 'ip6';
  const sctp = proto === null || proto === 'sctp' || proto === 'ip' || proto === 'ip6';
  const v4 = proto !== 'ip6';
  const v6 = proto !== 'ip';
  const ok = (n: number): boolean => (n === 6 && tcp) || (n === 17 && udp) || (n === 132 && sctp);
  return (p) => {
    if (p.srcPort < 0 || p.l4Off < 0) return false;
    if (p.l3 === L3.IPv4) {
      if (!v4 || !ok(p.ipProto) || p.ipFragOffset !== 0) return false;
    } else if (p.l3 === L3.IPv6) {
      if (!v6 || !ok(p.ip6Nxt)) return false;
    } else return false;
    return t(p.srcPort, p.dstPort);
  };
}

export function portRange(v: Lit): [number, number] {
  const m = /^([^-]+)-([^-]+)$/.exec(v.text);
  if (!m) throw err(v, `bad port range "${v.text}": write it as low-high, e.g. 6000-6010`);
  const a = parsePort({ ...v, text: m[1]! });
  const b = parsePort({ ...v, text: m[2]! });
  return [Math.min(a, b), Math.max(a, b)];
}

function byteAt(p: DecodedPacket, off: number): number {
  return off < p.frameOff + p.capLen ? p.buf[off]! : -1;
}

export function ip4Proto(n: number): Pred {
  return (p) => p.l3 === L3.IPv4 && p.ipProto === n;
}

/** libpcap's `ip6 proto N`: the fixed next header, or the header after one fragment header. */
export function ip6Proto(n: number): Pred {
  return (p) => p.l3 === L3.IPv6 && (p.ip6Nxt === n || (p.ip6Nxt === 44 && p.l3Off >= 0 && byteAt(p, p.l3Off + 40) === n));
}

export function anyProto(n: number): Pred {
  const a = ip4Proto(n);
  const b = ip6Proto(n);
  return (p) => a(p) || b(p);
}

export function parseProtoNumber(v: Lit): number {
  const n = parseInteger(v.text);
  const names: Record<string, number> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmp6: 58, sctp: 132 };
  const byName = v.text.startsWith('\\') ? names[v.text.slice(1)] : undefined;
  if (n !== null) {
    if (n < 0 || n > 255) throw err(v, `protocol number ${v.text} is out of range 0..255`);
    return n;
  }
  if (byName !== undefined) return byName;
  throw err(v, `expected a protocol number 0..255 after "proto", not "${v.text}"`);
}

export function ether(pred: 'broadcast' | 'multicast'): Pred {
  if (pred === 'broadcast') return (p) => hasEth(p) && readMac(p.buf, p.ethOff) === 0xffffffffffff;
  return (p) => hasEth(p) && (p.buf[p.ethOff]! & 1) === 1;
}

export function vlanTest(k: number, id: number | null): Pred {
  if (id === null) return (p) => p.vlanCount > k;
  if (k === 0) return (p) => p.vlanCount > 0 && p.vlanId === id;
  if (k === 1) return (p) => p.vlanCount > 1 && p.vlanId2 === id;
  return () => false;
}

export function parseMacLit(v: Lit): number {
  const m = parseMac(v.text);
  if (m === null) throw err(v, `expected a MAC address like 00:11:22:33:44:55, not "${v.text}"`);
  return m;
}

export function parseHost6(v: Lit): [Uint32Array, number] | null {
  const t = v.text;
  const slash = t.indexOf('/');
  const a = parseIp6(slash < 0 ? t : t.slice(0, slash));
  if (a === null) return null;
  if (slash < 0) return [a, 128];
  const bitsText = t.slice(slash + 1);
  const bits = /^\d{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
  if (!(bits >= 0 && bits <= 128)) throw new FilterError(`bad CIDR ${t}: the prefix length must be 0..128`, v.pos + slash + 1, Math.max(1, bitsText.length));
  return [a, bits];
}
