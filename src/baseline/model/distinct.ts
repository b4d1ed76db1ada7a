/**
 * Distinct counting over a sliding window with linear counting (a bitmap per
 * time bucket; the estimate is -m ln(zeros/m) over the OR of the buckets).
 * 1024 bits per bucket are exact in practice below a few dozen items and
 * within a few percent up to a few thousand; past that it saturates near
 * 7,000, which is more than any threshold needs.
 */
export const DISTINCT_BITS = 1024;
const WORDS = DISTINCT_BITS / 32;

export class WindowedDistinct {
  /** buckets x WORDS words, one bitmap per bucket. */
  private readonly bits: Uint32Array;
  private cur = 0;
  private curEpoch = -1;

  constructor(readonly buckets: number, readonly bucketSec: number) {
    this.bits = new Uint32Array(buckets * WORDS);
  }

  /** Bring the ring forward to `sec`, clearing buckets that fell out of the window. */
  advance(sec: number): void {
    const epoch = Math.floor(sec / this.bucketSec);
    if (this.curEpoch < 0) {
      this.curEpoch = epoch;
      return;
    }
    if (epoch <= this.curEpoch) return;
    const steps = Math.min(epoch - this.curEpoch, this.buckets);
    for (let i = 0; i < steps; i++) {
      this.cur = (this.cur + 1) % this.buckets;
      this.bits.fill(0, this.cur * WORDS, this.cur * WORDS + WORDS);
    }
    this.curEpoch = epoch;
  }

  /** Add an already hashed 32-bit value. */
  addHash(h: number): void {
    const bit = (Math.imul(h, 0x9e3779b1) >>> 22) & (DISTINCT_BITS - 1);
    this.bits[this.cur * WORDS + (bit >>> 5)]! |= 1 << (bit & 31);
  }

  estimate(): number {
    let ones = 0;
    for (let w = 0; w < WORDS; w++) {
      let v = 0;
      for (let b = 0; b < this.buckets; b++) v |= this.bits[b * WORDS + w]!;
      ones += popcount(v);
    }
    const zeros = DISTINCT_BITS - ones;
    if (zeros === 0) return Math.round(DISTINCT_BITS * Math.log(DISTINCT_BITS));
    return Math.round(-DISTINCT_BITS * Math.log(zeros / DISTINCT_BITS)) + 0;
  }

  clear(): void {
    this.bits.fill(0);
    this.curEpoch = -1;
    this.cur = 0;
  }

  get byteSize(): number {
    return this.bits.byteLength;
  }
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Mix a number (up to 53 bits) into a 32-bit hash. */
export function hash32(x: number): number {
  let h = (x >>> 0) ^ Math.imul(Math.floor(x / 4294967296) | 0, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Sliding-window sum of counts in fixed buckets. */
export class WindowedSum {
  private readonly v: Float64Array;
  private cur = 0;
  private curEpoch = -1;

  constructor(readonly buckets: number, readonly bucketSec: number) {
    this.v = new Float64Array(buckets);
  }

  advance(sec: number): void {
    const epoch = Math.floor(sec / this.bucketSec);
    if (this.curEpoch < 0) {
      this.curEpoch = epoch;
      return;
    }
    if (epoch <= this.curEpoch) return;
    const steps = Math.min(epoch - this.curEpoch, this.buckets);
    for (let i = 0; i < steps; i++) {
      this.cur = (this.cur + 1) % this.buckets;
      this.v[this.cur] = 0;
    }
    this.curEpoch = epoch;
  }

  add(n: number): void {
    this.v[this.cur]! += n;
  }

  sum(): number {
    let s = 0;
    for (let i = 0; i < this.buckets; i++) s += this.v[i]!;
    return s;
  }

  clear(): void {
    this.v.fill(0);
    this.curEpoch = -1;
    this.cur = 0;
  }
}
