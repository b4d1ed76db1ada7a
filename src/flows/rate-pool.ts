import { growI32 } from './grow.js';

/**
 * Per-second byte buckets for rate averages (2 s / 10 s / 40 s), kept only for
 * owners (flows, hosts, ports) that were active recently.
 *
 * Why a pool: 40 Float32 buckets per direction for every one of a million
 * flows would be 320 MB. Rings are lent to owners on their first traffic; when
 * the pool is full a clock hand looks at a few rings for one idle over 40 s
 * and takes it back (its owner then shows rate 0, which is true). When none
 * of those is idle the pool grows, and at `maxRings` the least recently used
 * of them is taken (an approximation for the coldest owners when more than
 * `maxRings` owners are active at once). No list is kept in activity order:
 * moving a ring to the front of one touched two neighbours per update, which
 * was most of the cost of rates.
 *
 * Layout of one ring (one ArrayBuffer seen as Float64 and Float32): a 16-byte
 * header [last second (f64), current-second sums (2 x f32)] then 40 buckets
 * of `series` f32. A packet in the ring's current second touches only the
 * header; the buckets are written once per second when the ring moves on.
 * Cost per ring: 16 + series * 160 bytes + 8 bytes of bookkeeping
 * (a two-direction ring is 344 bytes; 65,536 rings are 22 MB).
 */
export const RING_SECONDS = 40;
/** Rings the clock hand looks at for an idle one before the pool grows or takes an active one. */
const PROBE = 32;

export type StealHook = (owner: number) => void;

export class RatePool {
  readonly series: number;
  /** Ring size in Float32 words (header 4 + buckets). */
  private readonly stride: number;
  private cap: number;
  private used = 0;
  private f32: Float32Array;
  private f64: Float64Array;
  private owner: Int32Array;
  /** Free-list links. */
  private next: Int32Array;
  private freeHead = -1;
  /** Where the next search for an idle ring starts. */
  private hand = 0;
  /** Rings taken from an owner that was still within the 40 s window. */
  stolenActive = 0;

  constructor(
    series: number,
    private readonly maxRings: number,
    private readonly onSteal: StealHook,
    initial = 1024,
  ) {
    if (series < 1 || series > 2) throw new RangeError('RatePool supports 1 or 2 series');
    this.series = series;
    this.stride = 4 + series * RING_SECONDS;
    if (this.stride % 2 !== 0) this.stride++;
    this.cap = Math.max(1, Math.min(initial, maxRings));
    const buf = new ArrayBuffer(this.cap * this.stride * 4);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    this.owner = new Int32Array(this.cap);
    this.next = new Int32Array(this.cap);
  }

  get capacity(): number {
    return this.cap;
  }

  get bytesUsed(): number {
    return this.cap * (this.stride * 4 + 8);
  }

  private lastOf(r: number): number {
    return this.f64[(r * this.stride) >> 1]!;
  }

  /** Lend a ring to `owner` (the caller stores the returned index). */
  alloc(owner: number, sec: number): number {
    let r = this.freeHead;
    if (r >= 0) {
      this.freeHead = this.next[r]!;
    } else if (this.used < this.cap) {
      r = this.used++;
    } else {
      r = this.idleOrOldest(sec);
      const idle = this.lastOf(r) < sec - RING_SECONDS;
      if (!idle && this.cap < this.maxRings) {
        this.grow();
        r = this.used++;
      } else {
        if (!idle) this.stolenActive++;
        this.onSteal(this.owner[r]!);
      }
    }
    this.owner[r] = owner;
    const o = r * this.stride;
    this.f32.fill(0, o, o + this.stride);
    this.f64[o >> 1] = sec;
    return r;
  }

  /** From the clock hand on, the first of PROBE rings idle past the window, else the least recently used of them. */
  private idleOrOldest(sec: number): number {
    let best = -1;
    let bestLast = Infinity;
    for (let i = 0; i < PROBE; i++) {
      const r = this.hand;
      this.hand = r + 1 < this.used ? r + 1 : 0;
      if (this.owner[r]! < 0) continue;
      const last = this.lastOf(r);
      if (last < sec - RING_SECONDS) return r;
      if (last < bestLast) {
        best = r;
        bestLast = last;
      }
    }
    return best;
  }

  release(r: number): void {
    this.owner[r] = -1;
    this.next[r] = this.freeHead;
    this.freeHead = r;
  }

