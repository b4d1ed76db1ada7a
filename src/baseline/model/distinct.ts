/**
 * Distinct counting over a sliding window with linear counting (a bitmap per
 * time bucket; the estimate is -m ln(zeros/m) over the OR of the buckets).
 * 1024 bits per bucket are exact in practice below a few dozen items and
 * within a few percent up to a few thousand; past that it saturates near
 * 7,000, which is more than any threshold needs.
 */
export const DISTINCT_BITS = 1024;
const WORDS = DISTINCT_BITS / 32;

/**
 * Table entries are made by the thousand, each with a few small typed
 * arrays; a typed array of its own costs an off-heap allocation and an
 * ArrayBuffer the garbage collector tracks. These hand out zeroed views of
 * shared 512 KiB chunks instead (a chunk is never reused, only dropped when
 * none of its views is left).
 */
const CHUNK_BYTES = 1 << 19;
let chunk32 = new Uint32Array(0);
let used32 = 0;
let chunk64 = new Float64Array(0);
let used64 = 0;

export function pooledU32(n: number): Uint32Array {
  if (used32 + n > chunk32.length) {
    chunk32 = new Uint32Array(Math.max(CHUNK_BYTES / 4, n));
    used32 = 0;
  }
  const a = chunk32.subarray(used32, used32 + n);
  used32 += n;
  return a;
}

export function pooledF64(n: number): Float64Array {
  if (used64 + n > chunk64.length) {
    chunk64 = new Float64Array(Math.max(CHUNK_BYTES / 8, n));
    used64 = 0;
  }
  const a = chunk64.subarray(used64, used64 + n);
  used64 += n;
  return a;
}

export class WindowedDistinct {
  /** buckets x WORDS words, one bitmap per bucket. */
  private readonly bits: Uint32Array;
  private cur = 0;
  private curEpoch = -1;
  /** estimate() of the bits as they are, or -1 after a change (recomputing it is the costly part of a tick). */
  private cached = 0;

  constructor(readonly buckets: number, readonly bucketSec: number) {
    this.bits = pooledU32(buckets * WORDS);
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
    this.cached = -1;
  }

  /** Add an already hashed 32-bit value. */
  addHash(h: number): void {
    const bit = (Math.imul(h, 0x9e3779b1) >>> 22) & (DISTINCT_BITS - 1);
    const w = this.cur * WORDS + (bit >>> 5);
    const m = 1 << (bit & 31);
    const v = this.bits[w]!;
    if ((v & m) !== 0) return;
    this.bits[w] = v | m;
    this.cached = -1;
  }

  estimate(): number {
    if (this.cached < 0) this.cached = this.compute();
    return this.cached;
  }

  private compute(): number {
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
    this.cached = 0;
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
    this.v = pooledF64(buckets);
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
    const v = this.v;
    for (let i = 0; i < v.length; i++) v[i] = 0;
    this.curEpoch = -1;
    this.cur = 0;
  }
}

/**
 * Many WindowedSums in one Float64Array, a row per table entry: the buckets,
 * then the current bucket and its epoch. Same arithmetic as WindowedSum (so
 * the same sums, bit for bit), but a row is one or two cache lines instead
 * of three objects, which is what a table that churns per packet touches.
 * The per-packet methods take the current second from `now[0]` (a slot, not
 * an argument: see KeyIndex).
 */
export class WindowedSumRows {
  readonly v: Float64Array;
  readonly stride: number;
  readonly now = new Float64Array(1);

  constructor(rows: number, readonly buckets: number, readonly bucketSec: number) {
    this.stride = buckets + 2;
    this.v = new Float64Array(rows * this.stride);
    for (let r = 0; r < rows; r++) this.clear(r);
  }

  /** Bring row r forward to second now[0]. */
  advanceNow(r: number): void {
    this.advanceRow(r, this.now[0]!);
  }

  advanceRow(r: number, sec: number): void {
    const v = this.v;
    const o = r * this.stride;
    const b = this.buckets;
    const epoch = Math.floor(sec / this.bucketSec);
    const curEpoch = v[o + b + 1]!;
    if (curEpoch < 0) {
      v[o + b + 1] = epoch;
      return;
    }
    if (epoch <= curEpoch) return;
    const steps = Math.min(epoch - curEpoch, b);
    let cur = v[o + b]!;
    for (let i = 0; i < steps; i++) {
      cur = (cur + 1) % b;
      v[o + cur] = 0;
    }
    v[o + b] = cur;
    v[o + b + 1] = epoch;
  }

  add(r: number, n: number): void {
    const o = r * this.stride;
    this.v[o + this.v[o + this.buckets]!]! += n;
  }

  sum(r: number): number {
    const v = this.v;
    const o = r * this.stride;
    let s = 0;
    for (let i = 0; i < this.buckets; i++) s += v[o + i]!;
    return s;
  }

  clear(r: number): void {
    const v = this.v;
    const o = r * this.stride;
    for (let i = 0; i < this.buckets; i++) v[o + i] = 0;
    v[o + this.buckets] = 0;
    v[o + this.buckets + 1] = -1;
  }

  /** Copy row `from` over row `to` (a table moved an entry). */
  move(from: number, to: number): void {
    this.v.copyWithin(to * this.stride, from * this.stride, (from + 1) * this.stride);
  }
}
