import { L3, type DecodedPacket } from '../decode/packet.js';
import { hash32 } from './model/distinct.js';
import { KeyIndex } from './model/key-index.js';
import { HomeNet, isGroup4 } from './home-net.js';

/**
 * Hosts are numeric keys: an IPv4 address is its 32-bit value; an IPv6
 * address is a 52-bit hash above 2^32 whose words are kept in a bounded ring
 * so a name can be printed later without making strings per packet.
 */
const V6_BASE = 4294967296;
const RING = 16384;

/** Address classes (bits) for the home-net checks. */
export const INTERNAL = 1;
/** Not internal, not multicast or broadcast, not 0.0.0.0: "outside" for exfiltration. */
export const EXTERNAL = 2;
/** In AddrBook's /16 table: look at the whole address. */
const MIXED = 0xff;

export class AddrBook {
  private readonly words = new Uint32Array(RING * 4);
  private readonly keys = new Float64Array(RING).fill(-1);
  /** Class bits of each remembered IPv6 address, computed once when it is remembered. */
  private readonly cls6 = new Uint8Array(RING);
  private readonly slot = new KeyIndex(RING);
  private count = 0;
  private next = 0;
  /** The source and destination keys of the last `resolve()`d packet (-1 without IP). */
  readonly cur = new Float64Array(2);
  /** Their class bits (INTERNAL, EXTERNAL). */
  readonly curCls = new Uint8Array(2);
  /**
   * Class bits of every IPv4 /16, or MIXED where the /16 holds more than one
   * class (a home net narrower than /16, 0.0.0.0, the broadcast address):
   * one load per address instead of a walk over the home nets.
   */
  private readonly cls16 = new Uint8Array(65536);
  /**
   * The class of every /8 whose /16s all have the same one, else MIXED: the
   * first look-up. Its 256 bytes stay in cache where the 64 KiB of cls16 do
   * not (outside addresses spread over many /16s), and most /8s are whole.
   */
  private readonly cls8 = new Uint8Array(256);

  constructor(private readonly home: HomeNet = new HomeNet()) {
    const c = this.cls16;
    c.fill(EXTERNAL);
    c.fill(0, 224 << 8, 240 << 8); // multicast
    for (const r of home.nets4) {
      const first = r.net >>> 16;
      // A net of /16 or wider is whole /16s; a narrower one splits its /16.
      if ((r.mask & 0xffff) === 0) c.fill(INTERNAL, first, first + ((~r.mask >>> 16) & 0xffff) + 1);
    }
    for (const r of home.nets4) if ((r.mask & 0xffff) !== 0) c[r.net >>> 16] = MIXED;
    c[0] = MIXED; // 0.0.0.0
    c[0xffff] = MIXED; // broadcast
    for (let a = 0; a < 256; a++) {
      const first = c[a << 8]!;
      let same = true;
      for (let b = 1; b < 256 && same; b++) same = c[(a << 8) | b] === first;
      this.cls8[a] = same ? first : MIXED;
    }
  }

  /**
   * Key and class of the packet's source and destination into `cur` and
   * `curCls`; allocates nothing (IPv6 addresses are remembered in the ring).
   */
  resolve(p: DecodedPacket): void {
    const cur = this.cur;
    const cls = this.curCls;
    const l3 = p.l3;
    if (l3 === L3.IPv4 || l3 === L3.Arp) {
      const s = l3 === L3.IPv4 ? p.ip4Src : p.arpSpa;
      const d = l3 === L3.IPv4 ? p.ip4Dst : p.arpTpa;
      cur[0] = s;
      cur[1] = d;
      cls[0] = this.class4(s);
      cls[1] = this.class4(d);
    } else if (l3 === L3.IPv6) {
      const ss = this.remember6(p.ip6Src);
      const ds = this.remember6(p.ip6Dst);
      cur[0] = this.keys[ss]!;
      cur[1] = this.keys[ds]!;
      cls[0] = this.cls6[ss]!;
      cls[1] = this.cls6[ds]!;
    } else {
      cur[0] = -1;
      cur[1] = -1;
      cls[0] = 0;
      cls[1] = 0;
    }
  }

  private class4(n: number): number {
    let c = this.cls8[n >>> 24]!;
    if (c === MIXED) c = this.cls16[n >>> 16]!;
    return c !== MIXED ? c : this.classOf4(n);
  }

  private classOf4(n: number): number {
    if (this.home.isInternal4(n)) return INTERNAL;
    return isGroup4(n) || n === 0 ? 0 : EXTERNAL;
  }

  /** Key of the source (which = 0) or destination (which = 1) address; -1 when the packet has no IP. */
  key(p: DecodedPacket, which: 0 | 1): number {
    this.resolve(p);
    return this.cur[which]!;
  }

  /** The ring slot of an IPv6 address, remembering it when new. */
  private remember6(w: Uint32Array): number {
    const ix = this.slot;
    // v6Key(w), computed here: a key returned from a call that is not inlined would be boxed.
    const a = w[0]!;
    const b = w[1]!;
    const c = w[2]!;
    const d = w[3]!;
    const h1 = hash32(a ^ Math.imul(b, 0x9e3779b1));
    const h2 = hash32(c ^ Math.imul(d, 0x85ebca6b) ^ Math.imul(h1, 0xc2b2ae35));
    const k = V6_BASE * (1 + (h1 & 0xfffff)) + h2;
    ix.q[0] = k;
    const known = ix.getQ();
    if (known >= 0) return known;
    const s = this.next;
    this.next = (this.next + 1) % RING;
    const old = this.keys[s]!;
    if (old >= 0) ix.delete(old);
    else this.count++;
    this.keys[s] = k;
    ix.set(k, s);
    this.words.set(w, s * 4);
    const internal = this.home.isInternal6(w);
    this.cls6[s] = internal ? INTERNAL : w[0]! >>> 24 === 0xff ? 0 : EXTERNAL;
    return s;
  }

  /** Class bits of a key (0 for an IPv6 key no longer remembered). */
  classOf(k: number): number {
    if (k < V6_BASE) return this.class4(k);
    const s = this.slot.get(k);
    return s < 0 ? 0 : this.cls6[s]!;
  }

  /** IPv6 addresses remembered (bounded by the ring). */
  get size(): number {
    return this.count;
  }

  name(k: number): string {
    if (k < V6_BASE) return ip4Text(k);
    const s = this.slot.get(k);
    if (s < 0) return 'ipv6-host';
    return ip6Text(this.words.subarray(s * 4, s * 4 + 4));
  }

  /** The four 32-bit words of an IPv6 key's address, or null when no longer remembered. */
  v6Words(k: number): Uint32Array | null {
    const s = this.slot.get(k);
    return s < 0 ? null : this.words.subarray(s * 4, s * 4 + 4);
  }
}

export function isV6Key(k: number): boolean {
  return k >= V6_BASE;
}

/** A 52-bit key above 2^32 from the four words (20 bits of a hash of the high half, 32 of the whole). */
export function v6Key(a: number, b: number, c: number, d: number): number {
  const h1 = hash32(a ^ Math.imul(b, 0x9e3779b1));
  const h2 = hash32(c ^ Math.imul(d, 0x85ebca6b) ^ Math.imul(h1, 0xc2b2ae35));
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