  /** Add `v` to series `s` at second `sec`. */
  add(r: number, s: number, sec: number, v: number): void {
    const o = r * this.stride;
    const f32 = this.f32;
    const last = this.f64[o >> 1]!;
    if (sec === last) {
      f32[o + 2 + s]! += v;
      return;
    }
    if (sec > last) {
      this.advance(r, o, last, sec);
      f32[o + 2 + s] = v;
    } else if (last - sec < RING_SECONDS && sec >= 0) {
      // a late packet for a past second still in the ring
      f32[o + 4 + (sec % RING_SECONDS) * this.series + s]! += v;
    }
  }

  /**
   * add() from an array (a double argument would be boxed): a two-series ring
   * gets d[i0] and d[i1] in its two series, a one-series ring their sum.
   */
  addFrom(r: number, sec: number, d: Float64Array, i0: number, i1: number): void {
    const o = r * this.stride;
    const f32 = this.f32;
    const last = this.f64[o >> 1]!;
    const two = this.series === 2;
    let k: number;
    if (sec === last) {
      k = o + 2;
    } else if (sec > last) {
      this.advance(r, o, last, sec);
      k = o + 2;
    } else if (last - sec < RING_SECONDS && sec >= 0) {
      k = o + 4 + (sec % RING_SECONDS) * this.series; // a late fold for a past second still in the ring
    } else {
      return;
    }
    if (two) {
      f32[k]! += d[i0]!;
      f32[k + 1]! += d[i1]!;
    } else {
      f32[k]! += d[i0]! + d[i1]!;
    }
  }

  /** Flush the current-second sums into their bucket and clear the buckets up to `sec`. */
  private advance(r: number, o: number, last: number, sec: number): void {
    const f32 = this.f32;
    const ns = this.series;
    const b = o + 4;
    const gap = sec - last;
    if (gap >= RING_SECONDS) {
      f32.fill(0, b, o + this.stride);
    } else {
      const k = b + (last % RING_SECONDS) * ns;
      for (let ss = 0; ss < ns; ss++) f32[k + ss] = f32[o + 2 + ss]!;
      for (let t = last + 1; t <= sec; t++) {
        const kk = b + (t % RING_SECONDS) * ns;
        for (let ss = 0; ss < ns; ss++) f32[kk + ss] = 0;
      }
    }
    f32[o + 2] = 0;
    f32[o + 3] = 0;
    this.f64[o >> 1] = sec;
  }

  private value(o: number, last: number, s: number, t: number): number {
    return t === last ? this.f32[o + 2 + s]! : this.f32[o + 4 + (t % RING_SECONDS) * this.series + s]!;
  }

  /**
   * Sum of series `s` over the `w` whole seconds before `nowSec`
   * (seconds nowSec-w .. nowSec-1): the second in progress is left out so a
   * rate does not dip at the start of every second.
   */
  sum(r: number, s: number, nowSec: number, w: number): number {
    if (r < 0) return 0;
    const o = r * this.stride;
    const last = this.f64[o >> 1]!;
    const from = Math.max(nowSec - w, last - RING_SECONDS + 1, 0);
    const to = Math.min(nowSec - 1, last);
    let total = 0;
    for (let t = from; t <= to; t++) total += this.value(o, last, s, t);
    return total;
  }

  /** sum() of all series together. */
  sumAll(r: number, nowSec: number, w: number): number {
    let total = 0;
    for (let s = 0; s < this.series; s++) total += this.sum(r, s, nowSec, w);
    return total;
  }

  /** Rings handed out so far (iterate 0..ringCount and check ownerOf). */
  get ringCount(): number {
    return this.used;
  }

  /** Owner of ring `r`, or -1 when it is free. */
  ownerOf(r: number): number {
    return this.owner[r]!;
  }

  /** Value of a single second (for history), 0 when outside the ring. */
  at(r: number, s: number, sec: number): number {
    if (r < 0 || sec < 0) return 0;
    const o = r * this.stride;
    const last = this.f64[o >> 1]!;
    if (sec > last || last - sec >= RING_SECONDS) return 0;
    return this.value(o, last, s, sec);
  }

  clear(): void {
    this.used = 0;
    this.freeHead = -1;
    this.hand = 0;
    this.stolenActive = 0;
  }

  private grow(): void {
    const cap = Math.min(this.cap * 2, this.maxRings);
    const buf = new ArrayBuffer(cap * this.stride * 4);
    const f32 = new Float32Array(buf);
    f32.set(this.f32);
    this.f32 = f32;
    this.f64 = new Float64Array(buf);
    this.owner = growI32(this.owner, cap);
    this.next = growI32(this.next, cap);
    this.cap = cap;
  }
}
