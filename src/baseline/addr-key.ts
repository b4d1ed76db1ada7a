import { L3, type DecodedPacket } from '../decode/packet.js';
import { hash32 } from './model/distinct.js';

/**
 * Hosts are numeric keys: an IPv4 address is its 32-bit value; an IPv6
 * address is a 52-bit hash above 2^32 whose words are kept in a bounded ring
 * so a name can be printed later without making strings per packet.
 */
const V6_BASE = 4294967296;
const RING = 16384;

export class AddrBook {
  private readonly words = new Uint32Array(RING * 4);
  private readonly keys = new Float64Array(RING).fill(-1);
  private readonly slot = new Map<number, number>();
  private next = 0;

  /** Key of the source (which = 0) or destination (which = 1) address; -1 when the packet has no IP. */
  key(p: DecodedPacket, which: 0 | 1): number {
    if (p.l3 === L3.IPv4) return which === 0 ? p.ip4Src : p.ip4Dst;
    if (p.l3 === L3.Arp) return which === 0 ? p.arpSpa : p.arpTpa;
    if (p.l3 !== L3.IPv6) return -1;
    const w = which === 0 ? p.ip6Src : p.ip6Dst;
    const k = v6Key(w[0]!, w[1]!, w[2]!, w[3]!);
    if (!this.slot.has(k)) this.remember(k, w);
    return k;
  }

  private remember(k: number, w: Uint32Array): void {
    const s = this.next;
    this.next = (this.next + 1) % RING;
    const old = this.keys[s]!;
    if (old >= 0) this.slot.delete(old);
    this.keys[s] = k;
    this.slot.set(k, s);
    this.words.set(w, s * 4);
  }

  /** IPv6 addresses remembered (bounded by the ring). */
  get size(): number {
    return this.slot.size;
  }

  name(k: number): string {
    if (k < V6_BASE) return ip4Text(k);
    const s = this.slot.get(k);
    if (s === undefined) return 'ipv6-host';
    return ip6Text(this.words.subarray(s * 4, s * 4 + 4));
  }

  /** First 32-bit word of an IPv6 key's address (for home-net checks), or -1 when unknown. */
  v6Words(k: number): Uint32Array | null {
    const s = this.slot.get(k);
    return s === undefined ? null : this.words.subarray(s * 4, s * 4 + 4);
  }
}

export function isV6Key(k: number): boolean {
  return k >= V6_BASE;
}

export function v6Key(a: number, b: number, c: number, d: number): number {
  const h1 = hash32(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35));
  const h2 = hash32((a + 0x6a09e667) ^ hash32(b ^ hash32(c ^ hash32(d))));
  return V6_BASE * (1 + (h1 & 0xfffff)) + h2;
}

export function ip4Text(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952 text of four big-endian words. */
export function ip6Text(w: ArrayLike<number>): string {
  const g: number[] = [];
  for (let i = 0; i < 4; i++) g.push((w[i]! >>> 16) & 0xffff, w[i]! & 0xffff);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}
