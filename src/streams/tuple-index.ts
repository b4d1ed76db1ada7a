import { DecodedPacket } from '../decode/packet.js';
import type { Endpoints } from './endpoints.js';

/** int32 per entry: used flag + family, the lower (address, port) end, the higher end, the value. */
const STRIDE = 12;

/**
 * Conversation tuple -> stream number, direction-independent, in an open-addressing
 * table of int32 (no key string per lookup, unlike a Map keyed by text). Entries are
 * never removed: a key is overwritten when its conversation starts a new stream.
 */
export class TupleIndex {
  private t = new Int32Array(STRIDE * 1024);
  private mask = 1023;
  private count = 0;
  /** Scratch: the packet's ends in canonical order (lower end first). */
  private readonly k = new Int32Array(10);

  /** The value stored for the packet's conversation, or -1. */
  get(p: DecodedPacket): number {
    const i = this.find(p);
    return this.t[i * STRIDE]! === 0 ? -1 : this.t[i * STRIDE + 11]!;
  }

  set(p: DecodedPacket, value: number): void {
    let i = this.find(p);
    const t = this.t;
    if (t[i * STRIDE] === 0) {
      if ((this.count + 1) * 2 > this.mask + 1) {
        this.grow();
        i = this.find(p);
      }
      this.count++;
      const o = i * STRIDE;
      this.t[o] = this.fam;
      this.t.set(this.k, o + 1);
    }
    this.t[i * STRIDE + 11] = value;
  }

  private fam = 0;

  /** Slot of the packet's key, or of the empty slot where it would go. */
  private find(p: DecodedPacket): number {
    const k = this.k;
    const v6 = p.l3 === 6;
    this.fam = v6 ? 6 : 4;
    let sw = 0;
    if (v6) {
      const s = p.ip6Src;
      const d = p.ip6Dst;
      for (let j = 0; j < 4 && sw === 0; j++) sw = s[j]! < d[j]! ? -1 : s[j]! > d[j]! ? 1 : 0;
      if (sw === 0) sw = p.srcPort <= p.dstPort ? -1 : 1;
      const lo = sw < 0 ? s : d;
      const hi = sw < 0 ? d : s;
      for (let j = 0; j < 4; j++) {
        k[j] = lo[j]! | 0;
        k[5 + j] = hi[j]! | 0;
      }
    } else {
      const s = p.ip4Src;
      const d = p.ip4Dst;
      sw = s < d || (s === d && p.srcPort <= p.dstPort) ? -1 : 1;
      k[0] = (sw < 0 ? s : d) | 0;
      k[5] = (sw < 0 ? d : s) | 0;
      k[1] = k[2] = k[3] = k[6] = k[7] = k[8] = 0;
    }
    k[4] = sw < 0 ? p.srcPort : p.dstPort;
    k[9] = sw < 0 ? p.dstPort : p.srcPort;
    let h = this.fam;
    for (let j = 0; j < 10; j++) h = Math.imul(h ^ k[j]!, 0x9e3779b1) ^ (h >>> 15);
    const t = this.t;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const o = i * STRIDE;
      if (t[o] === 0) return i;
      if (t[o] === this.fam && t[o + 1] === k[0] && t[o + 5] === k[4] && t[o + 6] === k[5] && t[o + 10] === k[9]
        && t[o + 2] === k[1] && t[o + 3] === k[2] && t[o + 4] === k[3] && t[o + 7] === k[6] && t[o + 8] === k[7] && t[o + 9] === k[8]) return i;
    }
  }

  private grow(): void {
    const old = this.t;
    // Quadruple while small: a capture's first seconds add streams fast, and each rehash costs a
    // probe (a cache miss) per entry (doubling from 1024 was 8 ms per 16k streams).
    const n = (this.mask + 1) * (this.mask < 1 << 16 ? 4 : 2);
    this.t = new Int32Array(STRIDE * n);
    this.mask = n - 1;
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o] === 0) continue;
      let h = old[o]!;
      for (let j = 0; j < 10; j++) h = Math.imul(h ^ old[o + 1 + j]!, 0x9e3779b1) ^ (h >>> 15);
      let i = h & this.mask;
      while (this.t[i * STRIDE] !== 0) i = (i + 1) & this.mask;
      for (let j = 0; j < STRIDE; j++) this.t[i * STRIDE + j] = old[o + j]!;
    }
  }
}

/** Index every conversation held in `list` by its tuple, in order (the newest of a tuple wins). */
export function indexAll(list: readonly ((Endpoints & { readonly index: number }) | null)[], index: TupleIndex): void {
  const p = new DecodedPacket();
  for (const s of list) {
    if (s === null) continue;
    p.l3 = s.v6 ? 6 : 4;
    p.ip4Src = s.a0 >>> 0;
    p.ip4Dst = s.b0 >>> 0;
    p.ip6Src.set([s.a0, s.a1, s.a2, s.a3]);
    p.ip6Dst.set([s.b0, s.b1, s.b2, s.b3]);
    p.srcPort = s.aPort;
    p.dstPort = s.bPort;
    index.set(p, s.index);
  }
}
